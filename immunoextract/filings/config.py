"""How filings are read: which documents to keep, and how their text is cleaned.

Configuration travels as an argument (`read_filing(path, config=...)`), never
through module state, so worker processes see the same settings as the caller.
"""
from dataclasses import dataclass
from typing import Optional, Tuple, Union

from ..errors import FilingError

KINDS: Tuple[str, ...] = ("auto", "plain", "html")
DEFAULT_ENCODINGS: Tuple[str, ...] = ("utf-8", "cp1252", "latin-1")
# Document types of a submission that hold no prose (images, archives, XBRL data).
DEFAULT_SKIP_TYPES: Tuple[str, ...] = ("GRAPHIC", "ZIP", "EXCEL", "PDF", "XML", "JSON", "XBRL", "EX-101*")


@dataclass(frozen=True)
class ReaderConfig:
    """Settings of the filing reader and cleaner.

    types (Tuple[str, ...] | None): document types of a full submission to keep, as
        case-insensitive glob patterns (`("EX-99.1",)`, `("EX-99*",)`); None keeps every
        text document. Files that are not submissions are always read whole. Default None.
    skip_types (Tuple[str, ...]): document types never read (binary or data-only),
        default DEFAULT_SKIP_TYPES.
    kind (str): how to read a document's text: "auto" (detect), "plain" or "html", default "auto".
    join_lines (bool): join hard-wrapped plain-text lines into paragraphs, default True.
    drop_page_numbers (bool): delete lines that hold only a page number (`-2-`, `Page 2`),
        default True.
    column_gap (int): in plain text, this many spaces inside a line mark a table column,
        which becomes a tab, default 3.
    max_wrap_width (int): a plain text whose lines are mostly longer than this is not
        hard-wrapped; only obvious continuations are joined, default 120.
    cell_separator (str): what separates the cells of an HTML table row, default " | ".
    encodings (Tuple[str, ...]): the first is tried for the whole file; bytes it cannot
        decode fall back to the next ones in order, default ("utf-8", "cp1252", "latin-1").
    """

    types: Optional[Tuple[str, ...]] = None
    skip_types: Tuple[str, ...] = DEFAULT_SKIP_TYPES
    kind: str = "auto"
    join_lines: bool = True
    drop_page_numbers: bool = True
    column_gap: int = 3
    max_wrap_width: int = 120
    cell_separator: str = " | "
    encodings: Tuple[str, ...] = DEFAULT_ENCODINGS

    def __post_init__(self) -> None:
        object.__setattr__(self, "types", _as_tuple(self.types))
        object.__setattr__(self, "skip_types", _as_tuple(self.skip_types) or ())
        object.__setattr__(self, "encodings", _as_tuple(self.encodings) or ())
        if self.kind not in KINDS:
            raise FilingError(f"unknown text kind {self.kind!r} (expected one of {', '.join(KINDS)})")
        if self.column_gap < 2:
            raise FilingError(f"column_gap must be at least 2, got {self.column_gap}")
        if not self.encodings:
            raise FilingError("encodings must name at least one encoding")


def _as_tuple(value: Union[None, str, Tuple[str, ...]]) -> Optional[Tuple[str, ...]]:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    return tuple(value)
