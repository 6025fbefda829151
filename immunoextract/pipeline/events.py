"""Event triggers: spaCy's single-label span categorizer over candidate spans that can be triggers.

A trigger is a short run of words ("regained", "entered into a license agreement",
"initiated a Phase 2 trial"): it starts and ends with a word and never crosses
sentence punctuation or a line break. Suggesting only such n-grams halves the spans
the categorizer scores (and so its cost) while keeping 98% of the corpus triggers.
`immunoextract_event_rules` then drops the triggers of conditional clauses, and
`immunoextract_event_arguments`, after the relations, those that got no argument.

`immunoextract_triggers` is spaCy's `spancat_singlelabel` with one inference setting more,
`negative_scale` (see `TriggerCategorizer`); its weights and training are spaCy's own.
"""
import re
from typing import Callable, Iterable, List, Optional, Sequence, Tuple

import numpy
from spacy.language import Language
from spacy.pipeline.spancat import DEFAULT_SPANCAT_SINGLELABEL_MODEL, SpanCategorizer, Suggester
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Model, Ops, get_current_ops
from thinc.types import Floats2d, Ints2d, Ragged

from ..data.extensions import install_extensions
from ..data.schema import EVENT_ARGUMENT_LABELS, EVENT_TYPES
from ..errors import InputError, check_choices

BREAKS = frozenset('.,;:!?"\u201c\u201d\u2018\u2019()[]{}|')
# function words a trigger does not start (or end) with: of 1,980 corpus triggers 5 do, of the 138 in
# ../shared/dev none; leaving out such n-grams drops about 37% of the candidates the categorizer scores
NOT_FIRST = frozenset("the a an of in for with and or by on at as from that which its their this these our his her such".split())
NOT_LAST = frozenset("the a an of and or its their this these our that which such".split())


def trigger_candidates(doc: Doc, min_size: int, max_size: int, skip_function_words: bool = False) -> List[List[int]]:
    """[start, end) token spans of `min_size`..`max_size` tokens that begin and end with a letter or digit
    and contain no white-space token and no sentence punctuation; with `skip_function_words`, none that
    starts with a word of NOT_FIRST or ends with one of NOT_LAST."""
    usable = [not t.is_space and t.text not in BREAKS for t in doc]
    edge = [bool(t.text) and t.text[0].isalnum() and t.text[-1].isalnum() for t in doc]
    first_ok, last_ok = edge, edge
    if skip_function_words:
        first_ok = [ok and t.lower_ not in NOT_FIRST for ok, t in zip(edge, doc)]
        last_ok = [ok and t.lower_ not in NOT_LAST for ok, t in zip(edge, doc)]
    spans = []
    n = len(doc)
    for start in range(n):
        if not (usable[start] and first_ok[start]):
            continue
        for end in range(start + min_size, min(start + max_size, n) + 1):
            if not usable[end - 1]:
                break
            if last_ok[end - 1]:
                spans.append([start, end])
    return spans


@registry.misc("immunoextract.trigger_suggester.v1")
def build_trigger_suggester(min_size: int = 1, max_size: int = 6) -> Callable[[Iterable[Doc], Optional[Ops]], Ragged]:
    """Suggester for `spancat`: the trigger-shaped n-grams of each Doc (see `trigger_candidates`)."""
    return _suggester(min_size, max_size, skip_function_words=False)


@registry.misc("immunoextract.trigger_suggester.v2")
def build_trigger_suggester_v2(min_size: int = 1, max_size: int = 6) -> Callable[[Iterable[Doc], Optional[Ops]], Ragged]:
    """As v1, without the n-grams that start or end with a function word (`of the license`), which are
    almost never triggers: the categorizer scores about a third fewer spans."""
    return _suggester(min_size, max_size, skip_function_words=True)


def _suggester(min_size: int, max_size: int, *, skip_function_words: bool) -> Callable[[Iterable[Doc], Optional[Ops]], Ragged]:
    def suggest(docs: Iterable[Doc], *, ops: Optional[Ops] = None) -> Ragged:
        ops = ops or get_current_ops()
        spans: List[List[int]] = []
        lengths: List[int] = []
        for doc in docs:
            found = trigger_candidates(doc, min_size, max_size, skip_function_words)
            spans.extend(found)
            lengths.append(len(found))
        data = ops.asarray2i(numpy.asarray(spans, dtype="i")) if spans else ops.alloc2i(0, 2)
        return Ragged(data, ops.asarray1i(numpy.asarray(lengths, dtype="i")))

    return suggest


