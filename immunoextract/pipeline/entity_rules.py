"""Document-level clean-up of the recognizer's output, before events and relations read it.

The recognizer decides each mention from a few words of context, so in a real filing it
gives one name two labels (`Gencaro` DRUG in one sentence, PARTNER in the next) and tags
what is never a mention: disease acronyms, places, agencies, newswires, trial numbers,
statistics. The rules, each switchable in the config:

- `vote_labels`: every mention of the same normalised name takes the label that name has
  most often in the document (scores break ties), as an annotator would;
- `partner_heads`: a DRUG or TARGET mention that is the head of a partner's name in the document
  (`NRx` beside `NRx Pharmaceuticals`: the words after it are company words), or a partner's name with an
  `s` glued on (`CEL-SCIs`, a possessive without its apostrophe), is that PARTNER; an
  all-capital mention is left alone, as targets are written so (`PSMA` beside `PSMA Development Company`);
- `drop_non_entities`: a mention whose whole text is in the `non_entities.txt` lexicon
  (diseases, places, regulators, exchanges, media, generic headings) is removed;
- `drop_patterns`: trial registry numbers, URLs, statistics, numbers, addresses, bare degrees (`MD, MPH`), job
  titles alone (`Controller`) and banks, brokers, investors and law firms named as such
  (`... Securities Inc.`, `... LLP`) are removed; so are mentions whose context says they are no name: a
  ticker after its exchange (`NASDAQ: NRXP`), a byline's author (`By Meg Flippin`), a partner that is a city
  before its state (`Boulder, Colorado`), a trial's name (`The Emerald Study`), a product or target before
  `Agreement` (`the CoV Agreement`) or a discipline after `Professor of` or `Department of` (with every other
  mention of that trial, city, author or discipline), and a one-word OFFICER that follows no title and is no
  word of a longer officer mention (`Kelco and Calgon Vestal`). Leading or trailing punctuation-only tokens
  (`* LIXT`) are trimmed off a mention, an unmatched parenthesis is cut off or closed (`Millennium
  (MLN591DM1` -> `Millennium` and the DRUG `MLN591DM1`), a partner widened over the `Group` right after it
  (`Roche Group`), a target's head noun cut off its name (`NMDA receptor` -> `NMDA`, as the schema's `the
  CanAg antigen` -> `CanAg`), the head noun of a defined term off a partner (`Hansoh Territory` ->
  `Hansoh`), a platform's name written as a drug (`LEAPS` of `LEAPS technology`) dropped, a
  title off a person (`Mr. London` -> `London`, as the schema's span rules say) and a
  capitalised headline verb off its end (`Kamada Wants` -> `Kamada`) or out of its middle
  (`ImmunoGen Achieve Milestone` -> `ImmunoGen`);
- `drop_common_words`: a mention made only of ordinary words (`Supply`, `Extended`,
  `BUT`, `Investment Community`; the `common_words.txt` list, see `data/lexicon.py`) is removed,
  unless it holds a company word (`Plasma Therapeutics`) or follows a title (`Dr. Young`);
- `drop_filing_words`: the same for PARTNER and OFFICER mentions, with the wider vocabulary of
  real filings (`filing_words.txt`: `Additionally`, `Division`, `Professor`); DRUG and TARGET
  mentions keep the corpus list only, since filings write drug and target names in lower case;
- `propagate_surnames`: a later mention of an officer by surname alone (`Dr. Hollander earned`)
  is an OFFICER too (schema v1.1), when the recognizer found the full name in the same piece;
- `propagate_names`: a name the recognizer found once (`CYTOGAM`, `NRx`) is a mention of the same
  label wherever else it stands as a whole word outside the recognizer's mentions, as an annotator marks every
  occurrence; lower-case names and names under 3 characters are left alone, except a name defined in
  quotes and parentheses (`Burroughs Wellcome Co. ("BW")`), which is a name by the writer's word.
"""
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..data.extensions import install_extensions
from ..data.facts import normalize_name
from ..data.lexicon import WORD, lexicon_lines, only_common_words, read_word_list
from .relation_rules import PRODUCT_CODE
from ..ml.models.features import COMPANY_SUFFIXES, COMPANY_WORDS, POST_NOMINALS, RESOURCES, ROLE_WORDS, TITLES

