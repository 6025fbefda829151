"""Name swapping, 1990s EDGAR re-wrapping and corpus augmentation (`immunoextract.data.augment`)."""
import random
import re
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Set

import pytest

from immunoextract.data.augment import (
    LEXICON_DIR,
    augment_corpus,
    document_names,
    generate_code,
    is_all_caps,
    name_kind,
    name_pools,
    rewrap_legacy,
    split_legal_suffix,
    swap_names,
)
from immunoextract.data.authoring import parse_source
from immunoextract.data.corpus import build_corpus
from immunoextract.data.facts import normalize_name
from immunoextract.data.schema import Document, Entity, Event, Relation, read_jsonl, validate_document

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "annotations"

HAND_SWAP = """id: hand-swap
company: Helios Biologics, Inc.
issuer: Helios Biologics
genre: 8k-item
%%%TEXT
[[HELIOS BIOLOGICS, INC.|PARTNER|p0]] AND [[ZETA PHARMA LTD.|PARTNER|p00]] {{SIGN LICENSE|LICENSE|e0}} FOR [[HB-217|DRUG|d0]]

[[Helios Biologics, Inc.|PARTNER|p1]] said today that it has {{licensed|LICENSE|e1}} [[HB-217|DRUG|d1]] ([[relatumab vedotin|DRUG|d2]]), a conjugate built on its humanised antibody [[huR9|ANTIBODY|a1]] and the toxin [[MMAE|DRUG|d3]], to [[Zeta Pharma Ltd.|PARTNER|p2]]. [[HB-217|DRUG|d4]] binds [[mesothelin|TARGET|t1]] and [[HER3|TARGET|t2]]. [[Helios Biologics|PARTNER|p3]]' partner [[Zeta Pharma|PARTNER|p4]] will pay $40 million. The naked antibody [[relatumab|ANTIBODY|a2]] and the salt [[vorasertib sodium|DRUG|d5]] stay with [[Helios|PARTNER|p5]].

"We are delighted," said [[Maria T. Okonjo|OFFICER|o1]], Ph.D., Chief Executive Officer of [[Helios|PARTNER|p6]]. [[Okonjo|OFFICER|o2]] added that [[Kestrel Oncology|PARTNER|p7]], maker of [[ORBITA|DRUG|d6]], and its chairman [[Robert L. Van Nostrand|OFFICER|o3]] agree; [[Van Nostrand|OFFICER|o4]] and [[Nostrand|OFFICER|o5]] said so twice.
%%%RELATIONS
d2 ALIAS_OF d1
d1 LICENSED_TO p2
p1 DEVELOPS d1
d1 HAS_ANTIBODY a1
d1 HAS_PAYLOAD d3
d1 TARGETS t1 t2
a2 TARGETS t1
o1 OFFICER_OF p6
o3 OFFICER_OF p7
p4 PARTNER_OF p3
e0 PRODUCT d0
e0 PARTY p0 p00
e1 PRODUCT d1
e1 PARTY p1 p2
"""

HAND_NEWSWIRE = """id: hand-wire
company: Helios Biologics, Inc.
issuer: Helios Biologics
genre: newswire
%%%TEXT
[[Helios Biologics|PARTNER|p1]] and [[Zeta Pharma|PARTNER|p2]] {{Enter a Worldwide License Agreement|LICENSE|e1}} for [[HB-217|DRUG|d1]], a Conjugate Aimed at [[HER3|TARGET|t1]] in Solid Tumors

SOUTH SAN FRANCISCO, Calif.--(BUSINESS WIRE)--May 4, 2021-- [[Helios Biologics, Inc.|PARTNER|p3]] (Nasdaq: HLOS) today announced that it has {{granted an exclusive worldwide license to develop, manufacture and commercialize antibody-drug conjugates|LICENSE|e2}} built on [[HB-217|DRUG|d2]] to [[Zeta Pharma Ltd.|PARTNER|p4]] \u2014 the company\u2019s first deal \u2014 with [[Zeta Pharma|PARTNER|p5]] paying $40 million up front.
"""


