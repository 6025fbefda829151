"""The cleaners: what they delete, join and keep, and that offsets always lead back to the source."""
import re

import pytest

from immunoextract.filings import ReaderConfig, clean_html, clean_plain, clean_text, detect_kind
from immunoextract.filings.parser import CleanText


def check_offsets(raw: str, clean: CleanText, *, html: bool = False) -> None:
    """The offset contract: one entry per clean character plus the end, never decreasing,
    and every visible clean character comes from the same character of the source
    (or, in HTML, from the `&` of an entity, or a cell separator from a tag)."""
    text, offsets = clean
    assert len(offsets) == len(text) + 1
    assert offsets[-1] == len(raw)
    assert all(a <= b for a, b in zip(offsets, offsets[1:]))
    for i, c in enumerate(text):
        assert 0 <= offsets[i] < len(raw)
        if c.isspace():
            continue
        source = raw[offsets[i]]
        if html:
            assert source == c or source == "&" or (c == "|" and source == "<"), (i, c, source)
        else:
            assert source == c, (i, c, source)


def kept_alnum(raw: str, clean: CleanText) -> str:
    """The letters and digits of the source that the clean text keeps, in order."""
    kept = set(clean.offsets[:-1])
    return "".join(c for k, c in enumerate(raw) if c.isalnum() and k in kept)


WRAPPED = (
    "The company said today that it has licensed the rights to its lead product\n"
    "candidate to a partner in Europe, and that the partner will pay an upfront\n"
    "fee. The drug code of the conjugate is huC99-\n"
    "DM7, and its antibody is an anti-\n"
    "body to the target.\n"
    "\n"
    "A second paragraph follows    after a blank line, with   folded spaces.\n"
)


def test_clean_plain_joins_hard_wrapped_lines() -> None:
    clean = clean_plain(WRAPPED)
    check_offsets(WRAPPED, clean)
    first, second = clean.text.split("\n\n")
    assert "\n" not in first
    assert "lead product candidate to a partner" in first
    assert "huC99-DM7" in first
    assert "anti-body" in first
    assert second == "A second paragraph follows after a blank line, with folded spaces."


def test_clean_plain_keeps_every_letter() -> None:
    clean = clean_plain(WRAPPED)
    assert kept_alnum(WRAPPED, clean) == "".join(c for c in WRAPPED if c.isalnum())


def test_clean_plain_join_lines_off_keeps_line_breaks() -> None:
    clean = clean_plain(WRAPPED, config=ReaderConfig(join_lines=False))
    check_offsets(WRAPPED, clean)
    assert "lead product\ncandidate" in clean.text
    assert "huC99-\nDM7" in clean.text


LEGACY = """<PAGE>

                                                                  EXHIBIT 99.1

                  ACME BIOLOGICS REPORTS PROGRESS WITH ITS
                         CONJUGATE PROGRAM IN EUROPE

<TABLE>
<CAPTION>
<S>                                         <C>
Jane Q. Example                             John R. Sample
Acme Biologics, Inc.                        Sample Relations
</TABLE>

BOSTON, MA, MAY 1, 1996 -- Acme Biologics, Inc. said today that its partner
has started a Phase I study of the conjugate in patients with solid tumors,
the first study of the product in Europe. The partner will pay a milestone
to the company when the study is complete and will share the results of the

                                    -more-

<PAGE>

study with regulators in the European Union and in the United States of
America.

                                     -2-

<PAGE>

Acme Biologics, Inc. -- Page 3

Dated:  May 1, 1996           /s/ JANE Q. EXAMPLE
"""


@pytest.fixture
def legacy() -> CleanText:
    return clean_plain(LEGACY)


def test_clean_plain_offsets_contract(legacy: CleanText) -> None:
    check_offsets(LEGACY, legacy)


