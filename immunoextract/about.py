__title__ = "immunoextract"
__version__ = "0.1.0"
__summary__ = "Structured deal intelligence from biopharma SEC filings and press releases"