COMPANY_NAME_WORDS: FrozenSet[str] = COMPANY_SUFFIXES | COMPANY_WORDS
# the mentions the rules keep, in order: (span, recognizer score or None, mention id or None)
Kept = List[Tuple[Span, Optional[float], Optional[str]]]
TITLE_FILLERS: FrozenSet[str] = frozenset(
    "chief senior of and the general medical financial operating scientific business development investor media "
    "corporate communications board directors member".split()
)
NOT_PARTNER_WORDS: FrozenSet[str] = frozenset(
    "llp l.l.p securities bank bancorp advisors advisers ventures investments capital".split()
)
# degrees and post-nominals written without their person ("Kenji Cunnion, MD, MPH"): never a mention alone
DEGREES: FrozenSet[str] = frozenset(
    "md mph phd ms msc rn dvm facs facp facc mba pharmd drph bsc jd cpa dphil frcp mbbs mrcp do ma ba bs".split()
)

NOISE_PATTERNS: Tuple[re.Pattern, ...] = (
    re.compile(r"^NCT\d{6,}$", re.I),                      # ClinicalTrials.gov numbers
    re.compile(r"https?://|www\.|\.(com|org|net|io|fm|ai)\b", re.I),  # addresses and syndication lines
    re.compile(r"^[A-Za-z]{1,2}\s*[<=>≤≥]\s*[-+]?\d"),       # N=365, p<0.0001
    re.compile(r"^[-+±$]?[\d.,]+\s*%?(\s*[|/]\s*[-+±$]?[\d.,]+\s*%?)*$"),  # numbers, percentages, table cells (`77.4 | 117.5`)
)


# verbs of news headlines ("KAMADA WANTS TO...", "Biocraft Reaches Agreement"): in capitalised text the
# recognizer runs a name on into them; a mention never ends with one
HEADLINE_VERBS = frozenset("""
announce announces report reports receive receives want wants reach reaches reduce reduces achieve achieves
file files re-files refiles secure secures expand expands advance advances complete completes sign signs
enter enters launch launches present presents show shows initiate initiates begin begins regain regains
obtain obtains grant grants purchase purchases acquire acquires appoint appoints name names say says
plan plans submit submits dose doses start starts raise raises close closes extend extends amend amends
terminate terminates license licenses unveil unveils highlight highlights provide provides update updates
issue issues win wins join joins partner partners collaborate collaborates gain gains earn earns
""".split())
# head nouns of a 10-K's defined terms built on a partner's name (`Hansoh Territory`, `a Roche Compound`):
# no company name ends with one, so the partner is the name before it; `Products` also ends real company
# names (`American Home Products`) and is cut only when the shorter name stands alone elsewhere in the document
DEFINED_TERM_HEADS = frozenset(
    "product territory territories field compound compounds know-how patent patents program programs".split()
)
DEFINED_TERM_HEADS_IF_NAMED = frozenset(["products"])
# a name runs on into a headline ("ImmunoGen Achieve Milestone"): cut before a verb inside a mention too,
# except words that also end company names (`Health Care Partners`, `Advance`)
HEADLINE_VERBS_MID = HEADLINE_VERBS - frozenset("partner partners name names issue issues plan plans update updates close closes".split())
# an exchange and its colon before a mention (`(NASDAQ: NRXP)`): a stock ticker, which the schema leaves out
TICKER_CONTEXT = re.compile(
    r"\b(?:NASDAQ|Nasdaq|NYSE|AMEX|OTC\w*|TSX\w*|TSE|TASE|ASX|LSE|AIM|Euronext|HKEX|KOSDAQ)"
    r"(?:\s+(?:Global(?:\s+Select)?\s+Market|Capital\s+Market|American))?\s*[:/]\s*$"
)
# a mention right after `By` at the start of a line is a byline's author (`By Meg Flippin Benzinga`): media
BYLINE_CONTEXT = re.compile(r"(?:^|\n)[ \t]*By\s+$")
US_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|"
    "Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|"
    "Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|"
    "Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming"
)
# a partner or target name before a capitalised `Study` or `Trial` is a trial's name (`The Emerald Study`, `MOXIe
# Trial Results`); a product's is not (`AV411 Trial Results` in a headline, `TIMING OF AV411 TRIALS`)
TRIAL_AFTER = re.compile(r"\s*(?:Study|Trial|Studies|Trials)\b")
# a product or target name before a capitalised `Agreement` names an agreement (`the CoV Agreement`): neither gold
# has a DRUG, TARGET or ANTIBODY mention there
AGREEMENT_AFTER = re.compile(r"\s*Agreements?\b")
# a partner after `Professor of` or `Department of` is a discipline or an academic unit (`Professor of Orthopedic
# Surgery`), not an organisation that develops drugs (`a division of Wyeth` is, and stays)
ACADEMIC_CONTEXT = re.compile(r"\b(?:Professors?|Department|School|Faculty)\s+of\s+(?:the\s+)?$")
# `, Colorado` or `, TX` after a partner: the mention is a city of an address or dateline (`Boulder, Colorado 80301`);
# no company name of the corpus or of the real filings' gold is followed by a state
STATE_AFTER = re.compile(
    r",\s*(?:(?:%s|%s)(?![\w-])|(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|"
    r"NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|Calif|Mass|Colo|Conn|Fla|Ill|Md|Mich|Minn|Tex|Wash)(?![\w-]))"
    % (US_STATES, US_STATES.upper())
)


