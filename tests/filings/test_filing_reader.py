"""Reading files: format detection, documents of a submission, metadata, decoding, and bad input."""
import re
import warnings
from pathlib import Path
from typing import Iterable, List

import pytest
from bs4 import BeautifulSoup

from immunoextract.errors import FilingError, ImmunoextractWarning
from immunoextract.filings import (
    Filing,
    FilingWarning,
    ReaderConfig,
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


@pytest.fixture(scope="module")
def filings_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "filings"


def normalise(text: str, *, html: bool = False) -> str:
    """White space folded, and a line-end hyphen joined to the next line as the cleaner does;
    for HTML, the text as an independent parser (BeautifulSoup) reads it."""
    if html:
        text = BeautifulSoup(text, "html.parser").get_text()
    return " ".join(re.sub(r"(?<=\w-)[ \t]*\r?\n\s*", "", text).split())


def check_mentions(filing: Filing, mentions: Iterable[str]) -> None:
    """Every occurrence of each mention in the clean text maps to the same words in the source, and back."""
    html = filing.meta.get("kind") == "html"
    for mention in mentions:
        starts = [m.start() for m in re.finditer(re.escape(mention), filing.text)]
        assert starts, f"{mention!r} is not in the clean text of {filing.id}"
        for start in starts:
            s, e = filing.to_source(start, start + len(mention))
            assert normalise(filing.source_text[s:e], html=html) == normalise(mention)
            assert filing.to_clean(s, e) == (start, start + len(mention))


def read_all(path: Path, **kwargs) -> List[Filing]:
    return list(read_filing(path, **kwargs))


# ---------------------------------------------------------------------------
# Full submission
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def submission(filings_dir: Path) -> List[Filing]:
    return read_all(filings_dir / "submission_8k.txt")


def test_reader_submission_gives_one_filing_per_text_document(submission: List[Filing]) -> None:
    assert [f.id for f in submission] == [f"0001111111-03-000042-{n}" for n in (1, 2, 3)]
    assert [f.meta["exhibit_type"] for f in submission] == ["8-K", "EX-99.1", "EX-99.2"]
    assert [f.meta["kind"] for f in submission] == ["plain", "plain", "html"]


def test_reader_submission_metadata(submission: List[Filing]) -> None:
    main, release, sheet = submission
    for filing in submission:
        assert filing.meta["company"] == "ACME BIOLOGICS INC"
        assert filing.meta["form"] == "8-K"
        assert filing.meta["filing_date"] == "2003-01-24"
        assert filing.meta["accession"] == "0001111111-03-000042"
        assert filing.meta["encoding"] == "utf-8"
    assert main.meta["date"] == "2003-01-24"  # no dateline: the filing date
    assert release.meta["date"] == "2003-01-23"  # the dateline
    assert sheet.meta["date"] == "2003-01-23"
    assert release.meta["sequence"] == 2
    assert release.meta["filename"] == "a12345exv99w1.txt"
    assert release.meta["description"] == "PRESS RELEASE"
    assert sheet.meta["description"] == "FACT SHEET"


def test_reader_submission_source_text_is_the_text_block(filings_dir: Path, submission: List[Filing]) -> None:
    raw = (filings_dir / "submission_8k.txt").read_text(encoding="utf-8")
    for filing in submission:
        start = filing.meta["source_offset"]
        assert raw[start : start + len(filing.source_text)] == filing.source_text
        assert raw[start - len("<TEXT>") : start] == "<TEXT>"
        assert raw[start + len(filing.source_text) :].startswith("</TEXT>")


def test_reader_submission_plain_exhibit_mentions(submission: List[Filing]) -> None:
    release = submission[1]
    assert "huZ11-MX2" in release.text and "lorbatamab vedotin" in release.text
    assert "<PAGE>" not in release.text
    check_mentions(
        release,
        ["Acme Biologics, Inc.", "Northwind Pharma AG", "lorbatamab vedotin", "huZ11-MX2", "GPC7", "Lena Ortiz", "Acme Biologics"],
    )


def test_reader_submission_html_exhibit_mentions(submission: List[Filing]) -> None:
    sheet = submission[2]
    assert "lorbatamab vedotin | GPC7 | Northwind Pharma AG" in sheet.text
    assert "ACME BIOLOGICS & NORTHWIND PHARMA: FACT SHEET" in sheet.text
    assert "Upfront fee: $12 million\nMilestones: up to $140 million" in sheet.text
    assert "Fact sheet" not in sheet.text  # the <TITLE>
    check_mentions(sheet, ["Acme Biologics, Inc.", "Northwind Pharma AG", "lorbatamab vedotin", "AB-3310", "KRX9"])


@pytest.mark.parametrize(
    "types,expected",
    [
        (("EX-99.1",), ["EX-99.1"]),
        (("ex-99.2",), ["EX-99.2"]),
        (("EX-99*",), ["EX-99.1", "EX-99.2"]),
        ("8-K", ["8-K"]),
        (("GRAPHIC",), []),
        (("EX-10*",), []),
        (None, ["8-K", "EX-99.1", "EX-99.2"]),
    ],
)
def test_reader_selects_document_types(filings_dir: Path, types, expected: List[str]) -> None:
    found = read_all(filings_dir / "submission_8k.txt", config=ReaderConfig(types=types))
    assert [f.meta["exhibit_type"] for f in found] == expected


# ---------------------------------------------------------------------------
# Single files
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def legacy(filings_dir: Path) -> Filing:
    (filing,) = read_all(filings_dir / "legacy_1995.txt")
    return filing


def test_reader_legacy_metadata(legacy: Filing, filings_dir: Path) -> None:
    assert legacy.id == "legacy_1995"
    assert legacy.meta["company"] == "Bramble Therapeutics, Inc."
    assert legacy.meta["date"] == "1995-01-05"
    assert legacy.meta["exhibit_type"] == "EX-99"
    assert legacy.meta["form"] is None and legacy.meta["filing_date"] is None
    assert legacy.meta["source_offset"] == 0
    assert legacy.meta["path"] == str(filings_dir / "legacy_1995.txt")
    assert legacy.source_text == (filings_dir / "legacy_1995.txt").read_text(encoding="utf-8")


def test_reader_legacy_cleaning(legacy: Filing) -> None:
    text = legacy.text
    for markup in ("<PAGE>", "<TABLE>", "<CAPTION>", "<S>", "<C>", "-more-", "-2-", "\n1\n"):
        assert markup not in text
    assert "BRAMBLE THERAPEUTICS STARTS PHASE II STUDY OF FELZORIN\nIN PATIENTS WITH CHRONIC KIDNEY DISEASE" in text
    assert "Harriet M. Quill\tTobias Wren\nChief Financial Officer\tWren Public Relations" in text
    assert "anti-inflammatory partner compound, the cytokine blocker dazumab-PX3." in text
    assert "\n\nBramble Therapeutics, Inc. -- Page 2\n\n" in text
    assert "in the treatment of diabetic nephropathy" in text  # a sentence over a page break
    assert "felzorin. Bramble's partners" in text  # folded spaces
    assert "small-molecule medicines" in text
    assert text.endswith("###")


def test_reader_legacy_mentions(legacy: Filing) -> None:
    check_mentions(
        legacy,
        [
            "Bramble Therapeutics, Inc.",
            "Bramble Therapeutics",
            "BRAMBLE THERAPEUTICS",
            "Harriet M. Quill",
            "Tobias Wren",
            "felzorin",
            "FELZORIN",
            "BT-4417",
            "KRX9",
            "Halvard Pharmaceuticals Ltd.",
            "dazumab-PX3",
            "Osterby Biolabs",
        ],
    )


def test_reader_cp1252_file(filings_dir: Path) -> None:
    (filing,) = read_all(filings_dir / "legacy_cp1252.txt")
    assert filing.meta["encoding"] == "cp1252"
    assert filing.meta["date"] == "1996-02-02"
    assert filing.meta["company"] == "Société Lumière S.A."
    assert "“LUM-22” – Osterby’s first deal in Europe." in filing.text
    check_mentions(filing, ["Société Lumière S.A.", "Société Lumière", "Osterby Biolabs Corp.", "LUM-22", "Amélie Durand"])


def test_reader_html_file(filings_dir: Path) -> None:
    (filing,) = read_all(filings_dir / "exhibit.html")
    assert filing.meta["kind"] == "html"
    assert filing.meta["company"] == "Acme Biologics, Inc."
    assert filing.meta["date"] == "2021-03-03"
    text = filing.text
    assert text.startswith("Acme Biologics & Northwind Pharma AG Enter a Licensing Agreement for huZ11-MX2\n\n")
    assert "Acme Biologics’ partner will pay $25 million up front.\nThe companies" in text
    assert "Product | Partner | Stage\nhuZ11-MX2 | Northwind Pharma AG | Phase I\nAB-3310 | Osterby Biolabs & Co. | Preclinical" in text
    assert "Upfront payment of $25 million\nMilestones of up to $310 million\nRoyalties on sales of huZ11-MX2" in text
    assert "antibody–drug conjugate" in text
    assert "“We are pleased,” said Lena Ortiz" in text
    for hidden in ("Hidden Script Pharma", "Comment Pharma", "press release", "margin"):
        assert hidden not in text
    check_mentions(filing, ["Acme Biologics, Inc.", "Northwind Pharma AG", "huZ11-MX2", "GPC7", "Lena Ortiz", "AB-3310"])
    amp = filing.text.index("&")
    assert filing.source_text[filing.offsets[amp] : filing.offsets[amp] + 5] == "&amp;"


def test_reader_single_file_ignores_type_selection(filings_dir: Path) -> None:
    assert len(read_all(filings_dir / "legacy_1995.txt", config=ReaderConfig(types=("EX-10*",)))) == 1


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,problem",
    [
        ("empty.txt", "the file is empty"),
        ("binary.bin", "a binary file"),
        ("does-not-exist.txt", "cannot read the file"),
    ],
)
def test_reader_unreadable_file_raises(filings_dir: Path, name: str, problem: str) -> None:
    with pytest.raises(FilingError) as info:
        read_all(filings_dir / name)
    assert problem in str(info.value)
    assert info.value.path == str(filings_dir / name)
    assert str(info.value).startswith(str(filings_dir / name))


