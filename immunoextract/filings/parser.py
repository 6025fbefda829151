"""Clean the text of one filing document, keeping a map back to the source.

Every function here is pure: it takes the raw text of a document (plain EDGAR
text, or HTML) and returns `CleanText(text, offsets)`, where `offsets[i]` is the
index in the raw text of clean character `i` and `offsets[len(text)]` is
`len(raw)`. Offsets never decrease. A character the cleaner adds (a space that
joins two wrapped lines, a paragraph break, a cell separator) points at the
source character it replaces: the line end, the tag, the first space of a run.

What cleaning deletes: markup (SGML table tags, `<PAGE>`, HTML tags, comments,
scripts and styles), `-more-` lines, lines that hold only a page number, white
space, and control characters. Letters and digits of the prose are never deleted,
so every mention of the source survives as one contiguous span of the clean text.
"""
import html
import math
import re
from html.entities import html5 as _HTML5_ENTITIES
from html.parser import HTMLParser
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from .config import ReaderConfig


class CleanText(NamedTuple):
    """Clean text and, for each of its characters, the index of its source character."""

    text: str
    offsets: List[int]


# ---------------------------------------------------------------------------
# Kind detection
# ---------------------------------------------------------------------------

_HTML_DOC = re.compile(r"<(?:!doctype\s+html|html|body|head)\b", re.I)
_HTML_TAG = re.compile(
    r"</?(?:p|div|br|td|tr|th|table|font|span|b|i|u|a|li|ul|ol|h[1-6]|center|hr|img|sup|sub|em|strong|pre|tbody)\b[^<>]{0,2000}>",
    re.I,
)
# Markup of legacy EDGAR plain text: `<TABLE>` looks like HTML but never comes with these.
_HTML_ONLY_TAG = re.compile(r"</?(?:p|div|br|td|tr|th|font|span|li|ul|ol|h[1-6]|center|hr|img|tbody)\b[^<>]{0,2000}>", re.I)


def detect_kind(raw: str) -> str:
    """Whether `raw` is "html" or "plain" text (legacy EDGAR SGML markup counts as plain)."""
    head = raw[:200_000]
    if _HTML_DOC.search(head[:5000]):
        return "html"
    if _HTML_ONLY_TAG.search(head) and len(_HTML_TAG.findall(head, 0, 50_000)) >= 2:
        return "html"
    return "plain"


def clean_text(raw: str, kind: str = "auto", *, config: Optional[ReaderConfig] = None) -> CleanText:
    """Clean `raw` as plain text or HTML.

    raw (str): the text of one document.
    kind (str): "auto" (detect with `detect_kind`), "plain" or "html", default "auto".
    config (ReaderConfig | None): cleaning settings, default ReaderConfig().
    RETURNS (CleanText): the clean text and its offsets into `raw`.
    """
    if kind == "auto":
        kind = detect_kind(raw)
    if kind == "html":
        return clean_html(raw, config=config)
    return clean_plain(raw, config=config)


# ---------------------------------------------------------------------------
# Plain text
# ---------------------------------------------------------------------------

_NEWLINE = re.compile(r"\r\n|\r|\n")
_SGML_TAG = re.compile(r"<(/?)((?i:PAGE|TABLE|CAPTION|FN)|S|C|R|F\d{1,3})>")
_MORE = re.compile(r"-+\s*more\s*-+|\(\s*more\s*\)|\[\s*more\s*\]", re.I)
_PAGE_NUMBER = re.compile(r"-\s*\d{1,4}\s*-|(?i:page)\s+\d{1,4}(?:\s+of\s+\d{1,4})?")
_BARE_NUMBER = re.compile(r"\d{1,4}")
_PAGE_HEADER = (
    re.compile(r"(?:^|\s)(?:Page|PAGE)\s+\d{1,4}(?:\s+(?:of|OF)\s+\d{1,4})?$|\s-\s?\d{1,4}\s?-$"),
    re.compile(r"(?:Page|PAGE)\s+\d{1,4}\s*[-–—|:,]\s*\S"),
)
_SYMBOL_BULLETS = "•●▪■◦·\u2023\u2043\uf0b7\uf0a7"
_BULLET = re.compile(r"[•●▪■◦·\u2023\u2043\uf0b7\uf0a7]|[-*–—o]\s|\(?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)]\s")
_MARKDOWN = re.compile(r"#{1,6}\s|\||>\s?|```")
_TERMINAL = ".!?:;"
_MIN_WRAP_WIDTH = 40  # narrower text is a block of short lines, not wrapped prose
_LONG_LINE = 0.7  # a line this close to the wrap width that ends mid-sentence was wrapped
_CLOSERS = "\"'”’)]"