@lru_cache(maxsize=4)
def load_non_entities(directory: Optional[str] = None) -> FrozenSet[str]:
    """Normalised lines of `non_entities.txt` (comments and blank lines skipped)."""
    return frozenset(normalize_name(line) for line in lexicon_lines(Path(directory or RESOURCES / "lexicon") / "non_entities.txt"))


@lru_cache(maxsize=4)
def load_common_words(directory: Optional[str] = None) -> FrozenSet[str]:
    """The `common_words.txt` list (see `data/lexicon.py`)."""
    return read_word_list(Path(directory or RESOURCES / "lexicon") / "common_words.txt")


@lru_cache(maxsize=4)
def load_filing_words(directory: Optional[str] = None) -> FrozenSet[str]:
    """The `filing_words.txt` list (see `data/lexicon.py`)."""
    return read_word_list(Path(directory or RESOURCES / "lexicon") / "filing_words.txt")


def _names_bank_or_law_firm(span: Span) -> bool:
    """A PARTNER that is a bank, broker, investor or law firm by its own name (`J.P. Morgan Securities Inc.`,
    `Duane Morris LLP`): the schema's PARTNER excludes them; no drug company carries these words."""
    return span.label_ == "PARTNER" and any(t.lower_.rstrip(".") in NOT_PARTNER_WORDS for t in span)


def _in_non_name_context(span: Span) -> Optional[str]:
    """Why the words around the mention say it is no name the schema annotates, or None: `ticker` after its
    exchange (`NASDAQ: NRXP`), `byline` (`By Meg Flippin`), `trial` name (`The Emerald Study`), `agreement`
    name (`the CoV Agreement`), `city` before its state (`Boulder, Colorado`) or `discipline` (`Professor of
    Orthopedic Surgery`)."""
    doc = span.doc
    first = max(0, span.start - 6)
    # a few tokens of context, not `doc.text`, which spaCy rebuilds at every call
    before = ("" if first == 0 else "x") + "".join(t.text_with_ws for t in doc[first:span.start])
    if TICKER_CONTEXT.search(before):
        return "ticker"
    if BYLINE_CONTEXT.search(before) or (
            span.label_ == "OFFICER" and len(span) > 1 and span[0].text == "By" and BYLINE_CONTEXT.search(before + "By ")):
        return "byline"
    after = span[-1].whitespace_ + "".join(t.text_with_ws for t in doc[span.end:span.end + 4])
    if span.label_ != "DRUG" and span[-1].whitespace_ and TRIAL_AFTER.match(after) and not any(c.isdigit() for c in span.text):
        return "trial"
    if span.label_ in ("DRUG", "TARGET", "ANTIBODY") and span[-1].whitespace_ and AGREEMENT_AFTER.match(after):
        return "agreement"
    if span.label_ != "PARTNER":
        return None
    if STATE_AFTER.match(after) and not any(w.lower() in COMPANY_NAME_WORDS for w in _words(span)):
        return "city"  # not `Acme Inc., Texas`
    return "discipline" if ACADEMIC_CONTEXT.search(before) else None


