"""Read filings (EDGAR full submissions, HTML and plain-text exhibits) into clean text
with offsets back to the source text that annotations point into."""
from .config import ReaderConfig
from .document import Filing, to_clean, to_source
from .parser import CleanText, clean_html, clean_plain, clean_text, detect_kind
from .reader import (
    FilingWarning,
    decode_bytes,
    find_company,
    find_date,
    find_exhibit_type,
    is_submission,
    iter_filings,
    looks_binary,
    parse_header,
    read_filing,
    read_text,
    split_documents,
)

__all__ = [
    "CleanText",
    "Filing",
    "FilingWarning",
    "ReaderConfig",
    "clean_html",
    "clean_plain",
    "clean_text",
    "decode_bytes",
    "detect_kind",
    "find_company",
    "find_date",
    "find_exhibit_type",
    "is_submission",
    "iter_filings",
    "looks_binary",
    "parse_header",
    "read_filing",
    "read_text",
    "split_documents",
    "to_clean",
    "to_source",
]