def test_reader_blank_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("  \n\n \t\n")
    with pytest.raises(FilingError, match="empty"):
        read_all(path)


def test_reader_invalid_utf8_strict_raises(filings_dir: Path) -> None:
    with pytest.raises(FilingError, match=r"not utf-8 text: byte 0x81 at byte offset 29") as info:
        read_all(filings_dir / "invalid_utf8.txt", config=ReaderConfig(encodings=("utf-8",)))
    assert info.value.path == str(filings_dir / "invalid_utf8.txt")


def test_reader_invalid_utf8_falls_back_with_warning(filings_dir: Path) -> None:
    with pytest.warns(FilingWarning, match="neither utf-8 nor cp1252 text and were read as latin-1"):
        (filing,) = read_all(filings_dir / "invalid_utf8.txt")
    assert filing.meta["encoding"] == "cp1252+latin-1"
    assert filing.text == "Halvard Pharmaceuticals Ltd. reported garbage Ã( bytes."


def test_reader_truncated_document_warns_and_reads(filings_dir: Path) -> None:
    with pytest.warns(FilingWarning, match=r"0002222222-98-000007-2.*truncated, no </DOCUMENT> and </TEXT>"):
        found = read_all(filings_dir / "truncated_submission.txt")
    assert [f.meta["exhibit_type"] for f in found] == ["8-K", "EX-99"]
    exhibit = found[1]
    assert exhibit.meta["truncated"] is True
    assert exhibit.meta["date"] == "1998-02-27"
    assert exhibit.text.endswith("cut off in the middle of a sent")
    check_mentions(exhibit, ["Osterby Biolabs Corp.", "OB-17", "Halvard Pharmaceuticals Ltd."])