@pytest.mark.parametrize("markup", ["<PAGE>", "<TABLE>", "</TABLE>", "<CAPTION>", "<S>", "<C>", "-more-", "-2-"])
def test_clean_plain_deletes_markup(legacy: CleanText, markup: str) -> None:
    assert markup not in legacy.text


def test_clean_plain_deletes_only_markup_and_page_numbers(legacy: CleanText) -> None:
    dropped = re.sub(r"<[^>]*>|-more-|-2-", "", LEGACY)
    assert kept_alnum(LEGACY, legacy) == "".join(c for c in dropped if c.isalnum())


def test_clean_plain_keeps_headline_lines(legacy: CleanText) -> None:
    assert "ACME BIOLOGICS REPORTS PROGRESS WITH ITS\nCONJUGATE PROGRAM IN EUROPE" in legacy.text
    assert "\n\nEXHIBIT 99.1\n\n" in "\n\n" + legacy.text


def test_clean_plain_table_rows_stay_lines(legacy: CleanText) -> None:
    assert "Jane Q. Example\tJohn R. Sample\nAcme Biologics, Inc.\tSample Relations" in legacy.text


def test_clean_plain_dateline_in_capitals_joins_its_paragraph(legacy: CleanText) -> None:
    assert "BOSTON, MA, MAY 1, 1996 -- Acme Biologics, Inc. said today" in legacy.text


def test_clean_plain_sentence_runs_over_page_break(legacy: CleanText) -> None:
    assert "share the results of the study with regulators" in legacy.text
    assert "States of America." in legacy.text


def test_clean_plain_page_header_is_own_paragraph(legacy: CleanText) -> None:
    assert "\n\nAcme Biologics, Inc. -- Page 3\n\n" in legacy.text


def test_clean_plain_signature_row_keeps_columns(legacy: CleanText) -> None:
    assert legacy.text.endswith("Dated: May 1, 1996\t/s/ JANE Q. EXAMPLE")


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Alpha\r\nBeta gamma\r\n", "Alpha\nBeta gamma"),
        ("\n\n  leading blank lines\n\n\n", "leading blank lines"),
        ("End.\f\nNext", "End.\n\nNext"),
        ("a sentence runs\f\non over the page", "a sentence runs on over the page"),
        ("ctrl\x07chars\x1b here", "ctrlchars here"),
        ("   ", ""),
        ("", ""),
        ("- more -\nText", "Text"),
        ("12\nText of the page", "Text of the page"),
        ("• first item\n• second item", "• first item\n• second item"),
    ],
)
def test_clean_plain_edge_cases(raw: str, expected: str) -> None:
    clean = clean_plain(raw)
    assert clean.text == expected
    check_offsets(raw, clean)


def test_clean_plain_unwrapped_text_keeps_single_newlines() -> None:
    long_line = "This paragraph is one long line of text, " * 8
    raw = f"{long_line.strip()}\nA Heading In Title Case\nAnother paragraph that is one long line. {long_line.strip()}\ncontinued in lower case."
    clean = clean_plain(raw)
    check_offsets(raw, clean)
    assert "\nA Heading In Title Case\nAnother" in clean.text
    assert clean.text.endswith("line of text, continued in lower case.")


HTML = """<html><head><title>EX-99</title><style>b { color: red }</style>
<script>var x = "<p>not text</p>";</script></head>
<body><!-- a comment -->
<p>Acme&nbsp;Biologics &amp; Partner&#8217;s <b>deal</b>
  for huC99-DM7.<br>Second line&#x2014;here.</p>
<table><tr><td><p>Drug</p></td><td>&nbsp;</td><td>Stage</td></tr>
<tr><td>huC99-DM7</td><td></td><td>Phase&nbsp;I</td></tr></table>
<ul><li>one</li><li>two &unknown; three</li></ul>
<pre>
Preformatted line one
preformatted continued
</pre>
<div>End</div></body></html>"""


@pytest.fixture
def html_clean() -> CleanText:
    return clean_html(HTML)