def _drop_non_names_by_context(kept: Kept) -> Kept:
    """Drop the mentions `_in_non_name_context` rejects, and every other mention of a trial, city, byline
    author or discipline so found: the `Boulder` of `Boulder, Colorado` is the city in `a plant in Boulder`
    too. A ticker goes alone, as companies trade under their own names (`XOMA Ltd. (Nasdaq: XOMA)`), and so
    does a product named in an agreement's name."""
    not_names, dropped = set(), set()
    for k, (span, _, _) in enumerate(kept):
        reason = _in_non_name_context(span)
        if reason:
            dropped.add(k)
            words = _words(span)
            if reason not in ("ticker", "agreement"):
                not_names.update((words, words[1:]) if words[0] == "By" else (words,))
    if not dropped:
        return kept
    return [item for k, item in enumerate(kept) if k not in dropped and _words(item[0]) not in not_names]


def _drop_lone_officer_words(kept: Kept) -> Kept:
    """Drop a one-word OFFICER mention that is no word of a longer officer mention in the document and follows no
    title: the schema's later mentions by surname or first name (`Mehrling`, `Dr. Young`) always have one of the
    two, and neither the corpus's gold nor `../shared/dev`'s holds another (but for a letter's `Dear Al:`), while
    the recognizer tags units and products so (`Kelco and Calgon Vestal`, `Centoxin`)."""
    names = {word for span, _, _ in kept if span.label_ == "OFFICER" and len(_words(span)) > 1 for word in _words(span)}

    def lone(span: Span) -> bool:
        words = _words(span)
        if span.label_ != "OFFICER" or len(words) != 1 or words[0] in names:
            return False
        previous = next((t for t in reversed(span.doc[max(0, span.start - 3):span.start]) if not t.is_space), None)
        return previous is None or previous.lower_ not in TITLES

    return [item for item in kept if not lone(item[0])]


def _only_role_words(text: str) -> bool:
    """A job title standing alone (`Controller`, `Chairwoman`, `Chief Executive Officer`) is no name."""
    if any(c.isdigit() for c in text):
        return False  # `VP-315` is a product code
    words = _lower_words(text)
    return any(w in ROLE_WORDS for w in words) and all(w in ROLE_WORDS or w in TITLE_FILLERS for w in words)


def _only_degrees(text: str) -> bool:
    words = _lower_words(text.replace(".", ""))
    return bool(words) and all(w in DEGREES for w in words)


def _lower_words(text: str) -> List[str]:
    return [w.lower() for w in WORD.findall(text)]