class TriggerCategorizer(SpanCategorizer):
    """spaCy's single-label span categorizer whose "no trigger" probability is multiplied by
    `negative_scale` before the argmax, at prediction only (training and loss are spaCy's).

    Why: the schema scores a trigger found when it *overlaps* the gold one, and a fact needs
    one trigger of its type per document; the categorizer, trained to put the label on the
    exact gold span and "no trigger" on every other candidate (its near misses included),
    is shy in real filings, whose triggers are longer than the corpus's. With 0.5 the shipped
    model finds 39% of the triggers of `../shared/dev` instead of 36% (precision 53% from 57%),
    and event F1 on the corpus's held-out split rose from 77.3 to 78.4; 1.0 is spaCy's behaviour.
    """

    def __init__(
        self,
        vocab: Vocab,
        model: Model[Tuple[List[Doc], Ragged], Floats2d],
        suggester: Suggester,
        name: str = "events",
        *,
        spans_key: str = "events",
        negative_weight: float = 1.0,
        allow_overlap: bool = False,
        negative_scale: float = 1.0,
        scorer: Optional[Callable] = None,
    ) -> None:
        if not 0.0 < negative_scale <= 1.0:
            raise InputError(f"[{name}] negative_scale must be in (0, 1], got {negative_scale!r}")
        super().__init__(
            vocab, model, suggester, name=name, spans_key=spans_key, negative_weight=negative_weight,
            allow_overlap=allow_overlap, max_positive=1, add_negative_label=True, threshold=None, scorer=scorer,
        )
        # an attribute, not `cfg`: `from_disk` would otherwise restore the value saved with the weights
        self.negative_scale = negative_scale

    def _make_span_group_singlelabel(self, doc: Doc, indices: Ints2d, scores: Floats2d, allow_overlap: bool = True) -> SpanGroup:
        if self.negative_scale != 1.0 and scores.size:
            scores = self.model.ops.to_numpy(scores).copy()
            scores[:, self._negative_label_i] *= self.negative_scale
        return super()._make_span_group_singlelabel(doc, indices, scores, allow_overlap)


@Language.factory(
    "immunoextract_triggers",
    assigns=["doc.spans"],
    default_config={
        "suggester": {"@misc": "immunoextract.trigger_suggester.v2", "min_size": 1, "max_size": 6},
        "model": DEFAULT_SPANCAT_SINGLELABEL_MODEL,
        "spans_key": "events",
        "negative_weight": 1.0,
        "allow_overlap": False,
        "negative_scale": 1.0,
        "scorer": {"@scorers": "spacy.spancat_scorer.v1"},
    },
    default_score_weights={"spans_events_f": 1.0, "spans_events_p": 0.0, "spans_events_r": 0.0},
)
def make_trigger_categorizer(
    nlp: Language,
    name: str,
    suggester: Suggester,
    model: Model[Tuple[List[Doc], Ragged], Floats2d],
    spans_key: str,
    negative_weight: float,
    allow_overlap: bool,
    negative_scale: float,
    scorer: Optional[Callable],
) -> TriggerCategorizer:
    """Create an `immunoextract_triggers` component (see `TriggerCategorizer`)."""
    return TriggerCategorizer(
        nlp.vocab, model, suggester, name, spans_key=spans_key, negative_weight=negative_weight,
        allow_overlap=allow_overlap, negative_scale=negative_scale, scorer=scorer,
    )


# --- after the categorizer: triggers the schema does not count as events -------------------------

# words that make what follows them a condition or a possibility ("If BlueRock exercises its option",
# "a partner that would initiate"); the schema's "hypothetical or conditional" non-events
CONDITIONAL_WORDS = frozenset("if unless whether may might could would should".split())
CLAUSE_ENDS = frozenset(".;:!?")
# corporate transactions the schema's v1 does not annotate as events, nor as PARTNER_OF
MERGER_WORDS = re.compile(r"\b(?:merg(?:er|ers|ed|e|es|ing)|acquisitions?|tender offers?|takeovers?|buy-?outs?)\b", re.I)
# words that make a trigger a regulatory event whatever the categorizer said: a petition, a designation, a
# marketing application; in the corpus 153 of 157 triggers with one are REGULATORY (the others file an IND,
# a CLINICAL step, hence INVESTIGATIONAL), in `../shared/dev` 30 of 30
REGULATORY_WORDS = re.compile(
    r"\b(?:petitions?|designations?|fast track|breakthrough therapy|orphan drug|priority review|new drug applications?|"
    r"biologics? licen[cs]e applications?|NDAs?|BLAs?|ANDAs?|sNDAs?|sBLAs?|MAAs?|marketing authori[sz]ations?)\b", re.I)