class _Line:
    """One source line of plain text, markup removed."""

    __slots__ = (
        "chars", "pos", "start", "end", "indent", "text", "in_table", "row", "rule", "header",
        "markdown", "bullet", "caps", "centered",
    )

    def __init__(self, chars: List[str], pos: List[int], in_table: bool, column_gap: int) -> None:
        self.chars = chars
        self.pos = pos
        n = len(chars)
        start = 0
        indent = 0
        while start < n and chars[start].isspace():
            indent += 8 - indent % 8 if chars[start] == "\t" else 1
            start += 1
        end = n
        while end > start and chars[end - 1].isspace():
            end -= 1
        self.start, self.end, self.indent = start, end, indent
        self.text = "".join(chars[start:end])
        self.in_table = in_table
        self.row = in_table or _has_column_gap(self.text, column_gap)
        self.rule = len(self.text) >= 3 and not any(c.isalnum() for c in self.text)
        self.header = _is_page_header(self.text)
        self.markdown = bool(_MARKDOWN.match(self.text)) or self.text.endswith("|")
        self.bullet = bool(_BULLET.match(self.text))
        letters = [c for c in self.text if c.isalpha()]
        self.caps = len(letters) >= 2 and not any(c.islower() for c in letters)
        self.centered = False

    @property
    def width(self) -> int:
        return self.indent + len(self.text)

    @property
    def first_pos(self) -> int:
        return self.pos[self.start]

    @property
    def last_pos(self) -> int:
        return self.pos[self.end - 1]

    @property
    def structural(self) -> bool:
        return self.row or self.rule or self.header or self.markdown or self.centered


def _is_page_header(text: str) -> bool:
    """A running page header or footer: "Acme, Inc. -- Page 2", "Page 3 - Acme", "Acme - 2 -"."""
    if len(text) > 100 or not ("Page" in text or "PAGE" in text or text.endswith("-")):
        return False
    return bool(_PAGE_HEADER[0].search(text) or _PAGE_HEADER[1].match(text))


def _has_column_gap(text: str, column_gap: int) -> bool:
    """Whether a line has a run of white space wide enough to separate table columns."""
    if "\t" in text:
        return True
    for match in re.finditer(r"\s{%d,}" % column_gap, text):
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if _is_column_gap(before, match.end() - match.start(), after, column_gap):
            return True
    return False


def _is_column_gap(before: str, width: int, after: str, column_gap: int) -> bool:
    """A wide run of spaces separates columns, unless it follows the end of a sentence or
    sits between two lower-case words (justified or sloppy prose)."""
    if width < column_gap or not before:
        return False
    if width >= 2 * column_gap:
        return True
    if before in _TERMINAL or before in _CLOSERS:
        return False
    return not ((before.islower() or before == ",") and after.islower())


def _first_word(line: _Line) -> str:
    return line.text.split(None, 1)[0] if line.text else ""


def _dash_end(line: _Line) -> bool:
    text = line.text
    return text.endswith(("--", " -", "—", "–")) or text.endswith("/")


def _hyphen_end(line: _Line) -> bool:
    text = line.text
    return len(text) >= 2 and text[-1] == "-" and text[-2].isalnum()


