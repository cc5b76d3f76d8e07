"""shuoshi: a case ledger for 群众说事."""

__version__ = "0.1.0"
