"""The common-word list: corpus vocabulary that is never part of a mention."""
from typer.testing import CliRunner

from immunoextract.cli import app
from immunoextract.data.lexicon import common_words, filing_words, only_common_words, overlapping, read_word_list, shingles, write_word_list
from immunoextract.data.schema import Document, Entity, write_jsonl


def _doc(doc_id, text, mentions):
    entities = []
    for i, (surface, label) in enumerate(mentions):
        start = text.index(surface)
        entities.append(Entity(id=f"T{i}", start=start, end=start + len(surface), label=label))
    return Document(id=doc_id, text=text, entities=entities)


DOCS = [
    _doc("a", "The supply of ketamine was delayed. Supply rose; the supply agreement with Acme Supply Inc. holds.",
         [("ketamine", "DRUG"), ("Acme Supply Inc.", "PARTNER")]),
    _doc("b", "Later, ketamine and the drug were delayed again, as the drug was delayed in 2019.", [("ketamine", "DRUG")]),
]


def test_common_words_are_lower_case_vocabulary_seen_outside_mentions_and_never_inside():
    words = common_words(DOCS, min_count=2)
    assert "delayed" in words and "drug" in words  # three and two lower-case uses outside mentions
    assert "supply" not in words  # inside `Acme Supply Inc.`
    assert "ketamine" not in words  # a mention, even where written in lower case
    assert "later" not in words  # only ever capitalised
    assert "holds" not in common_words(DOCS, min_count=2) and "holds" in common_words(DOCS, min_count=1)
    assert "the" in words and "as" not in words  # min_length 3


def test_a_mention_is_common_only_when_every_word_is_and_none_is_a_company_word():
    common = frozenset({"plasma", "investment", "community", "therapeutics"})
    assert only_common_words("Investment Community", common)
    assert only_common_words("INVESTMENT-COMMUNITY", common)
    assert not only_common_words("Plasma Therapeutics", common, keep_words={"therapeutics"})
    assert not only_common_words("Plasma AB-1", common)
    assert not only_common_words("2019", common)


def test_word_list_round_trips_and_the_cli_rebuilds_it(tmp_path):
    path = tmp_path / "words.txt"
    assert write_word_list(path, ["beta", "alpha", "beta"]) == 2
    assert path.read_text().splitlines()[-2:] == ["alpha", "beta"]
    assert read_word_list(path) == {"alpha", "beta"} and read_word_list(tmp_path / "missing.txt") == frozenset()
    write_jsonl(DOCS, tmp_path / "corpus.jsonl")
    out = tmp_path / "common.txt"
    result = CliRunner().invoke(app, ["annotations", "common-words", str(tmp_path / "corpus.jsonl"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_word_list(out) == common_words(DOCS, min_count=2)


def test_filing_words_are_lower_case_words_of_several_filings_that_the_corpus_never_uses_as_a_name():
    texts = ["Additionally, the division grew; ketamine sales rose.",
             "The division and the clinics; additionally ketamine.",
             "Additionally the division, clinics and ketamine supply."]
    words = filing_words(texts, DOCS, min_documents=3)
    assert "division" in words  # lower case in all three
    assert "additionally" not in words  # lower case in only one
    assert "clinics" not in words and "clinics" in filing_words(texts, DOCS, min_documents=2)
    assert "ketamine" not in words  # a DRUG mention in the corpus
    assert "supply" in filing_words(texts + ["the supply"], DOCS, min_documents=2)  # inside a PARTNER name only


def test_a_filing_that_shares_text_with_an_evaluation_set_is_left_out():
    held = "Acme Corp today announced that the Phase 2 trial of AB-1 in adults with severe gout met its primary endpoint"
    assert overlapping(held + " and more.", shingles(held), floor=3)
    boilerplate = "This press release contains forward-looking statements within the meaning of the act"
    assert not overlapping("Zeta reports data. " + boilerplate, shingles(boilerplate + " and other words"), floor=10)


def test_the_cli_rebuilds_the_filing_words_and_names_a_bad_line(tmp_path):
    filings = tmp_path / "filings.jsonl"
    filings.write_text("".join('{"id": "%d", "text": "the division grew additionally"}\n' % i for i in range(3)))
    write_jsonl(DOCS, tmp_path / "corpus.jsonl")
    out = tmp_path / "filing.txt"
    result = CliRunner().invoke(app, ["annotations", "filing-words", str(filings), "-a", str(tmp_path / "corpus.jsonl"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert {"division", "additionally", "grew"} <= read_word_list(out)
    # an evaluation set that holds the same text keeps every filing out
    held = tmp_path / "held.jsonl"
    shared = " ".join(f"word{i}" for i in range(30)) + " the division grew additionally"
    write_jsonl([Document(id="h", text=shared)], held)
    filings.write_text("".join('{"id": "%d", "text": "%s"}\n' % (i, shared) for i in range(3)))
    result = CliRunner().invoke(app, ["annotations", "filing-words", str(filings), "-a", str(tmp_path / "corpus.jsonl"), "-x", str(held), "-o", str(out)])
    assert result.exit_code == 0 and "3 left out" in " ".join(result.output.split())
    assert read_word_list(out) == frozenset()
    filings.write_text('{"id": "1", "text": "fine"}\n{"id": "2"}\n')
    result = CliRunner().invoke(app, ["annotations", "filing-words", str(filings), "-a", str(tmp_path / "corpus.jsonl"), "-o", str(out)])
    assert result.exit_code == 1 and f"{filings}:2" in result.output and "text" in result.output