def _scan_lines(raw: str, config: ReaderConfig) -> List[Tuple[str, Optional[_Line]]]:
    """The raw text as a list of items: ("line", _Line), ("blank", None), ("page", None),
    ("table", None) for a table boundary, ("row", None) for a table marker line."""
    items: List[Tuple[str, Optional[_Line]]] = []
    in_table = False
    start = 0
    bounds: List[Tuple[int, int]] = []
    for match in _NEWLINE.finditer(raw):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(raw)))
    for s, e in bounds:
        segment = raw[s:e]
        chars: List[str] = []
        pos: List[int] = []
        events: List[str] = []
        cursor = 0
        for tag in _SGML_TAG.finditer(segment) if "<" in segment else ():
            _keep(segment, s, cursor, tag.start(), chars, pos, events)
            name = tag.group(2).upper()
            if name == "PAGE":
                events.append("page")
            elif name == "TABLE":
                in_table = not tag.group(1)
                events.append("table")
            else:
                events.append("row")
            cursor = tag.end()
        _keep(segment, s, cursor, len(segment), chars, pos, events)
        after = ["page" for event in events if event == "page_after"]
        for event in events:
            if event != "page_after" and (not items or items[-1][0] != event or event != "page"):
                items.append((event, None))
        if not chars or all(c.isspace() for c in chars):
            if not events:
                items.append(("blank", None))
            items.extend(("page", None) for _ in after)
            continue
        stripped = "".join(chars).strip()
        if _MORE.fullmatch(stripped) or (config.drop_page_numbers and _PAGE_NUMBER.fullmatch(stripped)):
            items.append(("page", None))
            continue
        items.append(("line", _Line(chars, pos, in_table, config.column_gap)))
        items.extend(("page", None) for _ in after[:1])
    if config.drop_page_numbers:
        _drop_bare_page_numbers(items)
    return items


_SPECIAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")


def _keep(segment: str, base: int, a: int, b: int, chars: List[str], pos: List[int], events: List[str]) -> None:
    if not _SPECIAL.search(segment, a, b):
        chars.extend(segment[a:b])
        pos.extend(range(base + a, base + b))
        return
    for i in range(a, b):
        c = segment[i]
        if c == "\f":
            # a form feed after text breaks the page after this line
            events.append("page_after" if any(not k.isspace() for k in chars) else "page")
            c = " "
        elif c < " " and c != "\t" or "\x7f" <= c <= "\x9f" or c == "\ufeff":
            continue  # control characters carry no text
        chars.append(c)
        pos.append(base + i)


def _drop_bare_page_numbers(items: List[Tuple[str, Optional[_Line]]]) -> None:
    """A line holding only a number beside a page break, or first or last, is a page number."""
    content = [i for i, (kind, _) in enumerate(items) if kind == "line"]
    ends = {content[0], content[-1]} if content else set()
    for i, (kind, line) in enumerate(items):
        if kind != "line" or line is None or not _BARE_NUMBER.fullmatch(line.text):
            continue
        if i in ends:
            items[i] = ("page", None)
            continue
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(items) and items[j][0] == "blank":
                j += step
            if 0 <= j < len(items) and items[j][0] == "page":
                items[i] = ("page", None)
                break


def _wrap_width(lines: Sequence[_Line]) -> int:
    widths = sorted(l.width for l in lines if not l.row and not l.rule)
    if not widths:
        return 0
    return widths[min(len(widths) - 1, math.ceil(0.95 * (len(widths) - 1)))]