def test_reader_truncated_document_with_nothing_left_raises(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_text("<SEC-HEADER>\nCOMPANY CONFORMED NAME: X CORP\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>EX-99.1\n<TEXT>\n  \n")
    with pytest.raises(FilingError, match="truncated .*nothing readable") as info:
        read_all(path)
    assert info.value.doc_id == "cut-1" and info.value.line == 4


def test_reader_submission_without_documents(tmp_path: Path) -> None:
    path = tmp_path / "header-only.txt"
    path.write_text("<SEC-HEADER>\nCOMPANY CONFORMED NAME: X CORP\n</SEC-HEADER>\n")
    with pytest.raises(FilingError, match="without any <DOCUMENT>"):
        read_all(path)


BROKEN_PROBLEMS = {
    "0003333333-99-000011-2": (16, "no <TEXT> block"),
    "0003333333-99-000011-3": (21, "<TEXT> block is empty"),
    "0003333333-99-000011-4": (27, "binary content"),
}


def test_iter_filings_reports_each_bad_document_and_keeps_the_good(filings_dir: Path) -> None:
    items = list(iter_filings([filings_dir / "broken_submission.txt"]))
    good = [i for i in items if isinstance(i, Filing)]
    bad = [i for i in items if isinstance(i, FilingError)]
    assert [f.id for f in good] == ["0003333333-99-000011-1", "0003333333-99-000011-5"]
    assert {e.doc_id: (e.line, e.problem) for e in bad}.keys() == BROKEN_PROBLEMS.keys()
    for err in bad:
        line, problem = BROKEN_PROBLEMS[err.doc_id]
        assert err.line == line and problem in err.problem
        assert err.path == str(filings_dir / "broken_submission.txt")
    check_mentions(good[0], ["Halvard Pharmaceuticals Ltd.", "felzorin", "Bramble Therapeutics, Inc."])


def test_iter_filings_goes_on_after_bad_files(filings_dir: Path) -> None:
    names = ["empty.txt", "legacy_1995.txt", "binary.bin", "exhibit.html", "missing.txt"]
    items = list(iter_filings(filings_dir / name for name in names))
    assert [type(i).__name__ for i in items] == ["FilingError", "Filing", "FilingError", "Filing", "FilingError"]


def test_read_filing_raises_after_the_good_documents(filings_dir: Path) -> None:
    seen: List[str] = []
    with pytest.raises(FilingError, match="no <TEXT> block") as info:
        for filing in read_filing(filings_dir / "broken_submission.txt"):
            seen.append(filing.id)
    assert seen == ["0003333333-99-000011-1", "0003333333-99-000011-5"]
    assert any("2 more document" in note for note in info.value.__notes__)


def test_read_filing_on_error_skip_and_warn(filings_dir: Path) -> None:
    path = filings_dir / "broken_submission.txt"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(read_all(path, on_error="skip")) == 2
    with pytest.warns(FilingWarning) as record:
        assert len(read_all(path, on_error="warn")) == 2
    assert len(record) == 3
    with pytest.raises(FilingError, match="on_error"):
        read_all(path, on_error="ignore")


def test_filing_warning_is_an_immunoextract_warning() -> None:
    assert issubclass(FilingWarning, ImmunoextractWarning)


# ---------------------------------------------------------------------------
# read_text
# ---------------------------------------------------------------------------


def test_read_text_keeps_given_meta_and_fills_the_rest() -> None:
    text = "BOSTON, Jan. 5, 2004 -- Acme Biologics, Inc. (Nasdaq: ACMB) today\nannounced a deal."
    filing = read_text(text, doc_id="r1", meta={"source": "x", "company": "Given Co"})
    assert filing.id == "r1" and filing.source_text == text
    assert filing.text == "BOSTON, Jan. 5, 2004 -- Acme Biologics, Inc. (Nasdaq: ACMB) today announced a deal."
    assert filing.meta == {"source": "x", "company": "Given Co", "date": "2004-01-05", "kind": "plain"}


@pytest.mark.parametrize("text,problem", [("", "empty"), (" \n ", "empty"), ("<PAGE>\n-more-\n", "no readable text")])
def test_read_text_without_text_raises(text: str, problem: str) -> None:
    with pytest.raises(FilingError, match=problem) as info:
        read_text(text, doc_id="r2")
    assert info.value.doc_id == "r2"


# ---------------------------------------------------------------------------
# Pure helpers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("CAMBRIDGE, MA, JANUARY 24, 2003 -- ImmunoGen, Inc. today", "2003-01-24"),
        ("March 3, 2021 /PRNewswire/ -- Acme today announced", "2021-03-03"),
        ("NEW YORK, Jan. 5, 2004 -- Acme said", "2004-01-05"),
        ("DUBLIN , March 18, 2019 /PRNewswire/ -- Allergan plc", "2019-03-18"),
        ("SOUTH SAN FRANCISCO, Calif., March 30, 2020 (GLOBE NEWSWIRE) -- X Inc.", "2020-03-30"),
        ("LONDON, 18 March 2019 -- Acme plc", "2019-03-18"),
        ("Fair Lawn, New Jersey, July 21, 1994 Biocraft Laboratories", "1994-07-21"),
        ("HEADLINE\n\nSept. 9, 1999 -- Acme", "1999-09-09"),
        ("Letter\n\nAugust 4, 1994\n\nDear Stockholder:", "1994-08-04"),
        ("Dated:  September 19, 2002      /s/ A. NAME", "2002-09-19"),
        ("The Annual Report for the year ended June 30, 2002 of the Company", None),
        ("BOSTON, February 30, 2003 -- an impossible date", None),
        ("No date at all.", None),
    ],
)
def test_find_date(text: str, expected) -> None:
    assert find_date(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("BOSTON, Jan. 5, 2004 -- Boehringer Ingelheim and ImmunoGen, Inc. (Nasdaq: IMGN) today", "ImmunoGen, Inc."),
        ("Whitehouse Station, N.J. -- Merck & Co., Inc. (NYSE: MRK) said", "Merck & Co., Inc."),
        ("DUBLIN , March 18, 2019 /PRNewswire/ -- Allergan plc (NYSE: AGN) today", "Allergan plc"),
        ("FORM 8-K\n\nACME BIOLOGICS, INC.\n- -----------\n(Exact name of registrant as specified)", "ACME BIOLOGICS, INC."),
        ("EXHIBIT 99\n\n[BRAMBLE THERAPEUTICS, INC. LETTERHEAD]\n\nFOR IMMEDIATE RELEASE", "BRAMBLE THERAPEUTICS, INC."),
        ("Title of a release\n\nCITY, May 1, 2020 -- GigaGen Inc., a biotechnology company", "GigaGen Inc."),
        ("Nothing that names an organisation here.", None),
    ],
)
def test_find_company(text: str, expected) -> None:
    assert find_company(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [("EXHIBIT 99.1\n\nText", "EX-99.1"), ("EXHIBIT-99.2\nText", "EX-99.2"), ("  Exhibit 99\n", "EX-99"), ("Text\nmore", None)],
)
def test_find_exhibit_type(text: str, expected) -> None:
    assert find_exhibit_type(text) == expected


