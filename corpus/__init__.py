"""The default corpus: documents (.txt, .md) and the rules and vocabularies beside them, as data."""
