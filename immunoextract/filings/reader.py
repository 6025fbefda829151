"""Read filings from disk: EDGAR full-submission text, single HTML files, single plain-text files.

`read_filing` yields one `Filing` per text document of a file; `iter_filings`
reads many files and yields each problem as a `FilingError` among the good
documents, so one bad file or document never stops the others. `read_text`
cleans a text already in memory (a schema record's `text`).
"""
import calendar
import re
import warnings
from datetime import date as _date
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from ..errors import FilingError, ImmunoextractWarning
from .config import DEFAULT_ENCODINGS, ReaderConfig
from .document import Filing
from .parser import CleanText, clean_text, detect_kind

PathLike = Union[str, Path]
ON_ERROR: Tuple[str, ...] = ("raise", "warn", "skip")


class FilingWarning(ImmunoextractWarning):
    """A filing was read, but not all of it: a truncated document, an unreadable part."""


# ---------------------------------------------------------------------------
# Bytes to text
# ---------------------------------------------------------------------------

_BINARY_MAGIC: Tuple[bytes, ...] = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_ESCAPED = re.compile(r"[\udc80-\udcff]+")


def looks_binary(data: bytes) -> bool:
    """Whether bytes are not text: a known binary signature, NUL bytes, many control bytes,
    or mostly high bytes that are not UTF-8."""
    sample = data[:65536]
    if not sample:
        return False
    if sample.startswith(_BINARY_MAGIC) or b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > 0.05 * len(sample):
        return True
    high = sum(1 for b in sample if b >= 0x80)
    if high > 0.3 * len(sample):
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as err:
            return err.start < len(sample) - 4  # a character cut at the sample's end is fine
    return False


def decode_bytes(data: bytes, encodings: Tuple[str, ...] = DEFAULT_ENCODINGS, *, path: Optional[str] = None) -> Tuple[str, str]:
    """Decode file bytes: the first encoding for the whole text, the next ones only for the bytes it rejects.

    data (bytes): the file content.
    encodings (Tuple[str, ...]): e.g. ("utf-8", "cp1252", "latin-1").
    path (str | None): the file, named in errors.
    RETURNS (Tuple[str, str]): the text (a UTF-8 byte order mark removed) and the encoding
        used, "utf-8", "cp1252" or a mix such as "utf-8+cp1252".
    """
    first, fallbacks = encodings[0], tuple(encodings[1:])
    if data.startswith(b"\xef\xbb\xbf") and first.replace("_", "-").lower() in ("utf-8", "utf8"):
        data = data[3:]
    try:
        return data.decode(first), first
    except UnicodeDecodeError as err:
        if not fallbacks:
            raise FilingError(
                f"not {first} text: byte {data[err.start]:#04x} at byte offset {err.start} cannot be decoded", path=path
            ) from None
    except LookupError:
        raise FilingError(f"unknown encoding {first!r}", path=path) from None
    text = data.decode(first, errors="surrogateescape")
    used: List[str] = []

    def fallback(match: "re.Match[str]") -> str:
        raw = bytes(ord(c) - 0xDC00 for c in match.group())
        for encoding in fallbacks:
            try:
                decoded = raw.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
            if encoding not in used:
                used.append(encoding)
            return decoded
        return "\ufffd" * len(raw)

    has_valid_multibyte = any(ord(c) > 0x7F for c in _ESCAPED.sub("", text))
    text = _ESCAPED.sub(fallback, text)
    used.sort(key=fallbacks.index)
    label = "+".join(([first] if has_valid_multibyte else []) + (used or ["replace"]))
    return text, label


def _text_is_binary(text: str) -> bool:
    sample = text[:65536]
    return "\x00" in sample or len(_CONTROL_CHARS.findall(sample)) > 0.05 * max(1, len(sample))


# ---------------------------------------------------------------------------
# Metadata found in the text
# ---------------------------------------------------------------------------