# an achieved milestone, said in so many words (`achievement of a milestone`, `milestones were earned`,
# `received a milestone payment`): in the corpus 26 of 37 such phrases are MILESTONE triggers, the rest
# conditional or denied (`upon achievement of specified milestones`, `No milestones were earned`), which
# NOT_ACHIEVED_INSIDE and NOT_ACHIEVED_BEFORE leave out
MILESTONE_PHRASE = re.compile(
    r"\bachiev\w*(?:\s+(?:of|by)\s+\w+)?(?:\s+\w+){0,3}?\s+milestones?\b"
    r"|\bmilestones?\s+(?:was|were|has been|have been)?\s*(?:achieved|earned|met|reached|triggered)\b"
    r"|\b(?:received|receives|earned|paid)\s+(?:a|an|the)\s+(?:\$[\d.,]+\s+(?:million\s+)?)?(?:\w+\s+){0,2}milestone payments?\b",
    re.I)
# what makes such a phrase a promise or a denial, not an event: `upon the achievement of specified milestones`,
# `no assurance that X will achieve any of the milestones`, `No milestones were earned`
NOT_ACHIEVED_INSIDE = re.compile(r"\b(?:any|specified|certain|future|potential|additional|such)\b", re.I)
NOT_ACHIEVED_BEFORE = re.compile(
    r"\b(?:upon|eligible|if|assurance|no|not|will|may|might|could|would|contingent|subject to|based on)\b[^.;]*$", re.I)
# words of rights coming back or a programme ending: in the corpus all 92 triggers with one and without a
# trial word are TERMINATION, in `../shared/dev` 5 of 5 (`termination of the ANTRIL trial` is CLINICAL)
TERMINATION_WORDS = re.compile(
    r"\b(?:elect(?:ed|s)? not to|decided not to|declined to|opt(?:ed|s)? out|regain(?:ed|s)?|"
    r"return(?:ed|s)? (?:the |all |its )?rights|terminat\w*|discontinu\w*)\b", re.I)
TRIAL_WORDS = re.compile(r"\b(?:trials?|study|studies|enrol\w*|dosing)\b", re.I)
INVESTIGATIONAL = re.compile(r"\binvestigational\b|\bIND\b", re.I)
BEFORE_A_MONTH = frozenset("in of on since until by from early late mid during".split())


def _is_month_may(doc: Doc, i: int) -> bool:
    """`May` the month ("In May 2019", "May 5, 2025"), not the modal verb."""
    token = doc[i]
    if token.text == "may":
        return False
    after = doc[i + 1] if i + 1 < len(doc) else None
    before = doc[i - 1] if i > 0 else None
    return bool((after is not None and after.like_num) or (before is not None and before.lower_ in BEFORE_A_MONTH))


def is_conditional(doc: Doc, start: int, window: int = 12) -> bool:
    """Whether a conditional word stands in the same clause within `window` tokens before token `start`."""
    for i in range(start - 1, max(-1, start - 1 - window), -1):
        token = doc[i]
        if token.text in CLAUSE_ENDS or token.text.count("\n") >= 2:
            return False
        if token.lower_ in CONDITIONAL_WORDS and not (token.lower_ == "may" and _is_month_may(doc, i)):
            return True
    return False


def keep_spans(doc: Doc, spans_key: str, keep: List[int]) -> None:
    """Keep only the spans at indices `keep` of `doc.spans[spans_key]`, and their scores."""
    group = doc.spans[spans_key]
    if len(keep) == len(group):
        return
    scores = group.attrs.get("scores")
    kept = SpanGroup(doc, name=group.name, spans=[group[i] for i in keep], attrs=dict(group.attrs))
    if scores is not None and len(scores) == len(group):
        kept.attrs["scores"] = [scores[i] for i in keep]
    doc.spans[spans_key] = kept


