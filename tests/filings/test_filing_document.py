"""`Filing.to_source` and `Filing.to_clean`: the map between clean and source spans."""
import pytest

from immunoextract.errors import FilingError
from immunoextract.filings import Filing, clean_plain, to_clean, to_source

SOURCE = "<PAGE>\nAcme  Biologics, Inc. has\nlicensed huC99-\nDM7.\n-more-\n"


@pytest.fixture
def filing() -> Filing:
    clean = clean_plain(SOURCE)
    return Filing(id="doc-1", source_text=SOURCE, text=clean.text, offsets=clean.offsets, meta={})


def test_filing_text_is_clean(filing: Filing) -> None:
    assert filing.text == "Acme Biologics, Inc. has licensed huC99-DM7."


@pytest.mark.parametrize("mention", ["Acme Biologics, Inc.", "huC99-DM7", "has licensed", "Acme", "."])
def test_filing_to_source_and_back(filing: Filing, mention: str) -> None:
    start = filing.text.index(mention)
    end = start + len(mention)
    s, e = filing.to_source(start, end)
    assert " ".join(SOURCE[s:e].replace("-\n", "-").split()) == mention
    assert filing.to_clean(s, e) == (start, end)


def test_filing_to_clean_of_deleted_markup_is_none(filing: Filing) -> None:
    assert filing.to_clean(0, len("<PAGE>")) is None
    more = SOURCE.index("-more-")
    assert filing.to_clean(more, more + len("-more-")) is None


def test_filing_to_clean_trims_to_kept_characters(filing: Filing) -> None:
    # a source span that starts in deleted markup covers the clean text it contains
    s = SOURCE.index("Acme")
    assert filing.to_clean(0, s + 4) == (0, 4)


def test_filing_empty_spans(filing: Filing) -> None:
    assert filing.to_source(3, 3) == (filing.offsets[3], filing.offsets[3])
    assert filing.to_clean(10, 10) is None


@pytest.mark.parametrize("span", [(-1, 2), (2, 1), (0, 10_000)])
def test_filing_to_source_out_of_range(filing: Filing, span) -> None:
    with pytest.raises(FilingError, match="doc-1"):
        filing.to_source(*span)


def test_filing_to_clean_out_of_range(filing: Filing) -> None:
    with pytest.raises(FilingError, match="out of range"):
        filing.to_clean(0, len(SOURCE) + 1)


def test_offset_functions_are_pure() -> None:
    offsets = [2, 3, 3, 7, 9]  # 4 clean characters; the source has 9
    assert to_source(offsets, 0, 4) == (2, 8)
    assert to_source(offsets, 1, 3) == (3, 4)
    assert to_clean(offsets, 3, 4) == (1, 3)
    assert to_clean(offsets, 4, 7) is None
    assert to_clean(offsets, 0, 9) == (0, 4)
    assert offsets == [2, 3, 3, 7, 9]