def _has_alnum(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _words(span: Span) -> Tuple[str, ...]:
    """The words of a mention, line breaks left out: `NRx\nPharma` and `NRx Pharma` are one name."""
    return tuple(t.text for t in span if not t.is_space)


def _balance_parentheses(doc: Doc, start: int, end: int) -> Tuple[int, int]:
    """Token bounds of a mention without an unmatched parenthesis: no name of the schema has one, while
    the recognizer runs a partner into its product (`Millennium (MLN591DM1`: cut before the `(`) or starts
    inside a name (`U.S.A.) Inc.`: widened to `Syntex (U.S.A.) Inc.` when a capitalised word outside any
    mention, or ending one of the same label, stands before the `(`; else cut after the `)`)."""
    depth, opened = 0, []
    for k in range(start, end):
        for char in doc[k].text:
            if char == "(":
                opened.append(k)
            elif char == ")":
                if opened:
                    opened.pop()
                else:
                    depth += 1
                    closing = k
    if opened:
        end = opened[0]
        while end > start and not _has_alnum(doc[end - 1].text) and doc[end - 1].text != ".":
            end -= 1
    elif depth == 1 and start >= 2 and doc[start - 1].text == "(" and doc[start - 2].text[:1].isupper() \
            and doc[start - 2].is_alpha and (doc[start - 2].ent_iob_ == "O" or doc[start - 2].ent_type_ == doc[start].ent_type_):
        start -= 2
    elif depth:
        start = closing + 1
        while start < end and not _has_alnum(doc[start].text):
            start += 1
    return start, end


def _code_cut_off(ent: Span, kept: Span) -> Optional[Span]:
    """The product code a partner mention ran into and lost to the parenthesis cut (`Millennium (MLN591DM1`
    kept as `Millennium`): when the words cut off after the `(` are one code closed by the `)` after the
    mention, that code is a DRUG mention of its own, as in `Genentech (Trastuzumab-DM1)`."""
    doc = ent.doc
    if ent.label_ != "PARTNER" or kept.end >= ent.end or ent.end >= len(doc) or doc[ent.end].text != ")":
        return None
    opening = next((k for k in range(kept.end, ent.end) if doc[k].text == "("), None)
    if opening is None or opening + 2 != ent.end or not PRODUCT_CODE.fullmatch(doc[opening + 1].text):
        return None
    return Span(doc, opening + 1, ent.end, label="DRUG")


TARGET_HEAD_NOUNS = frozenset("receptor receptors antigen antigens".split())
PLATFORM_WORDS = frozenset("technology technologies platform platforms".split())


def _drop_platforms(kept: Kept) -> Kept:
    """Drop the DRUG and TARGET mentions of a name found as a DRUG that the document writes before `technology`
    or `platform` anywhere (`LEAPS technology`, `TAP platform`): the schema's DRUG excludes platforms. A
    lower-case name is kept (`calicheamicin technology` names the payload drug)."""
    drugs = {_words(span) for span, _, _ in kept if span.label_ == "DRUG" and not span.text.islower()}
    if not drugs:
        return kept
    doc = kept[0][0].doc
    words = [t for t in doc if not t.is_space and t.text not in ("®", "™")]
    lengths = {len(name) for name in drugs}
    platforms = {
        name for i, token in enumerate(words) if token.lower_ in PLATFORM_WORDS
        for name in (tuple(t.text for t in words[max(0, i - n):i]) for n in lengths) if name in drugs
    }
    if not platforms:
        return kept
    # its mentions the recognizer labelled TARGET go too (they would win the label vote once the DRUG ones are gone)
    return [item for item in kept if not (item[0].label_ in ("DRUG", "TARGET") and _words(item[0]) in platforms)]


def _partner_heads(kept: Kept) -> Kept:
    """Relabel DRUG and TARGET mentions that head a partner's name as PARTNER (see `partner_heads`)."""
    heads = set()
    for span, _, _ in kept:
        words = _words(span)
        if span.label_ == "PARTNER" and len(words) > 1:
            for k in range(1, len(words)):
                if all(w.lower() in COMPANY_NAME_WORDS or not w[:1].isalnum() for w in words[k:]):
                    heads.add(tuple(words[:k]))
                    break
    # a partner's name with an `s` glued on is that partner, written without the possessive's apostrophe
    # (`CEL-SCIs research laboratory`): the recognizer takes the odd word for a product code
    plurals = {words[:-1] + (words[-1] + "s",) for words in (_words(span) for span, _, _ in kept if span.label_ == "PARTNER")}

    def is_partner(span: Span) -> bool:
        words = _words(span)
        return (words in heads and not span.text.isupper()) or words in plurals

    if not heads and not plurals:
        return kept
    return [
        (Span(span.doc, span.start, span.end, label="PARTNER"), score, eid)
        if span.label_ in ("DRUG", "TARGET") and is_partner(span)
        else (span, score, eid)
        for span, score, eid in kept
    ]


def _is_defined_term(span: Span) -> bool:
    """`("BW")` or `(the "Company")`: the writer defines the span as a name."""
    doc, start, end = span.doc, span.start, span.end
    if start < 2 or end + 1 >= len(doc) or doc[start - 1].text not in ('"', "“") or doc[end].text not in ('"', "”"):
        return False
    opening = doc[start - 2] if doc[start - 2].text == "(" else (doc[start - 3] if start >= 3 and doc[start - 2].lower_ == "the" else None)
    return opening is not None and opening.text == "(" and doc[end + 1].text == ")"


def _propagate_names(doc: Doc, kept: Kept,
                     recognized: Sequence[Span]) -> Kept:
    """Add a mention at every other whole-word occurrence of a found name (see `propagate_names`); one pass
    over the tokens, so the cost grows with the document, not with the number of names times its length."""
    names: Dict[str, List[Tuple[Tuple[str, ...], str, Optional[float]]]] = defaultdict(list)
    seen = set()
    for span, score, _ in kept:
        words = _words(span)
        if words in seen or not (_is_defined_term(span) or (len(span.text) >= 3 and not span.text.islower())):
            continue
        seen.add(words)
        names[words[0]].append((words, span.label_, score))
    if not names:
        return kept
    for candidates in names.values():
        candidates.sort(key=lambda name: -len(name[0]))  # the longest name first
    taken = [False] * len(doc)
    for span in [span for span, _, _ in kept] + list(recognized):
        taken[span.start:span.end] = [True] * len(span)
    added = []
    i = 0
    while i < len(doc):
        match = None
        if not taken[i] and doc[i].text in names and not (i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_):
            for words, label, score in names[doc[i].text]:
                end, k = i, 0
                while end < len(doc) and k < len(words) and not taken[end]:
                    if doc[end].is_space:
                        end += 1
                        continue
                    if doc[end].text != words[k]:
                        break
                    end, k = end + 1, k + 1
                # a whole word: `CEL` is not a name inside `CEL-4000`
                if k == len(words) and not (end < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_):
                    match = (Span(doc, i, end, label=label), score, None)
                    break
        if match is None:
            i += 1
            continue
        added.append(match)
        taken[match[0].start:match[0].end] = [True] * len(match[0])
        i = match[0].end
    return sorted(kept + added, key=lambda item: item[0].start) if added else kept


class EntityRules:
    """Stateless rules over `doc.ents`; keeps `doc._.entity_scores` and `entity_ids` aligned."""

    def __init__(self, name: str = "entity_rules", *, vote_labels: bool = True, drop_non_entities: bool = True,
                 drop_patterns: bool = True, propagate_surnames: bool = True, drop_common_words: bool = True,
                 drop_filing_words: bool = True, propagate_names: bool = True, partner_heads: bool = True,
                 lexicon_dir: Optional[str] = None) -> None:
        install_extensions()
        self.name = name
        self.vote_labels = vote_labels
        self.drop_non_entities = drop_non_entities
        self.drop_patterns = drop_patterns
        self.propagate_surnames = propagate_surnames
        self.propagate_names = propagate_names
        self.partner_heads = partner_heads
        self.non_entities = load_non_entities(lexicon_dir) if drop_non_entities else frozenset()
        self.common_words = load_common_words(lexicon_dir) if drop_common_words else frozenset()
        # PARTNER and OFFICER mentions are checked against both lists
        self.name_words = (load_filing_words(lexicon_dir) if drop_filing_words else frozenset()) | self.common_words

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        if not ents:
            return doc
        scores = list(doc._.entity_scores) if doc._.entity_scores is not None else None
        ids = list(doc._.entity_ids) if doc._.entity_ids is not None else None
        kept: Kept = []
        for i, ent in enumerate(ents):
            span = self._trim(ent) if self.drop_patterns else ent
            if span is None or self._is_noise(span):
                continue
            if kept and kept[-1][0].end > span.start:
                # the span was widened over the mention before it (`Syntex` + `(U.S.A.) Inc.`): one name
                previous, score, eid = kept.pop()
                span = Span(doc, previous.start, span.end, label=previous.label)
                kept.append((span, score, eid))
                continue
            kept.append((span, scores[i] if scores else None, ids[i] if ids else None))
            code = _code_cut_off(ent, span) if self.drop_patterns else None
            if code is not None:
                kept.append((code, scores[i] if scores else None, None))
        if self.drop_patterns:
            kept = _drop_platforms(self._defined_terms(kept))
        if self.vote_labels:
            kept = self._vote(kept)
        if self.partner_heads:
            kept = _partner_heads(kept)
        if self.propagate_surnames:
            kept = self._surnames(doc, kept)
        if self.propagate_names:
            # never into words the recognizer tagged and the rules above dropped or trimmed off
            kept = _propagate_names(doc, kept, ents)
        if self.drop_patterns:
            kept = _drop_lone_officer_words(_drop_non_names_by_context(kept))
        doc.ents = [span for span, _, _ in kept]
        if scores is not None:
            doc._.entity_scores = [score for _, score, _ in kept]
        if ids is not None:
            # a mention the rules added has no id yet: let the writer number them all afresh
            doc._.entity_ids = None if any(eid is None for _, _, eid in kept) else [eid for _, _, eid in kept]
        return doc

    def _trim(self, ent: Span) -> Optional[Span]:
        start, end = ent.start, ent.end
        while start < end and (not _has_alnum(ent.doc[start].text)
                               or (ent.label_ == "OFFICER" and ent.doc[start].lower_ in TITLES)):
            start += 1
        while end > start and not _has_alnum(ent.doc[end - 1].text) and ent.doc[end - 1].text != ".":
            end -= 1  # the full stop of `Inc.` belongs to the name
        while end - start > 1 and ent.doc[end - 1].lower_ in HEADLINE_VERBS and ent.doc[end - 1].text[:1].isupper():
            end -= 1  # `Kamada Wants`, `SYNERGEN REDUCES`: the headline's verb is not part of the name
        for k in range(start + 1, end - 1):
            if ent.doc[k].lower_ in HEADLINE_VERBS_MID and ent.doc[k].text[:1].isupper():
                # `ImmunoGen Achieve Milestone`, `NRx Re-Files Abbreviated ...`: the name ends before the verb
                end = k - 2 if k - start > 2 and ent.doc[k - 1].text == "-" and ent.doc[k - 2].lower_ == "re" else k
                break
        start, end = _balance_parentheses(ent.doc, start, end)
        if (ent.label_ == "TARGET" and end - start == 2 and ent.doc[end - 1].lower_ in TARGET_HEAD_NOUNS
                and any(c.isupper() or c.isdigit() for c in ent.doc[start].text)):
            end -= 1  # `NMDA receptor`, `CanAg antigen`: the schema annotates the name, not its head noun
        if ent.label_ == "PARTNER" and end == ent.end and end < len(ent.doc) and ent.doc[end].text in ("Group", "GROUP") \
                and ent.doc[end - 1].whitespace_ == " ":
            end += 1  # `the Roche Group`: the group's full name, as `../shared/dev` writes it
        if start == end:
            return None
        if (start, end) == (ent.start, ent.end):
            return ent
        return Span(ent.doc, start, end, label=ent.label)

    def _is_noise(self, span: Span) -> bool:
        text = span.text
        after_title = span.label_ == "OFFICER" and span.start > 0 and span.doc[span.start - 1].lower_ in TITLES
        if self.drop_non_entities and not after_title and normalize_name(text) in self.non_entities:
            return True  # `Mr. London` is a person, `London` alone a place
        vocabulary = self.name_words if span.label_ in ("PARTNER", "OFFICER") else self.common_words
        if vocabulary and not after_title and only_common_words(text, vocabulary, COMPANY_NAME_WORDS):
            return True
        if self.drop_patterns and (_only_degrees(text) or _only_role_words(text) or _names_bank_or_law_firm(span)):
            return True
        if self.drop_patterns and span.label_ in ("PARTNER", "OFFICER") and len(span) > 1 and span[0].is_digit and span[0].whitespace_:
            return True  # an address (`55216 Ingelheim`, `4435 Eastgate Mall`): no company or person name opens so
        return self.drop_patterns and any(p.search(text) for p in NOISE_PATTERNS)

    @staticmethod
    def _defined_terms(kept: Kept) -> Kept:
        """A PARTNER mention ending in a defined term's head noun (`Hansoh Product`) is cut to the name before it."""
        alone = {span.text for span, _, _ in kept if span.label_ == "PARTNER"}
        trimmed = []
        for span, score, eid in kept:
            last = span[-1].lower_
            if (span.label_ == "PARTNER" and len(span) > 1 and span[-1].text[:1].isupper()
                    and (last in DEFINED_TERM_HEADS or (last in DEFINED_TERM_HEADS_IF_NAMED and span[:-1].text in alone))):
                span = Span(span.doc, span.start, span.end - 1, label=span.label)
            trimmed.append((span, score, eid))
        return trimmed

    @staticmethod
    def _surnames(doc: Doc, kept: Kept) -> Kept:
        surnames: Dict[str, Optional[float]] = {}
        for span, score, _ in kept:
            last = span[-1].text
            # a surname is a capitalised word (`Van Nostrand` -> `Nostrand`), never `Jr.` or `III`
            if (span.label_ == "OFFICER" and len(span) > 1 and last[:1].isupper() and len(last) > 2
                    and last.replace("-", "").replace("'", "").isalpha() and last.lower() not in POST_NOMINALS):
                surnames[last] = score
        if not surnames:
            return kept
        taken = set()
        for span, _, _ in kept:
            taken.update(range(span.start, span.end))
        added = [(Span(doc, token.i, token.i + 1, label="OFFICER"), surnames[token.text], None)
                 for token in doc if token.text in surnames and token.i not in taken]
        return sorted(kept + added, key=lambda item: item[0].start)

    @staticmethod
    def _vote(kept: Kept) -> Kept:
        votes: Dict[str, Dict[str, List[float]]] = defaultdict(lambda: defaultdict(lambda: [0, 0.0]))
        keys = [normalize_name(span.text) for span, _, _ in kept]
        for key, (span, score, _) in zip(keys, kept):
            tally = votes[key][span.label_]
            tally[0] += 1
            tally[1] += score if score is not None else 0.0
        voted = []
        for key, (span, score, eid) in zip(keys, kept):
            tallies = votes[key]
            best = max(tallies, key=lambda label: (tallies[label][0], tallies[label][1], label == span.label_))
            if best != span.label_:
                span = Span(span.doc, span.start, span.end, label=best)
            voted.append((span, score, eid))
        return voted


@Language.factory(
    "immunoextract_entity_rules",
    assigns=["doc.ents", "doc._.entity_scores"],
    requires=["doc.ents"],
    default_config={"vote_labels": True, "drop_non_entities": True, "drop_patterns": True, "propagate_surnames": True,
                    "drop_common_words": True, "drop_filing_words": True, "propagate_names": True, "partner_heads": True,
                    "lexicon_dir": None},
)
def make_entity_rules(nlp: Language, name: str, vote_labels: bool, drop_non_entities: bool, drop_patterns: bool,
                      propagate_surnames: bool, drop_common_words: bool, drop_filing_words: bool,
                      propagate_names: bool, partner_heads: bool, lexicon_dir: Optional[str]) -> EntityRules:
    return EntityRules(name, vote_labels=vote_labels, drop_non_entities=drop_non_entities,
                       drop_patterns=drop_patterns, propagate_surnames=propagate_surnames,
                       drop_common_words=drop_common_words, drop_filing_words=drop_filing_words,
                       propagate_names=propagate_names, partner_heads=partner_heads, lexicon_dir=lexicon_dir)