def retype_by_words(doc: Doc, spans_key: str) -> None:
    """Give a trigger the type its words name whatever the categorizer said: REGULATORY for a petition, a
    designation or a marketing application (REGULATORY_WORDS; not an investigational new drug application, a
    CLINICAL step), TERMINATION for rights regained or returned, a partner electing not to advance, a
    termination or discontinuation (TERMINATION_WORDS; not of a trial or study, which is CLINICAL)."""
    group = doc.spans[spans_key]

    def type_of(span: Span) -> str:
        if REGULATORY_WORDS.search(span.text) and not INVESTIGATIONAL.search(span.text):
            return "REGULATORY"
        if TERMINATION_WORDS.search(span.text) and not TRIAL_WORDS.search(span.text):
            return "TERMINATION"
        return span.label_

    types = [type_of(span) for span in group]
    if any(label != span.label_ for label, span in zip(types, group)):
        retyped = [Span(doc, span.start, span.end, label=label) for label, span in zip(types, group)]
        doc.spans[spans_key] = SpanGroup(doc, name=group.name, spans=retyped, attrs=dict(group.attrs))


def add_milestones(doc: Doc, spans_key: str, score: float = 0.5) -> None:
    """Add a MILESTONE trigger at every MILESTONE_PHRASE no trigger overlaps yet, scored `score`."""
    group = doc.spans[spans_key]
    taken = [False] * len(doc)
    for span in group:
        taken[span.start:span.end] = [True] * len(span)
    added = []
    text = doc.text
    for match in MILESTONE_PHRASE.finditer(text):
        if NOT_ACHIEVED_INSIDE.search(match.group()) or NOT_ACHIEVED_BEFORE.search(text[max(0, match.start() - 60):match.start()]):
            continue
        span = doc.char_span(match.start(), match.end(), label="MILESTONE", alignment_mode="expand")
        if span is not None and not any(taken[span.start:span.end]):
            added.append(span)
            taken[span.start:span.end] = [True] * len(span)
    if not added:
        return
    scores = group.attrs.get("scores")
    attrs = dict(group.attrs)
    spans = list(group) + added
    order = sorted(range(len(spans)), key=lambda k: spans[k].start)  # triggers in text order, scores alongside
    if scores is not None and len(scores) == len(group):
        merged = list(scores) + [score] * len(added)
        attrs["scores"] = [merged[k] for k in order]
    doc.spans[spans_key] = SpanGroup(doc, name=group.name, spans=[spans[k] for k in order], attrs=attrs)


class EventRules:
    """Drop the event triggers that stand in a conditional clause, or that name a merger.

    The schema counts only what happened or was decided: "rights would be returned",
    "we may license" and "If X exercises its option" are not events. In the corpus 21 of
    1,980 triggers (1%) have a conditional word earlier in their clause, in `../shared/dev`
    2 of 132; the categorizer, which sees a few words around each candidate, put one there
    in 10 of the 106 triggers it wrote on `../shared/dev`.

    With `type_words`, a trigger whose words name a petition, a designation or a marketing application
    (`filed a citizen's petition`) is REGULATORY, and one that names rights regained or a partner electing
    not to advance (`elected not to advance`) TERMINATION, whatever type the categorizer gave it
    (`retype_by_words`).

    With `milestone_words`, a milestone said to be achieved in so many words (`announced the achievement of a
    milestone`, `BOEHRINGER INGELHEIM AND IMMUNOGEN ACHIEVE MILESTONE`) is a MILESTONE trigger where the
    categorizer wrote none (`add_milestones`); promises and denials are left out.

    With `drop_mergers`, a trigger whose words name a merger, an acquisition, a tender offer or
    a takeover goes too: the schema's v1 has no such events ("entered into a definitive merger
    agreement" is no LICENSE). `acquired` alone stays, since "acquired exclusive rights" is a licence.
    """

    def __init__(
        self, name: str = "event_rules", *, spans_key: str = "events", drop_conditional: bool = True, drop_mergers: bool = False,
        type_words: bool = False, milestone_words: bool = False,
    ) -> None:
        self.name = name
        self.spans_key = spans_key
        self.drop_conditional = drop_conditional
        self.drop_mergers = drop_mergers
        self.type_words = type_words
        self.milestone_words = milestone_words

    def __call__(self, doc: Doc) -> Doc:
        if self.type_words and len(doc.spans.get(self.spans_key, [])):
            retype_by_words(doc, self.spans_key)
        if self.milestone_words:
            if self.spans_key not in doc.spans:
                doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=[], attrs={"scores": []})
            add_milestones(doc, self.spans_key)
        group = doc.spans.get(self.spans_key)
        if not (self.drop_conditional or self.drop_mergers) or group is None or not len(group):
            return doc

        def keep(span) -> bool:
            if self.drop_conditional and is_conditional(doc, span.start):
                return False
            return not (self.drop_mergers and MERGER_WORDS.search(span.text))

        keep_spans(doc, self.spans_key, [i for i, span in enumerate(group) if keep(span)])
        return doc