def _is_centered(line: _Line, width: int) -> bool:
    if line.indent < 4 or len(line.text) > 0.8 * width:
        return False
    right = width - line.width
    return right >= 4 and abs(line.indent - right) <= max(3, line.indent // 4)


def _join_wrapped(prev: _Line, line: _Line, width: int, wrapped: bool) -> Optional[str]:
    """How two adjacent lines join: " " or "" (inside a paragraph), or None (keep the line break)."""
    if prev.structural or line.structural or line.text[0] in _SYMBOL_BULLETS:
        return None
    glue = "" if _hyphen_end(prev) and line.text[0].isalnum() else " "
    if line.indent - prev.indent >= 4 and not prev.bullet:
        return None  # an indented line starts a paragraph or a block
    if prev.indent - line.indent > 12:
        return None  # a right-aligned line is no paragraph's first line
    if not wrapped and (prev.indent >= 10 or line.indent >= 10):
        return None
    if glue == "":
        return glue  # a word or a drug code broken at its hyphen: "huC242-" + "DM1"
    if wrapped and (
        prev.width + 1 + len(_first_word(line)) > width
        or (prev.width >= _LONG_LINE * width and prev.text[-1] not in _TERMINAL)
    ):
        # the next line's first word did not fit (or nearly: word processors wrap
        # proportional text early), and the line does not end a sentence
        if prev.caps and not line.caps and not _dash_end(prev):
            return None
        if line.caps and not prev.caps and prev.text[-1] in _TERMINAL:
            return None
        return glue
    if prev.caps and _dash_end(prev) and not line.caps and not line.bullet:
        return " "  # a dateline in capitals: "BOSTON, MA, MAY 1, 1995 --"
    if prev.caps or line.caps or line.bullet:
        return None
    first = _first_word(line)
    if line.text[0].islower() and "@" not in first and not first.startswith(("www.", "http")):
        return glue
    return None


def _join_across_page(prev: _Line, line: _Line) -> Optional[str]:
    """Whether a sentence runs on over a page break: " " or "" to join, None for a paragraph break."""
    if prev.structural or line.structural or prev.caps or line.caps:
        return None
    if prev.text.rstrip(_CLOSERS)[-1:] in _TERMINAL:
        return None
    if _hyphen_end(prev) and line.text[0].isalnum():
        return ""
    if line.text[0].islower() or prev.text.endswith(","):
        return " "
    return None


def clean_plain(raw: str, *, config: Optional[ReaderConfig] = None) -> CleanText:
    """Clean legacy EDGAR plain text.

    Deletes `<PAGE>` markers, SGML table tags, `-more-` lines and page-number lines;
    joins hard-wrapped lines into paragraphs (a line-end hyphen joins with no space);
    keeps headlines, centred lines, table rows and signature blocks as their own
    lines; folds runs of spaces to one (a column gap becomes a tab); running page
    headers become their own paragraph. Paragraphs are separated by a blank line.

    raw (str): the document text.
    config (ReaderConfig | None): cleaning settings, default ReaderConfig().
    RETURNS (CleanText): the clean text and its offsets into `raw`.
    """
    config = config or ReaderConfig()
    items = _scan_lines(raw, config)
    lines = [line for kind, line in items if kind == "line" and line is not None]
    width = _wrap_width(lines)
    wrapped = _MIN_WRAP_WIDTH <= width <= config.max_wrap_width
    if wrapped:
        for line in lines:
            line.centered = not line.row and _is_centered(line, width)
    out: List[str] = []
    offsets: List[int] = []
    prev: Optional[_Line] = None
    gap = "none"
    for kind, line in items:
        if kind != "line" or line is None:
            gap = _stronger_gap(gap, kind)
            continue
        if prev is not None:
            glue: Optional[str] = None
            if prev.header or line.header or gap in ("blank", "table"):
                glue = None
            elif gap == "page":
                glue = _join_across_page(prev, line) if config.join_lines else None
            elif gap == "none" and config.join_lines:
                glue = _join_wrapped(prev, line, width, wrapped)
            if glue is not None:
                if glue:
                    out.append(glue)
                    offsets.append(prev.last_pos + 1)
            elif gap == "none" or gap == "row":
                if prev.header or line.header:
                    out.append("\n\n")
                    offsets.extend((prev.last_pos + 1, line.first_pos - 1))
                else:
                    out.append("\n")
                    offsets.append(prev.last_pos + 1)
            else:
                out.append("\n\n")
                offsets.extend((prev.last_pos + 1, line.first_pos - 1))
        _emit_line(line, config.column_gap, out, offsets)
        prev = line
        gap = "none"
    text = "".join(out)
    offsets.append(len(raw))
    return CleanText(text, offsets)


_GAP_RANK: Dict[str, int] = {"none": 0, "row": 1, "page": 2, "blank": 3, "table": 4}


def _stronger_gap(gap: str, kind: str) -> str:
    if kind == "blank" and gap == "page":
        return "page"  # blank lines around a page break belong to the break
    if kind == "page" and gap == "blank":
        return "page"
    return kind if _GAP_RANK[kind] > _GAP_RANK[gap] else gap


def _emit_line(line: _Line, column_gap: int, out: List[str], offsets: List[int]) -> None:
    chars, pos = line.chars, line.pos
    i = line.start
    while i < line.end:
        c = chars[i]
        if not c.isspace():
            out.append(c)
            offsets.append(pos[i])
            i += 1
            continue
        j = i
        columns = 0
        while j < line.end and chars[j].isspace():
            columns += 8 if chars[j] == "\t" else 1
            j += 1
        column = line.row and (
            "\t" in chars[i:j] or _is_column_gap(chars[i - 1], columns, chars[j] if j < line.end else "", column_gap)
        )
        out.append("\t" if column else " ")
        offsets.append(pos[i])
        i = j


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

_PARAGRAPH_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 table ul ol dl blockquote hr section article header footer nav aside main "
    "figure figcaption address center form fieldset caption body html dir menu".split()
)
_LINE_TAGS = frozenset("br tr li dt dd option thead tbody tfoot legend".split())
_CELL_TAGS = frozenset(("td", "th"))
_SKIP_TAGS = frozenset("script style title template noscript ix:header xml".split())
_LAYOUT_CELL_CHARS = 200  # a longer cell holds page layout, not data: its paragraphs stay
_VOID_TAGS = frozenset("br hr img input meta link area base col embed param source track wbr".split())