@pytest.mark.parametrize(
    "data,text,encoding",
    [
        ("Société – “x”".encode("utf-8"), "Société – “x”", "utf-8"),
        (b"\xef\xbb\xbfBOM text", "BOM text", "utf-8"),
        ("Société – “x”".encode("cp1252"), "Société – “x”", "cp1252"),
        ("Société ".encode("utf-8") + "– “x”".encode("cp1252"), "Société – “x”", "utf-8+cp1252"),
        (b"odd \x81 byte", "odd \x81 byte", "latin-1"),
    ],
)
def test_decode_bytes(data: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(data) == (text, encoding)


def test_decode_bytes_strict_names_the_byte() -> None:
    with pytest.raises(FilingError, match=r"byte 0xe9 at byte offset 4") as info:
        decode_bytes("Société".encode("cp1252"), ("utf-8",), path="f.txt")
    assert info.value.path == "f.txt"


@pytest.mark.parametrize(
    "data,binary",
    [
        (b"plain text\n" * 20, False),
        ("Société".encode("cp1252") * 50, False),
        (b"%PDF-1.4 ...", True),
        (b"text with a NUL \x00 byte", True),
        (bytes(range(1, 32)) * 10, True),
        (bytes(range(128, 256)) * 10, True),
        (b"", False),
    ],
)
def test_looks_binary(data: bytes, binary: bool) -> None:
    assert looks_binary(data) is binary


def test_submission_structure(filings_dir: Path) -> None:
    raw = (filings_dir / "submission_8k.txt").read_text(encoding="utf-8")
    assert is_submission(raw)
    assert not is_submission("<PAGE>\nEXHIBIT 99\n")
    assert parse_header(raw) == {
        "company": "ACME BIOLOGICS INC",
        "form": "8-K",
        "filing_date": "2003-01-24",
        "accession": "0001111111-03-000042",
    }
    documents = split_documents(raw)
    assert [d.tags["type"] for d in documents] == ["8-K", "EX-99.1", "EX-99.2", "GRAPHIC"]
    assert all(d.problem is None and not d.truncated for d in documents)
    assert raw[documents[3].text_start : documents[3].text_end].strip().startswith("begin 644 logo.gif")


def test_parse_header_uses_acceptance_datetime() -> None:
    header = "<SEC-HEADER>\n<ACCEPTANCE-DATETIME>19990301120000\nCONFORMED SUBMISSION TYPE:\t10-K\n</SEC-HEADER>\n"
    assert parse_header(header)["filing_date"] == "1999-03-01"
    assert parse_header(header)["form"] == "10-K"


@pytest.mark.parametrize("bad", [{"kind": "pdf"}, {"column_gap": 1}, {"encodings": ()}])
def test_reader_config_validates(bad) -> None:
    with pytest.raises(FilingError):
        ReaderConfig(**bad)


def test_reader_config_accepts_one_type_as_text() -> None:
    assert ReaderConfig(types="EX-99.1").types == ("EX-99.1",)
