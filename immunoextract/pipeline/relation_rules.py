"""Relations the schema states by form, written after the relation model.

The schema's own DEVELOPS example is a partner followed by its product in parentheses:
"Genentech (Trastuzumab-DM1)". Filings use the form for partnered programmes
("collaborations with Boehringer Ingelheim (bivatuzumab mertansine) and Millennium (MLN2704)"),
and every such pair is DEVELOPS in the corpus (17 of 17) and in `../shared/dev` (9 of 9). The
relation model, which sees the pair as two pooled spans and the one bracket between them,
wrote 2 of those 9. This rule writes the rest; it runs before `immunoextract_relation_closure`,
which then copies each to the pair's other co-mentions.

`coordinated_lists` copies a relation across a coordinated list of names: "multi-target
agreements with Genentech, Abgenix, and Millennium" names three partners of ImmunoGen, and
a relation the model found to one of them holds for all. The corpus's gold agrees for
DEVELOPS in 161 of 208 lists, PRODUCT in 34 of 43, PARTNER_OF in 57 of 82 (the others are
lists whose members play different parts); `../shared/dev`: 12 of 16. A list is two or more
mentions of one label separated only by commas, `and`, `or`, `as well as` or `&`, each
perhaps followed by a parenthesis without a mention in it (`Millennium (Cambridge, MA), and
Genentech`); aliases (heads of ALIAS_OF) are skipped, and a parenthesis holding a product
(`Boehringer Ingelheim (bivatuzumab mertansine), Millennium (MLN2704)`) pairs each partner with its
own product instead (see `coordinated_lists`).

`drop_merger_partners` removes PARTNER_OF between two organisations named in a sentence that
speaks of a merger, an acquisition, a tender offer or a takeover and of no licence, collaboration,
partnership, alliance or joint venture: the schema's v1 gives mergers and acquisitions no PARTNER_OF
("American Home Products and American Cyanamid ... entered into a definitive merger agreement").

`payload_stems` writes HAS_PAYLOAD from a conjugate to its payload when the conjugate's INN names it
(the stem `-mertansine` is DM1 joined to an antibody, `-vedotin` MMAE, `-ozogamicin` calicheamicin) and a
mention of that payload stands in the same sentence: the schema's own HAS_PAYLOAD example is
`cantuzumab mertansine -> DM1`, which the relation model missed in both seed filings that state it.

`first_names` moves a relation from a product's second name to its first when the second follows the first
after a slash or an opening parenthesis (`huN901-DM1/BB-10901; the latter is licensed to British Biotech`):
"the relations ... of that sentence attach to the first name only", the schema says, and no relation of
the corpus's gold or of `../shared/dev`'s stands on such a second name (927 and 21 on the first), while
the relation model put 4 of its `../shared/dev` relations there.

`drop_list_partners` removes PARTNER_OF between two members of one list of partners that is either
three or more names long ("agreements with Genentech, Abgenix, and Millennium") or pairs each partner
with its own product ("Genentech (Trastuzumab-DM1), Millennium (MLN591DM1) and Boehringer Ingelheim
(bivatuzumab mertansine)"): the members are each the partner of someone outside the list, not of each
other. The corpus's gold has such a pair in 3 of 111 lists (none in its held-out split), `../shared/dev`'s
in none of its product lists; a two-name list is left alone ("Boehringer Ingelheim and ImmunoGen
announced" names two partners).
"""
import re
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from ..data.closure import CLOSED_LABELS
from ..data.facts import normalize_name
from ..data.extensions import install_extensions
from ..data.schema import EVENT_ARGUMENT_LABELS, SYMMETRIC_RELATIONS
from ..errors import check_choices
from ..ml.models.relations import sentence_ids
from .events import MERGER_WORDS

