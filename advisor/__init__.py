"""advisor: grounded MLOps tool recommendations with cited evidence."""

__version__ = "0.1.0"
