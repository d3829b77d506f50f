"""One exception root, so every adapter can turn failures into a one-line message."""


class AdvisorError(Exception):
    """Base of every error the advisor reports to a user."""


class InputError(AdvisorError):
    """The question or another user input is unusable."""


class IndexUnavailable(AdvisorError):
    """The vector index is missing, corrupt, unreachable or not writable."""


class CorpusError(AdvisorError):
    """The corpus or one of its data files (rules, vocabularies) is invalid."""


class ConfigError(AdvisorError):
    """Settings are inconsistent or an optional dependency is missing."""
