"""budgetlint: a consistency-checking linter for public budget tables."""

__version__ = "0.1.0"