def _long_newswire(paragraphs: int) -> str:
    body = [HAND_NEWSWIRE.rstrip("\n")]
    for i in range(paragraphs):
        body.append(
            f"\nIn study {i} [[HB-217|DRUG]] was {{{{well tolerated|CLINICAL|c{i}}}}} and shrank tumors that express [[HER3|TARGET]] "
            f"in patients whose disease had progressed; [[Helios Biologics|PARTNER]] and [[Zeta Pharma|PARTNER]] will "
            f"report the full data from study {i} at a medical meeting later this year, the companies said."
        )
    relations = "%%%RELATIONS\nd1 TARGETS t1\ne1 PRODUCT d1\ne1 PARTY p1 p2\ne2 PRODUCT d2\ne2 PARTY p3 p4\n"
    relations += "".join(f"c{i} PARTY p1\n" for i in range(paragraphs))
    return "\n".join(body) + "\n" + relations


def _ascii_key(text: str) -> str:
    """Letters and digits only, lower-cased: what a re-wrap must keep of a mention."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _is_code(text: str) -> bool:
    return bool(re.search(r"\d", text)) and not re.search(r"[a-z]{4,}", text)


def _initials(text: str) -> List[str]:
    return [w for w in text.split() if re.fullmatch(r"[A-Z]\.", w)]


def assert_same_shape(label: str, old: str, new: str, *, headline: bool = False) -> None:
    """`new` is a name of the same shape as `old`; in a re-wrapped headline, of `old` in capitals."""
    old, new = " ".join(old.split()), " ".join(new.split())
    assert new != old, f"{label} {old!r} was not replaced"
    if headline:
        assert is_all_caps(new) or not any(c.islower() for c in new)
        old = old.upper()
    if is_all_caps(old) and label != "OFFICER":
        assert not any(c.islower() for c in new), f"{label} {old!r} -> {new!r} lost its capitals"
    if label == "PARTNER":
        assert new.endswith(split_legal_suffix(old)[1]), f"{old!r} -> {new!r} lost its legal suffix"
        assert (split_legal_suffix(new)[1] == "") == (split_legal_suffix(old)[1] == "")
    elif label in ("DRUG", "ANTIBODY"):
        assert _is_code(old) == _is_code(new), f"{label} {old!r} -> {new!r} changed between code and name"
    elif label == "TARGET":
        assert name_kind("TARGET", old) == name_kind("TARGET", new), f"{old!r} -> {new!r}"
    elif label == "OFFICER":
        assert _initials(old) == _initials(new), f"{old!r} -> {new!r} lost its initials"
        assert len(old.split()) > 1 or len(new.split()) == 1
        if is_all_caps(old):
            assert is_all_caps(new)


def assert_same_structure(old: Document, new: Document, *, extra_partners: bool = False) -> None:
    """Entities (ids, labels, order), events and relations correspond one to one."""
    originals = {e.id for e in old.entities}
    kept = [e for e in new.entities if e.id in originals]
    assert [(e.id, e.label) for e in sorted(old.entities, key=lambda e: e.start)] == [(e.id, e.label) for e in kept]
    added = [e for e in new.entities if e.id not in originals]
    assert not added or (extra_partners and all(e.label == "PARTNER" for e in added))
    assert [(e.id, e.type) for e in old.events] == [(e.id, e.type) for e in new.events]
    assert [(r.head, r.tail, r.label) for r in old.relations] == [(r.head, r.tail, r.label) for r in new.relations]


def assert_consistent(old: Document, new: Document) -> None:
    """The same normalised original name got the same normalised replacement everywhere."""
    by_id = {e.id: e for e in new.entities}
    seen: Dict[tuple, Set[str]] = defaultdict(set)
    for ent in old.entities:
        seen[(ent.label, normalize_name(old.span_text(ent)))].add(normalize_name(new.span_text(by_id[ent.id])))
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def assert_wrapped(text: str, width: int) -> None:
    for line in text.split("\n"):
        assert len(line) <= width or len(line.split()) == 1, f"line of {len(line)} characters: {line!r}"


def _excluded_keys(names) -> Set[str]:
    return {normalize_name(n) for n in names} | {normalize_name(split_legal_suffix(" ".join(n.split()))[0]) for n in names}


def assert_no_held_out_names(old: Document, new: Document, held_out: Set[str]) -> None:
    """Every mention the augmentation wrote is outside the held-out names (unless the original already had it)."""
    original = {normalize_name(old.span_text(e)) for e in old.entities}
    for ent in new.entities:
        text = " ".join(new.span_text(ent).split())
        for key in (normalize_name(text), normalize_name(split_legal_suffix(text)[0])):
            assert key in original or key not in held_out, f"{new.id}: held-out name {text!r} written"


@pytest.fixture(scope="module")
def pools():
    return name_pools()


# --------------------------------------------------------------------------------------------- shapes


@pytest.mark.parametrize(
    "name,core,suffix",
    [
        ("Acme Biologics, Inc.", "Acme Biologics", ", Inc."),
        ("BIOGEN, INC.", "BIOGEN", ", INC."),
        ("Zhejiang Medicine Co., Ltd.", "Zhejiang Medicine", " Co., Ltd."),
        ("Merck & Co., Inc.", "Merck", " & Co., Inc."),
        ("Bristol-Myers Squibb Company", "Bristol-Myers Squibb", " Company"),
        ("uniQure N.V.", "uniQure", " N.V."),
        ("Genmab A/S", "Genmab", " A/S"),
        ("Genentech", "Genentech", ""),
        ("Merck KGaA, Darmstadt, Germany", "Merck KGaA, Darmstadt, Germany", ""),
    ],
)
def test_augment_split_legal_suffix(name, core, suffix):
    assert split_legal_suffix(name) == (core, suffix)


@pytest.mark.parametrize(
    "label,text,kind",
    [
        ("DRUG", "SGN-35", "code"), ("DRUG", "huC242-DM1", "code"), ("DRUG", "ALKS 4230", "code"),
        ("DRUG", "MMAE", "acronym"), ("DRUG", "brentuximab vedotin", "inn"), ("DRUG", "Brentuximab Vedotin", "inn"),
        ("DRUG", "mipomersen sodium", "inn"), ("DRUG", "Adcetris", "brand"), ("DRUG", "ADCETRIS", "brand"),
        ("ANTIBODY", "cAC10", "code"), ("ANTIBODY", "BR96", "code"), ("ANTIBODY", "trastuzumab", "inn"),
        ("TARGET", "HER2", "symbol"), ("TARGET", "mTOR", "symbol"), ("TARGET", "tissue factor", "name"),
        ("PARTNER", "BMS", "acronym"), ("PARTNER", "Seattle Genetics, Inc.", "name"), ("OFFICER", "Clay B. Siegall", "person"),
    ],
)
def test_augment_name_kind(label, text, kind):
    assert name_kind(label, text) == kind


@pytest.mark.parametrize("template", ["SGN-35", "ABC123", "huN901", "cAC10", "5G1.1", "MAb 1129", "IMMU-132"])
def test_augment_generate_code_keeps_shape(template):
    rng = random.Random(3)
    for _ in range(20):
        code = generate_code(template, rng)
        assert _is_code(code)
        assert re.sub(r"[A-Z]+", "A", re.sub(r"\d+", "9", code)) == re.sub(r"[A-Z]+", "A", re.sub(r"\d+", "9", template))
        if template == "SGN-35":
            assert re.fullmatch(r"[A-Z]{2,4}-\d{1,3}", code)


def test_augment_name_pools_exclude_held_out_names():
    pools = name_pools(exclude=["Genentech, Inc.", "trastuzumab", "HER2", "Okafor", "Jane Q. Smith"])
    everything = {normalize_name(n) for names in pools.names.values() for n in names}
    assert not {"genentech", "trastuzumab", "her2", "okafor", "smith"} & everything
    assert pools.get("PARTNER", "name") and pools.get("OFFICER", "surname") and pools.get("DRUG", "code")
    assert len(pools.get("OFFICER", "surname")) >= 300


# --------------------------------------------------------------------------------------------- swap_names


@pytest.mark.parametrize("seed", range(8))
def test_augment_swap_hand_built(pools, seed):
    doc = parse_source(HAND_SWAP)
    new = swap_names(doc, random.Random(seed), pools=pools)
    assert validate_document(new) == []
    assert_same_structure(doc, new)
    assert_consistent(doc, new)
    for ent in doc.entities:
        assert_same_shape(ent.label, doc.span_text(ent), new.span_text(new.entities[doc.entities.index(ent)]))
    out = [new.span_text(e) for e in new.entities]  # in the order of HAND_SWAP's mentions
    # legal suffixes, capitals and the company in meta follow one name
    core = split_legal_suffix(out[3])[0]
    assert out[3] == core + ", Inc." and out[0] == core.upper() + ", INC." and out[12] == core
    assert new.meta["company"] == out[3] and new.meta["issuer"] == "Helios Biologics"
    # codes stay codes, the salt stays, an antibody named by a drug's INN stem follows that drug
    assert _is_code(out[2]) and out[2] == out[4] == out[9]
    assert out[15].endswith(" sodium") and name_kind("DRUG", out[15]) == "inn"
    assert out[14] == out[5].split(" ")[0]
    # surname-only mentions follow their person; initials are kept
    assert " T. " in out[17] and out[19] == out[17].split(" ")[-1]
    assert " L. " in out[22] and out[23] == out[24] == out[22].split(" ")[-1]
    # the text around mentions is unchanged; a possessive gets its "s" when the name lost it
    after = new.text[new.entities[12].end :]
    assert after.startswith("' partner " if out[12].endswith("s") else "'s partner ")
    assert new.text.endswith("said so twice.")
    assert [new.span_text(e) for e in new.events] == ["SIGN LICENSE", "licensed"]


def test_augment_swap_is_deterministic_and_pure(pools):
    doc = parse_source(HAND_SWAP)
    before = doc.text
    one = swap_names(doc, random.Random(7), pools=pools)
    two = swap_names(doc, random.Random(7), pools=pools)
    assert one == two and doc.text == before
    assert swap_names(doc, random.Random(8), pools=pools).text != one.text


def test_augment_swap_rate_zero_keeps_the_document(pools):
    doc = parse_source(HAND_SWAP)
    new = swap_names(doc, random.Random(1), pools=pools, rate=0.0)
    assert (new.text, new.entities, new.events, new.relations) == (doc.text, doc.entities, doc.events, doc.relations)


def test_augment_swap_never_writes_held_out_names():
    doc = parse_source(HAND_SWAP)
    lexicon = {f: (LEXICON_DIR / f"{f}.txt").read_text(encoding="utf-8").splitlines() for f in ("drugs", "partners", "targets", "first_names")}
    held_out = [n for names in lexicon.values() for n in names[1::2] if n and not n.startswith("#")] + ["Okafor", "Smith", "Nguyen"]
    pools = name_pools(exclude=held_out)
    keys = _excluded_keys(held_out)
    for seed in range(20):
        new = swap_names(doc, random.Random(seed), pools=pools)
        assert_no_held_out_names(doc, new, keys)
        for ent in new.entities:
            if ent.label == "OFFICER":
                assert not set(normalize_name(new.span_text(ent)).split()) & {"okafor", "smith", "nguyen"}


def test_augment_swap_recomputes_overlapping_events(pools):
    text = "Nova Bio licensed NB-12 to Orion Labs in 2020."
    ents = [("T1", "Nova Bio", "PARTNER"), ("T2", "NB-12", "DRUG"), ("T3", "Orion Labs", "PARTNER")]
    entities = [Entity(i, text.index(s), text.index(s) + len(s), label) for i, s, label in ents]
    around = text.index("licensed NB-12")
    partial = text.index("to Orion")
    events = [Event("E1", around, around + len("licensed NB-12"), "LICENSE"), Event("E2", partial, partial + len("to Orion"), "LICENSE")]
    relations = [Relation("E1", "T2", "PRODUCT"), Relation("E1", "T1", "PARTY"), Relation("E2", "T3", "PARTY"), Relation("T2", "T3", "LICENSED_TO")]
    doc = Document("overlap", text, {"issuer": "Nova"}, entities, events, relations)
    assert validate_document(doc) == []
    new = swap_names(doc, random.Random(0), pools=pools)
    assert validate_document(new) == []
    drug = new.span_text(new.entities[1])
    assert drug != "NB-12" and _is_code(drug)
    # the event around a mention is recomputed; the one ending inside a mention cannot be, and goes with its relation
    assert [(e.id, new.span_text(e)) for e in new.events] == [("E1", "licensed " + drug)]
    assert [(r.head, r.tail, r.label) for r in new.relations] == [("E1", "T2", "PRODUCT"), ("E1", "T1", "PARTY"), ("T2", "T3", "LICENSED_TO")]


# --------------------------------------------------------------------------------------------- rewrap_legacy


@pytest.mark.parametrize("width", [70, 50])
def test_augment_rewrap_hand_built(width):
    doc = parse_source(_long_newswire(30))
    new = rewrap_legacy(doc, random.Random(0), width=width)
    assert validate_document(new) == []
    assert_same_structure(doc, new, extra_partners=True)
    assert_wrapped(new.text, width)
    lines = new.text.split("\n")
    assert lines[0] == "<PAGE>" and new.meta["genre"] == "edgar-legacy"
    headline = " ".join(lines[1:4])
    assert lines[1].startswith(" ") and " ".join(headline.split()).startswith("HELIOS BIOLOGICS AND ZETA PHARMA ENTER A WORLDWIDE")
    # pages of about 50 lines, each after a centred -more- and with a running header, annotated
    pages = [i for i, line in enumerate(lines) if line == "<PAGE>"]
    assert len(pages) >= 3 and all(35 <= b - a <= 65 for a, b in zip(pages, pages[1:]))
    for number, at in enumerate(pages[1:], start=2):
        assert lines[at - 1].strip() == "-more-" and lines[at + 1] == f"Helios Biologics, Inc. -- Page {number}"
    headers = [e for e in new.entities if e.id not in {x.id for x in doc.entities}]
    assert [new.span_text(e) for e in headers] == ["Helios Biologics, Inc."] * (len(pages) - 1)
    # mentions keep their words (only case, white space and typography change); a line break inside
    # a mention or event replaces a space
    old_by_id = doc.items_by_id()
    for item in (*new.entities, *new.events):
        if item.id in old_by_id:
            old = doc.span_text(old_by_id[item.id])
            assert _ascii_key(new.span_text(item)) == _ascii_key(old)
            assert new.span_text(item).replace("\n", " ").casefold() == " ".join(old.split()).casefold()
    long_event = next(e for e in new.events if e.id == "E2")
    assert "\n" in new.span_text(long_event)  # longer than a line: broken, at a space
    assert all("\n" not in new.span_text(e) for e in new.entities)
    assert "company's first deal -- with" in new.text.replace("\n", " ")


def test_augment_rewrap_of_a_short_release_is_one_page():
    doc = parse_source(HAND_NEWSWIRE)
    new = rewrap_legacy(doc, random.Random(0))
    assert new.text.count("<PAGE>") == 1 and "-more-" not in new.text
    assert_wrapped(new.text, 70)
    assert_same_structure(doc, new)


# --------------------------------------------------------------------------------------------- the real corpus


@pytest.fixture(scope="module")
def real_corpus():
    files = {split: CORPUS / f"{split}.jsonl" for split in ("train", "dev", "test")}
    if not all(path.exists() for path in files.values()):
        pytest.skip(f"the annotated corpus is not built in {CORPUS}")
    docs = {split: list(read_jsonl(path)) for split, path in files.items()}
    held_out = document_names(docs["dev"] + docs["test"])
    augmented = augment_corpus(docs["train"] + docs["dev"], copies=2, seed=0, exclude_names=held_out)
    return docs, held_out, augmented


def test_augment_corpus_real_documents(real_corpus):
    docs, held_out, augmented = real_corpus
    train = {d.id: d for d in docs["train"]}
    assert len(augmented) == 2 * len(train)
    assert {d.meta["augmented_from"] for d in augmented} == set(train)  # never a dev or test document
    keys = _excluded_keys(held_out)
    kinds = defaultdict(int)
    for new in augmented:
        old = train[new.meta["augmented_from"]]
        assert re.fullmatch(re.escape(old.id) + r"-aug[12]", new.id)
        assert validate_document(new) == [], new.id
        legacy = new.meta["augmented"] == "swap+legacy"
        kinds[(old.meta.get("genre") == "newswire", new.meta["augmented"])] += 1
        assert_same_structure(old, new, extra_partners=legacy)
        assert_consistent(old, new)
        assert_no_held_out_names(old, new, keys)
        by_id = {e.id: e for e in new.entities}
        headline_end = new.text.index("\n\n") if legacy else -1
        for ent in old.entities:
            mention = by_id[ent.id]
            assert_same_shape(ent.label, old.span_text(ent), new.span_text(mention), headline=mention.start < headline_end)
        if legacy:
            assert_wrapped(new.text, 70)
            assert new.text.startswith("<PAGE>\n")
        assert new.meta.get("issuer") == old.meta.get("issuer")
    newswire = sum(1 for d in train.values() if d.meta.get("genre") == "newswire")
    assert kinds[(True, "swap+legacy")] == kinds[(True, "swap")] == newswire
    assert kinds[(False, "swap+legacy")] == 0


def test_augment_corpus_is_reproducible(real_corpus):
    docs, held_out, augmented = real_corpus
    some = docs["train"][:5]
    again = augment_corpus(some, copies=2, seed=0, exclude_names=held_out)
    assert [d.text for d in again] == [d.text for d in augmented[:10]]
    assert [d.text for d in augment_corpus(some, copies=2, seed=1, exclude_names=held_out)] != [d.text for d in again]


# --------------------------------------------------------------------------------------------- build_corpus


def _twelve_sources(tmp_path: Path) -> Path:
    """Twelve copies of the hand-made source under six issuers, so every split gets some."""
    src = tmp_path / "src"
    src.mkdir()
    for i in range(12):
        source = HAND_SWAP.replace("id: hand-swap", f"id: hand-{i}").replace("issuer: Helios Biologics", f"issuer: Co{i % 6}")
        (src / f"doc{i}.txt").write_text(source, encoding="utf-8")
    return src


def test_augment_build_corpus_writes_train_augmented(tmp_path):
    src = _twelve_sources(tmp_path)
    counts = build_corpus(src, tmp_path / "out", augment=2)
    augmented = list(read_jsonl(tmp_path / "out" / "train_augmented.jsonl"))
    train = list(read_jsonl(tmp_path / "out" / "train.jsonl"))
    assert counts["train_augmented"] == len(augmented) == 2 * counts["train"] == 2 * len(train)
    assert {d.meta["augmented_from"] for d in augmented} == {d.id for d in train}
    assert all(d.meta["split"] == "train" for d in augmented)
    assert "train_augmented" not in build_corpus(src, tmp_path / "plain")


def test_augment_build_corpus_writes_heldout_copies_only_when_asked(tmp_path):
    src = _twelve_sources(tmp_path)
    counts = build_corpus(src, tmp_path / "out", augment=2, augment_heldout=True)
    heldout = list(read_jsonl(tmp_path / "out" / "heldout_augmented.jsonl"))
    originals = {d.id for split in ("dev", "test") for d in read_jsonl(tmp_path / "out" / f"{split}.jsonl")}
    assert originals, "the hand-made issuers should put some documents in dev or test"
    assert counts["heldout_augmented"] == len(heldout) == 2 * len(originals)
    assert {d.meta["augmented_from"] for d in heldout} == originals
    # the dev and test files themselves are untouched by the copying
    assert all(d.meta["split"] in ("dev", "test") for split in ("dev", "test") for d in read_jsonl(tmp_path / "out" / f"{split}.jsonl"))
    assert "heldout_augmented" not in build_corpus(src, tmp_path / "plain", augment=2)