def test_clean_html_offsets_contract(html_clean: CleanText) -> None:
    check_offsets(HTML, html_clean, html=True)


def test_clean_html_structure(html_clean: CleanText) -> None:
    assert html_clean.text == (
        "Acme Biologics & Partner’s deal for huC99-DM7.\nSecond line—here.\n\n"
        "Drug | Stage\nhuC99-DM7 | Phase I\n\n"
        "one\ntwo &unknown; three\n\n"
        "Preformatted line one preformatted continued\n\n"
        "End"
    )


@pytest.mark.parametrize("entity,char", [("&amp;", "&"), ("&#8217;", "’"), ("&#x2014;", "—")])
def test_clean_html_entity_maps_to_its_ampersand(html_clean: CleanText, entity: str, char: str) -> None:
    source = HTML.index(entity)
    clean_index = html_clean.offsets.index(source)
    assert html_clean.text[clean_index] == char


def test_clean_html_drops_head_script_style_comment(html_clean: CleanText) -> None:
    for hidden in ("EX-99", "color", "not text", "comment"):
        assert hidden not in html_clean.text


def test_clean_html_mention_maps_back(html_clean: CleanText) -> None:
    start = html_clean.text.index("huC99-DM7 | Phase I")
    s, e = html_clean.offsets[start], html_clean.offsets[start + len("huC99-DM7") - 1] + 1
    assert HTML[s:e] == "huC99-DM7"


@pytest.mark.parametrize(
    "raw",
    [
        "<p>unclosed <b>bold <i>italic",
        "<table><td>cell without row<td>second",
        "text &amp and &#99999999; and &#; end",
        "<p>a<br/>b<hr/>c</p>",
        "<title>never closed <body><p>Body text</p>",
        "<pre>never closed\nline",
        "<",
    ],
)
def test_clean_html_survives_malformed_input(raw: str) -> None:
    clean = clean_html(raw)
    check_offsets(raw, clean, html=True)


def test_clean_html_unclosed_title_does_not_hide_body() -> None:
    assert clean_html("<title>never closed <body><p>Body text</p>").text == "Body text"


@pytest.mark.parametrize(
    "raw,kind",
    [
        ("<html><body><p>Hi</p></body></html>", "html"),
        ("<P>Old style<BR>html</P><P>second</P>", "html"),
        ("<DIV>one</DIV><DIV>two</DIV>", "html"),
        ("<PAGE>\n<TABLE>\n<CAPTION>\n<S>   <C>\nrow\n</TABLE>\n", "plain"),
        ("Plain text that mentions a <b> tag once.", "plain"),
        ("Just words.", "plain"),
    ],
)
def test_detect_kind(raw: str, kind: str) -> None:
    assert detect_kind(raw) == kind


def test_clean_text_dispatches_on_kind() -> None:
    raw = "<p>One &amp; two</p>"
    assert clean_text(raw).text == "One & two"
    assert clean_text(raw, "plain").text == raw
    assert clean_text(raw, "html") == clean_html(raw)


def test_clean_html_table_row_stays_one_line() -> None:
    raw = "<table><tr><td><div>Phase<br/>2</div></td><td>&#160;</td><td><p>Ongoing</p><p>since 2020</p></td></tr></table>"
    clean = clean_html(raw)
    check_offsets(raw, clean, html=True)
    assert clean.text == "Phase 2 | Ongoing since 2020"


def test_clean_html_layout_cell_keeps_paragraphs() -> None:
    long_paragraph = "A press release laid out in one table cell, as old HTML exhibits are. " * 4
    raw = f"<table><tr><td><p>{long_paragraph}</p><p>Second paragraph.</p>Line one<br>Line two</td></tr></table>"
    clean = clean_html(raw)
    check_offsets(raw, clean, html=True)
    assert clean.text == f"{long_paragraph.strip()}\n\nSecond paragraph.\n\nLine one\nLine two"