class _TableState:
    __slots__ = ("row_has_content", "in_cell", "cell_started", "cell_chars")

    def __init__(self) -> None:
        self.row_has_content = False
        self.in_cell = False
        self.cell_started = False
        self.cell_chars = 0


class _HtmlCleaner(HTMLParser):
    """Walks HTML tokens with their source positions and writes clean text."""

    def __init__(self, raw: str, config: ReaderConfig) -> None:
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self.config = config
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", raw)]
        self.out: List[str] = []
        self.offsets: List[int] = []
        self.pending_break = 0
        self.break_pos = 0
        self.pending_sep: Optional[int] = None
        self.pending_space: Optional[int] = None
        self.space_char = " "
        self.skip: List[str] = []
        self.tables: List[_TableState] = []
        self.pre_depth = 0
        self.pre_chars: List[str] = []
        self.pre_pos: List[int] = []

    # positions -----------------------------------------------------------
    def _here(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    # output --------------------------------------------------------------
    def _in_short_cell(self) -> Optional[bool]:
        """None outside table cells; else whether the cell is still short enough to stay on its row's line."""
        if not self.tables or not self.tables[-1].in_cell:
            return None
        return self.tables[-1].cell_chars < _LAYOUT_CELL_CHARS

    def _request_break(self, level: int, pos: int) -> None:
        table = self.tables[-1] if self.tables else None
        if table is not None and table.in_cell and not table.cell_started:
            return  # block markup that opens a cell separates nothing
        if not self.out:
            return
        if self._in_short_cell():
            # a row stays one line: breaks inside a data cell become a space
            if self.pending_space is None:
                self.pending_space = pos
            return
        if self.pending_break == 0:
            self.break_pos = pos
        self.pending_break = max(self.pending_break, level)

    def _emit(self, c: str, pos: int) -> None:
        if self.pre_depth:
            self.pre_chars.append(c)
            self.pre_pos.append(pos)
            return
        if c.isspace():
            if self.out and self.pending_space is None:
                self.pending_space = pos
            return
        if self.out:
            if self.pending_break:
                self.out.append("\n" * self.pending_break)
                self.offsets.extend([self.break_pos] * self.pending_break)
            elif self.pending_sep is not None:
                self.out.append(self.config.cell_separator)
                self.offsets.extend([self.pending_sep] * len(self.config.cell_separator))
            elif self.pending_space is not None:
                self.out.append(self.space_char)
                self.offsets.append(self.pending_space)
        self.pending_break = 0
        self.pending_sep = None
        self.pending_space = None
        self.space_char = " "
        self.out.append(c)
        self.offsets.append(pos)
        if self.tables and self.tables[-1].in_cell:
            self.tables[-1].cell_started = True
            self.tables[-1].row_has_content = True
            self.tables[-1].cell_chars += 1

    # tokens --------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        pos = self._here()
        if tag == "body" and self.skip and self.skip[0] not in ("script", "style"):
            self.skip.clear()  # an unclosed <title> ends where the body starts
        if self.skip:
            if tag == self.skip[-1] and tag not in _VOID_TAGS:
                self.skip.append(tag)
            return
        if tag in _SKIP_TAGS:
            self.skip.append(tag)
            return
        if tag == "pre":
            if not self.pre_depth:
                self._request_break(2, pos)
            self.pre_depth += 1
            return
        if self.pre_depth:
            if tag == "br":
                self._emit("\n", pos)
            return
        if tag == "table":
            self._request_break(2, pos)
            self.tables.append(_TableState())
        elif tag == "tr" and self.tables:
            table = self.tables[-1]
            table.in_cell = False
            if table.row_has_content and self.out:
                self.pending_break = 1
                self.break_pos = pos
                self.pending_sep = None
            table.row_has_content = False
        elif tag in _CELL_TAGS and self.tables:
            table = self.tables[-1]
            if table.row_has_content:
                self.pending_break = 0
                self.pending_sep = pos
            table.in_cell = True
            table.cell_started = False
            table.cell_chars = 0
        elif tag == "br":
            short_cell = self._in_short_cell()
            if short_cell is not None:
                self._request_break(1, pos)
            elif self.out:
                if self.pending_break == 0:
                    self.break_pos = pos
                self.pending_break = min(2, self.pending_break + 1)
        elif tag in _PARAGRAPH_TAGS:
            self._request_break(2, pos)
        elif tag in _LINE_TAGS:
            self._request_break(1, pos)

    def handle_startendtag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        pos = self._here()
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag == "pre" and self.pre_depth:
            self.pre_depth -= 1
            if not self.pre_depth:
                self._flush_pre()
                self._request_break(2, pos)
            return
        if self.pre_depth:
            return
        if tag == "table" and self.tables:
            self.tables.pop()
            self._request_break(2, pos)
        elif tag == "tr" and self.tables:
            self.tables[-1].in_cell = False
            self._request_break(1, pos)
        elif tag in _CELL_TAGS and self.tables:
            self.tables[-1].in_cell = False
        elif tag in _PARAGRAPH_TAGS:
            self._request_break(2, pos)
        elif tag in _LINE_TAGS:
            self._request_break(1, pos)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        pos = self._here()
        for i, c in enumerate(data):
            if c < " " and not c.isspace() or "\x7f" <= c <= "\x9f":
                continue
            self._emit(c, pos + i)

    def handle_entityref(self, name: str) -> None:
        if self.skip:
            return
        pos = self._here()
        end = pos + 1 + len(name)
        if self.raw.startswith(";", end):
            end += 1
        decoded = _HTML5_ENTITIES.get(self.raw[pos + 1 : end])
        if decoded is None:
            decoded = _HTML5_ENTITIES.get(name)
        if decoded is None:
            for i in range(pos, end):
                self._emit(self.raw[i], i)
            return
        for c in decoded:
            self._emit(c, pos)

    def handle_charref(self, name: str) -> None:
        if self.skip:
            return
        pos = self._here()
        end = pos + 2 + len(name)
        if self.raw.startswith(";", end):
            end += 1
        for c in html.unescape(self.raw[pos:end]):
            if c < " " and not c.isspace() or "\x7f" <= c <= "\x9f":
                continue
            self._emit(c, pos)

    def _flush_pre(self) -> None:
        """Preformatted text is legacy plain text inside HTML: clean it as such."""
        chars, pos = self.pre_chars, self.pre_pos
        self.pre_chars, self.pre_pos = [], []
        inner = clean_plain("".join(chars), config=self.config)
        for c, k in zip(inner.text, inner.offsets):
            if c == "\n":  # keep the lines and paragraphs of the preformatted text
                if self.out:
                    if self.pending_break == 0:
                        self.break_pos = pos[k]
                    self.pending_break = min(2, self.pending_break + 1)
            elif c == "\t":  # and its table columns
                if self.out and self.pending_space is None:
                    self.pending_space = pos[k]
                    self.space_char = "\t"
            else:
                self._emit(c, pos[k])

    def result(self) -> CleanText:
        return CleanText("".join(self.out), self.offsets + [len(self.raw)])


def clean_html(raw: str, *, config: Optional[ReaderConfig] = None) -> CleanText:
    """Clean an HTML document with an HTML tokenizer.

    Block elements end paragraphs, `<br>` ends a line, a table row becomes one line
    with its non-empty cells joined by `config.cell_separator`, a list item one line;
    entities are decoded (a decoded character points at its `&`); scripts, styles,
    titles, comments and inline-XBRL headers are dropped; `<pre>` content is cleaned
    as plain text.

    raw (str): the HTML source.
    config (ReaderConfig | None): cleaning settings, default ReaderConfig().
    RETURNS (CleanText): the clean text and its offsets into `raw`.
    """
    config = config or ReaderConfig()
    parser = _HtmlCleaner(raw, config)
    parser.feed(raw)
    parser.close()
    if parser.pre_depth:  # an unclosed <pre>
        parser.pre_depth = 0
        parser._flush_pre()
    return parser.result()