_MONTHS: Dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    r"(?i:\b(?P<month>" + _MONTH_NAMES + r")\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:18|19|20)\d{2})\b"
    r"|\b(?P<day2>\d{1,2})\s+(?P<month2>" + _MONTH_NAMES + r")\.?,?\s+(?P<year2>(?:18|19|20)\d{2})\b)"
)
_DATELINE_AFTER = re.compile(
    r"\s*(?:--|-|–|—|\.\.\.|…|/\s*[A-Za-z][A-Za-z .-]*/|\(\s*[A-Za-z][A-Za-z .&-]*(?:WIRE|Wire|wire)\s*\)|\bPRNewswire\b)"
)
_DATELINE_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:[A-Z][\w.'’ -]*\s*,\s*)+$")
_DATED = re.compile(r"(?i:\bdated|\bdate)\s*:\s*$")


def _match_date(match: "re.Match[str]") -> Optional[str]:
    month = (match.group("month") or match.group("month2") or "").lower()
    day = match.group("day") or match.group("day2")
    year = match.group("year") or match.group("year2")
    try:
        return _date(int(year), _MONTHS[month], int(day)).isoformat()
    except (KeyError, ValueError, TypeError):
        return None


def find_date(text: str, *, window: int = 4000) -> Optional[str]:
    """The release date of a document as ISO `YYYY-MM-DD`: the date of its dateline
    ("CAMBRIDGE, MA, JANUARY 24, 2003 -", "March 3, 2021 /PRNewswire/ --",
    "Dated: Jan. 5, 2004"), or a date standing alone on a line; None when there is none."""
    head = text[:window]
    for match in _DATE.finditer(head):
        line_start = head.rfind("\n", 0, match.start()) + 1
        line_end = head.find("\n", match.end())
        line_end = len(head) if line_end < 0 else line_end
        before = head[line_start : match.start()]
        after = head[match.end() : line_end]
        if (
            _DATELINE_AFTER.match(after)
            or _DATED.search(before)
            or _DATELINE_BEFORE.search(head[max(0, line_start - 1) : match.start()])
            or (not before.strip() and not after.strip())
        ):
            found = _match_date(match)
            if found:
                return found
    return None


_SUFFIX_WORDS = frozenset(
    "inc inc. incorporated corp corp. corporation company co co. ltd ltd. limited plc llc lp l.p. llp "
    "n.v. nv s.a. sa ag gmbh a/s ab asa se s.p.a. s.a.s.".split()
)
_TICKER = re.compile(
    r"\(\s*(?:NYSE|NASDAQ|Nasdaq|AMEX|OTC|TSX|ASX|LSE|AIM|Euronext|SIX|NYSE American|NYSE MKT|Nasdaq [A-Za-z ]+|OTC[A-Z]*)"
    r"\s*[:;]\s*[A-Z][A-Z0-9.\-]*\s*(?:[;,/][^)]*)?\)"
)
_SUFFIX_AT = re.compile(r"\b(?:Inc|Corp|Ltd|Co|N\.V|S\.A|L\.P|plc|AG|GmbH|Corporation|LLC|Limited|Incorporated)\b\.?(?![\w-])")
_COMPANY_WORD = re.compile(
    r"\b(?:Inc|Incorporated|Corp|Corporation|Company|Co|Ltd|Limited|plc|LLC|N\.V|S\.A|AG|GmbH|Pharmaceuticals?|"
    r"Therapeutics|Biosciences|Biotherapeutics|Biotech|Biologics|Laboratories|Pharma|Oncology)\b",
    re.I,
)
_REGISTRANT = re.compile(r"\(Exact name of (?:the )?registrant", re.I)


def _trailing_name(text: str) -> Optional[str]:
    """The run of capitalised words (with `&` and legal suffixes) that ends `text`."""
    kept: List[str] = []
    for token in reversed(text.split()):
        bare = token.strip(",")
        if not bare or any(c in bare for c in "()[]\"“”:;"):
            break
        if token.endswith(",") and not (kept and kept[0].lower() in _SUFFIX_WORDS):
            break
        if bare[0].isupper() or bare[0].isdigit() or bare == "&" or bare.lower() in _SUFFIX_WORDS:
            kept.insert(0, token)
        else:
            break
    while kept and (kept[0] == "&" or not kept[0][0].isupper()):
        kept.pop(0)
    if not kept or len(kept) > 8 or all(t.strip(",").lower() in _SUFFIX_WORDS for t in kept):
        return None
    return " ".join(kept).strip(" ,")


def find_company(text: str, *, window: int = 3000) -> Optional[str]:
    """The issuer of a release, from its first `window` characters: the name before its
    ticker ("ImmunoGen, Inc. (Nasdaq: IMGN)"), the registrant of a form, a letterhead
    line that is a company name, else the first name with a legal suffix; None if none."""
    head = text[:window]
    for match in _TICKER.finditer(head):
        line_start = head.rfind("\n", 0, match.start()) + 1
        name = _trailing_name(head[max(line_start, match.start() - 120) : match.start()])
        if name:
            return name
    registrant = _REGISTRANT.search(head)
    if registrant:
        for line in reversed(head[: registrant.start()].splitlines()[-4:]):
            if any(c.isalpha() for c in line):
                return line.strip(" -\t")
    lines = [line for line in head.splitlines() if line.strip()]
    for line in lines[:15]:
        line = line.replace("LETTERHEAD", "").replace("Letterhead", "").strip(" \t[]()-")
        if len(line) <= 60 and _COMPANY_WORD.search(line) and _trailing_name(line) == line:
            return line
    for match in _SUFFIX_AT.finditer(head):
        line_start = head.rfind("\n", 0, match.start()) + 1
        name = _trailing_name(head[line_start : match.end()])
        if name:
            return name
    return None


_EXHIBIT = re.compile(r"^\s*(?:EXHIBIT|Exhibit)[\s\-]*(\d{1,3}(?:\.\d{1,3})?(?:\s?\([a-z0-9]\))?)\s*$", re.M)


def find_exhibit_type(text: str) -> Optional[str]:
    """The exhibit type a document names in its first lines ("EXHIBIT 99.1" gives "EX-99.1")."""
    match = _EXHIBIT.search("\n".join(text.splitlines()[:6]))
    return f"EX-{match.group(1).replace(' ', '')}" if match else None


# ---------------------------------------------------------------------------
# EDGAR full-submission text
# ---------------------------------------------------------------------------

_SUBMISSION = re.compile(r"<(?:SEC-DOCUMENT|SEC-HEADER|IMS-DOCUMENT|IMS-HEADER)>|^<DOCUMENT>[ \t]*\r?$", re.M)
_DOCUMENT_OPEN = re.compile(r"^<DOCUMENT>[ \t]*$", re.M)
_DOC_TAG = re.compile(r"^<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>[ \t]*([^\r\n]*)", re.M)
_HEADER_FIELDS: Dict[str, re.Pattern] = {
    "company": re.compile(r"^\s*(?:COMPANY CONFORMED NAME:|<CONFORMED-NAME>)\s*(.+?)\s*$", re.M),
    "form": re.compile(r"^\s*(?:CONFORMED SUBMISSION TYPE:|<TYPE>)\s*(.+?)\s*$", re.M),
    "filed": re.compile(r"^\s*(?:FILED AS OF DATE:|<FILING-DATE>)\s*(\d{8})\s*$", re.M),
    "accepted": re.compile(r"<ACCEPTANCE-DATETIME>\s*(\d{8})"),
    "accession": re.compile(r"^\s*(?:ACCESSION NUMBER:|<ACCESSION-NUMBER>)\s*([\d-]+)\s*$", re.M),
}


def is_submission(text: str) -> bool:
    """Whether a text is an EDGAR full submission (`<SEC-HEADER>` or `<DOCUMENT>` blocks)."""
    return bool(_SUBMISSION.search(text[:200_000]))


def parse_header(text: str) -> Dict[str, Optional[str]]:
    """Company, form, filing date (ISO) and accession number from a submission's SEC header."""
    end = text.find("</SEC-HEADER>")
    if end < 0:
        first_doc = _DOCUMENT_OPEN.search(text)
        end = first_doc.start() if first_doc else min(len(text), 20_000)
    header = text[:end]
    found = {key: (m.group(1) if (m := pattern.search(header)) else None) for key, pattern in _HEADER_FIELDS.items()}
    filed = found["filed"] or found["accepted"]
    filing_date = None
    if filed:
        try:
            filing_date = _date(int(filed[:4]), int(filed[4:6]), int(filed[6:8])).isoformat()
        except ValueError:
            filing_date = None
    return {"company": found["company"], "form": found["form"], "filing_date": filing_date, "accession": found["accession"]}


class _RawDocument:
    """One `<DOCUMENT>` of a submission, located in the file text."""

    __slots__ = ("index", "line", "tags", "text_start", "text_end", "problem", "truncated")

    def __init__(self, index: int, line: int) -> None:
        self.index = index
        self.line = line
        self.tags: Dict[str, str] = {}
        self.text_start = -1
        self.text_end = -1
        self.problem: Optional[str] = None
        self.truncated: List[str] = []


def split_documents(text: str) -> List[_RawDocument]:
    """The `<DOCUMENT>` blocks of a submission with their tags and `<TEXT>` bounds;
    a document's `problem` says why it cannot be read, `truncated` what closing tag is missing."""
    opens = [m for m in _DOCUMENT_OPEN.finditer(text)]
    documents: List[_RawDocument] = []
    for i, match in enumerate(opens):
        start = match.end()
        limit = opens[i + 1].start() if i + 1 < len(opens) else len(text)
        doc = _RawDocument(i + 1, text.count("\n", 0, match.start()) + 1)
        close = text.find("</DOCUMENT>", start, limit)
        if close < 0:
            doc.truncated.append("</DOCUMENT>")
            close = limit
        text_tag = text.find("<TEXT>", start, close)
        head_end = text_tag if text_tag >= 0 else close
        for tag in _DOC_TAG.finditer(text, start, head_end):
            doc.tags.setdefault(tag.group(1).lower(), tag.group(2).strip())
        if text_tag < 0:
            doc.problem = "the document has no <TEXT> block"
        else:
            doc.text_start = text_tag + len("<TEXT>")
            text_close = text.find("</TEXT>", doc.text_start, close)
            if text_close < 0:
                doc.truncated.append("</TEXT>")
                text_close = close
            doc.text_end = text_close
        documents.append(doc)
    return documents


def _is_binary_document(doc_type: str, body: str, config: ReaderConfig) -> bool:
    if any(fnmatchcase(doc_type.upper(), pattern.upper()) for pattern in config.skip_types):
        return True
    head = body.lstrip()[:200]
    return head.startswith(("<PDF>", "%PDF", "<ZIP>")) or bool(re.match(r"begin [0-7]{3,4} \S", head))


def _type_selected(doc_type: str, config: ReaderConfig) -> bool:
    if config.types is None:
        return True
    return any(fnmatchcase(doc_type.upper(), pattern.upper()) for pattern in config.types)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def read_text(
    text: str,
    *,
    doc_id: str,
    meta: Optional[Dict[str, Any]] = None,
    config: Optional[ReaderConfig] = None,
) -> Filing:
    """Clean a text already in memory, such as a schema record's `text`.

    text (str): the document text; offsets of the result point into it.
    doc_id (str): the document id.
    meta (Dict[str, Any] | None): metadata to keep; `company` and `date` are filled in
        from the text when absent, `kind` is added.
    config (ReaderConfig | None): reader settings, default ReaderConfig().
    RETURNS (Filing): the cleaned document (`source_text` is `text`).
    """
    config = config or ReaderConfig()
    if not text.strip():
        raise FilingError("the text is empty", doc_id=doc_id)
    clean, kind = _clean(text, config)
    if not clean.text:
        raise FilingError("no readable text is left after cleaning", doc_id=doc_id)
    meta = dict(meta or {})
    if meta.get("company") is None:
        company = find_company(clean.text)
        if company:
            meta["company"] = company
    if meta.get("date") is None:
        found = find_date(clean.text)
        if found:
            meta["date"] = found
    meta.setdefault("kind", kind)
    return Filing(id=doc_id, source_text=text, text=clean.text, offsets=clean.offsets, meta=meta)


def read_filing(path: PathLike, *, config: Optional[ReaderConfig] = None, on_error: str = "raise") -> Iterator[Filing]:
    """Read the text documents of one file.

    An EDGAR full submission gives one Filing per `<DOCUMENT>` whose type `config.types`
    selects (binary and data documents are skipped); an HTML or plain-text file gives one.
    A truncated document is read as far as it goes, with a FilingWarning.

    path (str | Path): the file.
    config (ReaderConfig | None): reader settings, default ReaderConfig().
    on_error (str): what a document that cannot be read does: "raise" raises its
        FilingError once the good documents of the file are yielded; "warn" emits a
        FilingWarning; "skip" leaves it out. A file that cannot be read at all raises
        at once with "raise". Default "raise".
    RETURNS (Iterator[Filing]): the documents in file order.
    """
    if on_error not in ON_ERROR:
        raise FilingError(f"unknown on_error {on_error!r} (expected one of {', '.join(ON_ERROR)})", path=str(path))
    errors: List[FilingError] = []
    for item in _read_path(Path(path), config or ReaderConfig()):
        if isinstance(item, Filing):
            yield item
        elif on_error == "raise":
            errors.append(item)
        elif on_error == "warn":
            warnings.warn(FilingWarning(str(item)), stacklevel=2)
    if errors:
        first = errors[0]
        if len(errors) > 1:
            first.add_note(f"{len(errors) - 1} more document(s) of {path} could not be read")
        raise first


def iter_filings(paths: Iterable[PathLike], *, config: Optional[ReaderConfig] = None) -> Iterator[Union[Filing, FilingError]]:
    """Read many files; each document comes as a Filing, each problem as the FilingError
    that describes it, in file order. Never raises FilingError, so one bad file or
    document never stops the others."""
    config = config or ReaderConfig()
    for path in paths:
        yield from _read_path(Path(path), config)


def _read_path(path: Path, config: ReaderConfig) -> Iterator[Union[Filing, FilingError]]:
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        yield FilingError(f"cannot read the file: {err.strerror or err}", path=where)
        return
    if not data.strip():
        yield FilingError("the file is empty", path=where)
        return
    head = data[:200_000]
    submission_bytes = b"<SEC-HEADER>" in head or b"<SEC-DOCUMENT>" in head or b"<DOCUMENT>" in head
    if not submission_bytes and looks_binary(data):
        yield FilingError("a binary file, not text", path=where)
        return
    try:
        text, encoding = decode_bytes(data, config.encodings, path=where)
    except FilingError as err:
        yield err
        return
    used = encoding.split("+")
    if len(config.encodings) > 2 and (config.encodings[-1] in used or "replace" in used):
        # the last resort (Latin-1) reads any byte: say that the text may hold garbage
        tried = " nor ".join(config.encodings[:-1])
        warnings.warn(
            FilingWarning(f"{where}: some bytes are neither {tried} text and were read as {used[-1]}"), stacklevel=3
        )
    if is_submission(text):
        yield from _read_submission(path, text, encoding, config)
        return
    if _text_is_binary(text):
        yield FilingError("a binary file, not text", path=where)
        return
    try:
        filing = read_text(text, doc_id=path.stem, config=config, meta={})
    except FilingError as err:
        yield FilingError(err.problem, path=where)
        return
    found_type = find_exhibit_type(filing.text)
    filing.meta = {
        "company": filing.meta.get("company"),
        "date": filing.meta.get("date"),
        "filing_date": None,
        "form": None,
        "exhibit_type": found_type,
        "sequence": None,
        "filename": path.name,
        "description": None,
        "path": where,
        "source_offset": 0,
        "encoding": encoding,
        "kind": filing.meta.get("kind"),
    }
    yield filing


def _read_submission(path: Path, text: str, encoding: str, config: ReaderConfig) -> Iterator[Union[Filing, FilingError]]:
    where = str(path)
    header = parse_header(text)
    documents = split_documents(text)
    if not documents:
        yield FilingError("a submission without any <DOCUMENT> block", path=where)
        return
    base = header["accession"] or path.stem
    for doc in documents:
        sequence_text = doc.tags.get("sequence") or str(doc.index)
        doc_id = f"{base}-{sequence_text}"
        doc_type = doc.tags.get("type", "")
        error_at = {"path": where, "line": doc.line, "doc_id": doc_id}
        if not _type_selected(doc_type, config):
            continue
        if doc.problem is not None:
            yield FilingError(doc.problem, **error_at)
            continue
        body = text[doc.text_start : doc.text_end]
        if _is_binary_document(doc_type, body, config):
            continue
        if doc.truncated:
            missing = " and ".join(doc.truncated)
            if body.strip():
                warnings.warn(
                    FilingWarning(f"{where}:{doc.line} document {doc_id!r}: truncated, no {missing}; read to where it ends"),
                    stacklevel=3,
                )
            else:
                yield FilingError(f"truncated (no {missing}) and nothing readable is left", **error_at)
                continue
        if not body.strip():
            yield FilingError("the <TEXT> block is empty", **error_at)
            continue
        if _text_is_binary(body):
            yield FilingError(f"binary content (NUL or control bytes) in a document of type {doc_type or 'unknown'}", **error_at)
            continue
        clean, kind = _clean(body, config)
        if not clean.text:
            yield FilingError("no readable text is left after cleaning", **error_at)
            continue
        sequence: Union[int, str] = int(sequence_text) if sequence_text.isdigit() else sequence_text
        meta: Dict[str, Any] = {
            "company": header["company"] or find_company(clean.text),
            "date": find_date(clean.text) or header["filing_date"],
            "filing_date": header["filing_date"],
            "form": header["form"],
            "exhibit_type": doc_type or None,
            "sequence": sequence,
            "filename": doc.tags.get("filename"),
            "description": doc.tags.get("description"),
            "path": where,
            "source_offset": doc.text_start,
            "encoding": encoding,
            "kind": kind,
        }
        if header["accession"]:
            meta["accession"] = header["accession"]
        if doc.truncated:
            meta["truncated"] = True
        yield Filing(id=doc_id, source_text=body, text=clean.text, offsets=clean.offsets, meta=meta)


def _clean(text: str, config: ReaderConfig) -> Tuple[CleanText, str]:
    kind = detect_kind(text) if config.kind == "auto" else config.kind
    return clean_text(text, kind, config=config), kind