OPENING_BRACKET = re.compile(r"\s*\(\s*")
# what may stand between two members of a coordinated list: a parenthesis after the first, then a separator
LIST_SEPARATOR = re.compile(r"\s*(?:\([^()]{0,80}\))?\s*(?:,|;|&|,?\s+(?:and|or|as well as))\s*", re.S)
# a product code in that parenthesis (`Millennium (MLN591DM1) and Boehringer Ingelheim`) pairs, like a mention
PRODUCT_CODE = re.compile(r"\b(?=[\w-]*[A-Za-z])(?=[\w-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b")
# words of the deals that do give PARTNER_OF; a merger sentence that also names one keeps its PARTNER_OF
DEAL_WORDS = re.compile(r"\b(?:licen[cs]\w*|collaborat\w*|partner\w*|co-?develop\w*|co-?promot\w*|alliances?|joint ventures?)\b", re.I)
# entity relations (those the closure copies too) and event arguments
COPYABLE_LABELS: Tuple[str, ...] = CLOSED_LABELS + EVENT_ARGUMENT_LABELS
Offsets = Tuple[int, int]
# what stands between a product's first name and a second one (`huN901-DM1/BB-10901`, `huC242-DM1 (SB-408075`)
SECOND_NAME = re.compile(r"\s*(?:/|\()\s*")
# the INN stems of antibody-drug conjugates and immunotoxins, and the names of the payload each stands for
PAYLOAD_STEMS: Dict[str, FrozenSet[str]] = {
    stem: frozenset(names.split("|"))
    for stem, names in {
        "mertansine": "dm1|mertansine|maytansinoid dm1", "emtansine": "dm1|emtansine|maytansinoid dm1",
        "ravtansine": "dm4|ravtansine", "soravtansine": "dm4|soravtansine",
        "vedotin": "mmae|monomethyl auristatin e|vedotin", "mafodotin": "mmaf|monomethyl auristatin f|mafodotin",
        "deruxtecan": "dxd|deruxtecan|exatecan derivative", "govitecan": "sn 38|sn38|govitecan",
        "ozogamicin": "calicheamicin|ozogamicin", "tesirine": "sg3199|tesirine|pbd",
        "pasudotox": "pe38|pseudomonas exotoxin", "sudotox": "pe38|pseudomonas exotoxin",
    }.items()
}


