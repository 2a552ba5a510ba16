"""rtwcomp: develop, validate and use competency frameworks."""

__version__ = "0.1.0"