@Language.factory(
    "immunoextract_event_rules",
    assigns=["doc.spans"],
    requires=["doc.spans"],
    default_config={"spans_key": "events", "drop_conditional": True, "drop_mergers": False, "type_words": False,
                    "milestone_words": False},
)
def make_event_rules(
    nlp: Language, name: str, spans_key: str, drop_conditional: bool, drop_mergers: bool, type_words: bool,
    milestone_words: bool,
) -> EventRules:
    """Create an `immunoextract_event_rules` component (see `EventRules`)."""
    return EventRules(
        name, spans_key=spans_key, drop_conditional=drop_conditional, drop_mergers=drop_mergers,
        type_words=type_words, milestone_words=milestone_words,
    )


class EventArguments:
    """Drop the event triggers the relation component gave no argument.

    The schema annotates an event "only when it concerns at least one product or partner
    named in the same sentence": a trigger with neither a PRODUCT nor a PARTY is a
    business sentence the categorizer mistook for an event ("reduced its staff",
    "completed its financial results"). On `../shared/dev` the previous model wrote 30 such
    triggers of 113; dropping them raised event precision from 43 to 57 and cost 2 of the 132
    gold triggers. Runs after `relations`; facts are unchanged (an event without arguments gives none).

    `product_required` names the event types that must also have a PRODUCT. A clinical or
    regulatory step concerns a product; the model's triggers of those types that found only a
    company were mostly not events on `../shared/dev` (5 of 19 right: "announced today its
    intention to sell", "was represented by"), and where they were, their company-only fact
    (`CLINICAL(None, Kamada)`) rarely matched the gold, which names the product. Dropping them
    raised fact F1 there by 1.5 points and by 0.4 on the corpus's held-out split
    (`benchmarks/rule_ablation.py`).
    """

    def __init__(
        self,
        name: str = "event_arguments",
        *,
        spans_key: str = "events",
        require_argument: bool = True,
        product_required: Sequence[str] = (),
    ) -> None:
        install_extensions()
        check_choices(name, "product_required", product_required, EVENT_TYPES, "is not an event type")
        self.name = name
        self.spans_key = spans_key
        self.require_argument = require_argument
        self.product_required = frozenset(product_required)

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.get(self.spans_key)
        if not (self.require_argument or self.product_required) or group is None or not len(group):
            return doc
        relations = doc._.relations or []
        heads = {tuple(r["head"]) for r in relations if r["label"] in EVENT_ARGUMENT_LABELS}
        with_product = {tuple(r["head"]) for r in relations if r["label"] == "PRODUCT"}

        def keep(span) -> bool:
            key = (span.start_char, span.end_char)
            if self.require_argument and key not in heads:
                return False
            return span.label_ not in self.product_required or key in with_product

        kept = [i for i, span in enumerate(group) if keep(span)]
        dropped = {(span.start_char, span.end_char) for span in group} - {(group[i].start_char, group[i].end_char) for i in kept}
        keep_spans(doc, self.spans_key, kept)
        if dropped & heads:  # the arguments of a dropped trigger go with it
            doc._.relations = [
                r for r in relations if not (r["label"] in EVENT_ARGUMENT_LABELS and tuple(r["head"]) in dropped)
            ]
        return doc


@Language.factory(
    "immunoextract_event_arguments",
    assigns=["doc.spans"],
    requires=["doc.spans", "doc._.relations"],
    default_config={"spans_key": "events", "require_argument": True, "product_required": []},
)
def make_event_arguments(
    nlp: Language, name: str, spans_key: str, require_argument: bool, product_required: List[str]
) -> EventArguments:
    """Create an `immunoextract_event_arguments` component (see `EventArguments`)."""
    return EventArguments(name, spans_key=spans_key, require_argument=require_argument, product_required=product_required)