class RelationRules:
    """Write DEVELOPS from a PARTNER to the DRUG that opens the parenthesis right after it, copy the
    relations of `coordinated_lists` labels to every member of a coordinated list, and drop PARTNER_OF
    in merger sentences (`drop_merger_partners`) and within lists of partners (`drop_list_partners`)."""

    def __init__(
        self,
        name: str = "relation_rules",
        *,
        partner_product_parentheses: bool = True,
        coordinated_lists: Sequence[str] = (),
        drop_merger_partners: bool = False,
        drop_list_partners: bool = False,
        payload_stems: bool = False,
        first_names: bool = False,
    ) -> None:
        check_choices(name, "coordinated_lists", coordinated_lists, COPYABLE_LABELS, "cannot be copied")
        install_extensions()
        self.name = name
        self.partner_product_parentheses = partner_product_parentheses
        self.coordinated_lists = frozenset(coordinated_lists)
        self.drop_merger_partners = drop_merger_partners
        self.drop_list_partners = drop_list_partners
        self.payload_stems = payload_stems
        self.first_names = first_names

    def __call__(self, doc: Doc) -> Doc:
        if self.partner_product_parentheses:
            self._partner_product_parentheses(doc)
        if self.first_names:
            self._move_to_first_names(doc)
        if self.payload_stems:
            self._payloads_by_stem(doc)
        if self.coordinated_lists:
            self._copy_across_lists(doc)
        if self.drop_merger_partners:
            self._drop_merger_partners(doc)
        if self.drop_list_partners:
            self._drop_list_partners(doc)
        return doc

    def _move_to_first_names(self, doc: Doc) -> None:
        first_of = first_names(doc)
        relations = doc._.relations or []
        if not first_of or not relations:
            return
        moved: Dict[Tuple[Offsets, Offsets, object], Dict[str, object]] = {}  # one relation a pair, the best scored
        for rel in relations:
            if rel["label"] != "ALIAS_OF":
                head, tail = tuple(rel["head"]), tuple(rel["tail"])  # type: ignore[arg-type]
                rel = {**rel, "head": list(first_of.get(head, head)), "tail": list(first_of.get(tail, tail))}
                if rel["head"] == rel["tail"]:
                    continue  # a relation between a product's two names is no relation of that product
            key = (tuple(rel["head"]), tuple(rel["tail"]), rel["label"])  # type: ignore[arg-type]
            if key not in moved or (rel.get("score") or 0.0) > (moved[key].get("score") or 0.0):  # type: ignore[operator]
                moved[key] = rel
        doc._.relations = list(moved.values())

    def _payloads_by_stem(self, doc: Doc) -> None:
        drugs = [(i, ent) for i, ent in enumerate(doc.ents) if ent.label_ == "DRUG"]
        conjugates = [(i, ent, payloads) for i, ent in drugs
                      for stem, payloads in PAYLOAD_STEMS.items() if ent[-1].lower_.endswith(stem)]
        if not conjugates:
            return
        sentences = sentence_ids(doc)
        scores: Optional[List[float]] = doc._.entity_scores
        relations = list(doc._.relations or [])
        written = {(tuple(r["head"]), tuple(r["tail"]), r["label"]) for r in relations}
        for i, conjugate, payloads in conjugates:
            for j, payload in drugs:
                if (j == i or sentences[payload.start] != sentences[conjugate.start]
                        or normalize_name(payload.text) not in payloads):
                    continue
                head: Offsets = (conjugate.start_char, conjugate.end_char)
                tail: Offsets = (payload.start_char, payload.end_char)
                if (head, tail, "HAS_PAYLOAD") in written:
                    continue
                written.add((head, tail, "HAS_PAYLOAD"))
                relations.append({"head": list(head), "tail": list(tail), "label": "HAS_PAYLOAD", "score": _pair_score(scores, i, j)})
        doc._.relations = relations

    def _drop_list_partners(self, doc: Doc) -> None:
        relations = doc._.relations or []
        if not any(r["label"] == "PARTNER_OF" for r in relations):
            return
        member_of: Dict[Offsets, int] = {}
        for k, members in enumerate(partner_lists(doc)):
            member_of.update((member, k) for member in members)
        if not member_of:
            return

        def within_a_list(rel: Dict[str, object]) -> bool:
            head = member_of.get(tuple(rel["head"]))  # type: ignore[arg-type]
            return head is not None and head == member_of.get(tuple(rel["tail"]))  # type: ignore[arg-type]

        doc._.relations = [r for r in relations if not (r["label"] == "PARTNER_OF" and within_a_list(r))]

    def _drop_merger_partners(self, doc: Doc) -> None:
        relations = doc._.relations or []
        if not any(r["label"] == "PARTNER_OF" for r in relations) or not MERGER_WORDS.search(doc.text):
            return
        sentences = sentence_ids(doc)
        token_at = {token.idx: token.i for token in doc}
        texts: Dict[int, List[str]] = {}
        for token in doc:
            texts.setdefault(sentences[token.i], []).append(token.text_with_ws)
        sentence_texts = {i: "".join(words) for i, words in texts.items()}
        merger_only = {i for i, text in sentence_texts.items() if MERGER_WORDS.search(text) and not DEAL_WORDS.search(text)}
        if not merger_only:
            return

        def in_merger_sentence(rel: Dict[str, object]) -> bool:
            head, tail = token_at.get(rel["head"][0]), token_at.get(rel["tail"][0])  # type: ignore[index]
            return head is not None and tail is not None and sentences[head] == sentences[tail] and sentences[head] in merger_only

        doc._.relations = [r for r in relations if not (r["label"] == "PARTNER_OF" and in_merger_sentence(r))]

    def _partner_product_parentheses(self, doc: Doc) -> None:
        ents = list(doc.ents)
        text = doc.text  # spaCy rebuilds `doc.text` at every call
        scores: Optional[List[float]] = doc._.entity_scores
        relations = list(doc._.relations or [])
        written = {(tuple(r["head"]), tuple(r["tail"]), r["label"]) for r in relations}
        added: List[Dict[str, object]] = []
        for i in range(len(ents) - 1):
            partner, product = ents[i], ents[i + 1]
            if partner.label_ != "PARTNER" or product.label_ != "DRUG":
                continue
            if not OPENING_BRACKET.fullmatch(text[partner.end_char : product.start_char]):
                continue
            head: Tuple[int, int] = (partner.start_char, partner.end_char)
            tail: Tuple[int, int] = (product.start_char, product.end_char)
            if (head, tail, "DEVELOPS") in written:
                continue
            added.append({"head": list(head), "tail": list(tail), "label": "DEVELOPS", "score": _pair_score(scores, i, i + 1)})
        if added:
            doc._.relations = relations + added

    def _copy_across_lists(self, doc: Doc) -> None:
        relations = list(doc._.relations or [])
        lists = coordinated_lists(doc, {tuple(r["head"]) for r in relations if r["label"] == "ALIAS_OF"})
        if not lists:
            return
        written = {(tuple(r["head"]), r["label"], tuple(r["tail"])) for r in relations}
        added: List[Dict[str, object]] = []

        def add(head: Offsets, label: str, tail: Offsets, score: object) -> None:
            if (head, label, tail) in written or (label in SYMMETRIC_RELATIONS and (tail, label, head) in written):
                return
            written.add((head, label, tail))
            added.append({"head": list(head), "tail": list(tail), "label": label, "score": score})

        by_end: Dict[Offsets, List[int]] = {}  # indices of the relations of the copied labels, by each argument
        for i, rel in enumerate(relations):
            if rel["label"] in self.coordinated_lists:
                by_end.setdefault(tuple(rel["head"]), []).append(i)
                by_end.setdefault(tuple(rel["tail"]), []).append(i)
        for members in lists:
            inside = set(members)
            for i in sorted({i for member in members for i in by_end.get(member, [])}):
                rel = relations[i]
                head, tail = tuple(rel["head"]), tuple(rel["tail"])
                if tail in inside and head not in inside:
                    for member in members:
                        add(head, rel["label"], member, rel.get("score"))
                elif head in inside and tail not in inside and rel["label"] not in EVENT_ARGUMENT_LABELS:
                    for member in members:
                        add(member, rel["label"], tail, rel.get("score"))
        if added:
            doc._.relations = relations + added


def coordinated_lists(doc: Doc, aliases: Set[Offsets] = frozenset()) -> List[List[Offsets]]:
    """The coordinated lists of `doc.ents`: runs of two or more consecutive mentions of one label joined
    only by LIST_SEPARATOR, as (start_char, end_char) in text order; mentions in `aliases` are skipped.

    A parenthesis that holds a mention of its own, or a product code the recognizer missed, breaks the run:
    in `Boehringer Ingelheim (bivatuzumab mertansine), Millennium (MLN2704)` each partner has its own
    product, and copying DEVELOPS across the list wrote 11 wrong facts on `../shared/dev`.
    """
    ents = [e for e in doc.ents if (e.start_char, e.end_char) not in aliases]
    text = doc.text  # spaCy rebuilds `doc.text` at every call
    lists: List[List[Offsets]] = []
    run = ents[:1]
    for previous, ent in zip(ents, ents[1:]):
        between = text[previous.end_char : ent.start_char]
        if ent.label_ == previous.label_ and LIST_SEPARATOR.fullmatch(between) and not PRODUCT_CODE.search(between):
            run.append(ent)
            continue
        if len(run) > 1:
            lists.append([(e.start_char, e.end_char) for e in run])
        run = [ent]
    if len(run) > 1:
        lists.append([(e.start_char, e.end_char) for e in run])
    return lists


def _pair_score(scores: Optional[Sequence[Optional[float]]], i: int, j: int) -> Optional[float]:
    """A relation a rule writes between mentions `i` and `j` is as sure as the less sure of the two."""
    known = [s for s in (scores[i], scores[j]) if s is not None] if scores else []
    return min(known) if known else None


def first_names(doc: Doc) -> Dict[Offsets, Offsets]:
    """Each DRUG mention that follows another right after a slash or an opening parenthesis (`huN901-DM1/BB-10901`,
    `cantuzumab mertansine (huC242-DM1/SB-408075)`), mapped to the first name of its run."""
    text = doc.text  # spaCy rebuilds `doc.text` at every call
    first_of: Dict[Offsets, Offsets] = {}
    ents = list(doc.ents)
    for previous, ent in zip(ents, ents[1:]):
        if previous.label_ == ent.label_ == "DRUG" and SECOND_NAME.fullmatch(text[previous.end_char:ent.start_char]):
            first = (previous.start_char, previous.end_char)
            first_of[(ent.start_char, ent.end_char)] = first_of.get(first, first)
    return first_of


def partner_lists(doc: Doc) -> List[List[Offsets]]:
    """The lists of partners whose members are no partners of each other (see `drop_list_partners`): runs of
    PARTNER mentions joined by LIST_SEPARATOR that are three or more long, or in which a partner is followed
    by a parenthesis holding only DRUG mentions or a product code (`Millennium (MLN591DM1) and Boehringer
    Ingelheim`)."""
    ents = list(doc.ents)
    text = doc.text  # spaCy rebuilds `doc.text` at every call
    lists: List[List[Offsets]] = []
    run: List[Offsets] = []
    with_products = False
    i = 0
    while i < len(ents):
        ent = ents[i]
        if ent.label_ != "PARTNER":
            i += 1
            continue
        if not run:
            run, with_products = [(ent.start_char, ent.end_char)], False
        # the partner's own products in a parenthesis right after it
        j, end = i + 1, ent.end_char
        if j < len(ents) and OPENING_BRACKET.fullmatch(text[ent.end_char:ents[j].start_char]):
            while j < len(ents) and ents[j].label_ == "DRUG" and ")" not in text[end:ents[j].start_char]:
                end, j = ents[j].end_char, j + 1
            closing = text.find(")", end)
            if j > i + 1 and closing >= 0 and not text[end:closing].strip(" ,/;\n"):
                end = closing + 1
                with_products = True
            else:
                j, end = i + 1, ent.end_char
        nxt = ents[j] if j < len(ents) else None
        between = text[end:nxt.start_char] if nxt is not None else ""
        if nxt is not None and nxt.label_ == "PARTNER" and LIST_SEPARATOR.fullmatch(between):
            # a product code the recognizer missed in the parenthesis is the partner's own product too
            with_products = with_products or bool(PRODUCT_CODE.search(between))
            run.append((nxt.start_char, nxt.end_char))
            i = j
            continue
        if len(run) >= 3 or (len(run) == 2 and with_products):
            lists.append(run)
        run = []
        i = j
    return lists


@Language.factory(
    "immunoextract_relation_rules",
    assigns=["doc._.relations"],
    requires=["doc.ents"],
    default_config={"partner_product_parentheses": True, "coordinated_lists": [], "drop_merger_partners": False,
                    "drop_list_partners": False, "payload_stems": False, "first_names": False},
)
def make_relation_rules(
    nlp: Language, name: str, partner_product_parentheses: bool, coordinated_lists: List[str], drop_merger_partners: bool,
    drop_list_partners: bool, payload_stems: bool, first_names: bool,
) -> RelationRules:
    """Create an `immunoextract_relation_rules` component (see `RelationRules`)."""
    return RelationRules(
        name, partner_product_parentheses=partner_product_parentheses, coordinated_lists=coordinated_lists,
        drop_merger_partners=drop_merger_partners, drop_list_partners=drop_list_partners, payload_stems=payload_stems,
        first_names=first_names,
    )
