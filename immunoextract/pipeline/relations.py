"""Relation extraction between entities, and from events to their arguments.

`RelationExtractor` scores every candidate (head, tail) pair of a Doc (entities in
`doc.ents`, event triggers in `doc.spans["events"]`) against each relation label with
one sigmoid per label, and writes the pairs above its threshold to `doc._.relations`
as `{"head": [start, end], "tail": [start, end], "label": str, "score": float}`
(character offsets into `doc.text`). The network is `immunoextract.RelationModel.v1`
(`immunoextract/ml/models/relations.py`); the metrics are
`immunoextract.relations_scorer.v1`: strict on both argument spans and the label,
PARTNER_OF in either direction.

DOCS: https://github.com/explosion/projects/tree/v3/tutorials/rel_component
"""
import warnings
from itertools import islice
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import numpy
from spacy.language import Language
from spacy.pipeline.trainable_pipe import TrainablePipe
from spacy.scorer import PRFScore
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_examples, validate_get_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer, set_dropout_rate
from thinc.types import Floats2d

from ..data.extensions import EVENTS_KEY, install_extensions
from ..data.schema import EVENT_TYPES, RELATION_ARGS, SYMMETRIC_RELATIONS, relation_fits
from ..errors import ImmunoextractWarning, InputError, ModelError
from ..ml.models.relations import argument_label

DEFAULT_REL_MODEL_CONFIG = """
[model]
@architectures = "immunoextract.RelationModel.v1"

[model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 96
depth = 4
embed_size = 2000
window_size = 1
maxout_pieces = 3
subword_features = true

[model.create_instance_tensor]
@architectures = "immunoextract.InstanceTensor.v1"
distance_width = 16
pair_width = 16

[model.create_instance_tensor.pooling]
@layers = "reduce_mean.v1"

[model.create_instance_tensor.get_instances]
@misc = "immunoextract.CandidatePairs.v1"
max_token_distance = 100
sentence_window = 0

[model.classification_layer]
@architectures = "immunoextract.RelationClassifier.v1"
nI = null
nO = null
hidden_width = 64
dropout = 0.1
"""
DEFAULT_REL_MODEL = Config().from_str(DEFAULT_REL_MODEL_CONFIG)["model"]

# labels of which one direction is kept per pair of spans: the symmetric ones, and ALIAS_OF,
# whose reverse (the name explained by its alias) is never a relation of its own
ONE_DIRECTION_LABELS: Tuple[str, ...] = tuple(SYMMETRIC_RELATIONS) + ("ALIAS_OF",)
RelationKey = Tuple[int, int, int, int, str]


class RelationErrors:
    """Coded error messages of the relation extractor."""

    E301 = "[E301] Relation label {label!r} is not a relation label of the schema; expected one of {labels}."
    E302 = (
        "[E302] The relation extractor {name!r} has no labels: the examples given to `initialize` hold no "
        "`doc._.relations` and no labels were passed. Annotate relations in the training data or set "
        "`[initialize.components.{name}.labels]`."
    )
    E303 = (
        "[E303] The relation model gave {rows} score rows for {n} candidate pairs: the scores do not belong to "
        "these Docs. Pass `set_annotations` the output of `predict` for the same Docs."
    )
    E304 = (
        "[E304] Cannot add label {label!r} to the relation extractor {name!r} after its model was initialized "
        "with {n} labels. Add every label before `initialize` (or list them in `[initialize.components.{name}.labels]`)."
    )
    E305 = "[E305] The relation threshold must be between 0 and 1, got {threshold!r}."
    E306 = "[E306] Relation labels must be strings, got {value!r} of type {type}."


class RelationWarnings:
    """Coded warnings of the relation extractor."""

    W301 = (
        "[W301] Gold argument spans of training documents could not be placed on the predicted Doc's "
        "tokens (or overlapped after alignment); relations on them are left out of training. Tokenize the gold "
        "and the predicted Docs the same way."
    )


# --- decoding and scoring: pure functions ---------------------------------------------------


def decode_relations(
    instances: Sequence[Tuple[Span, Span]],
    scores: Any,
    labels: Sequence[str],
    threshold: float,
    label_thresholds: Optional[Dict[str, float]] = None,
) -> List[Dict[str, Any]]:
    """The relations a block of scores asserts, as `doc._.relations` dicts.

    A label counts for a pair when its score exceeds its threshold (`label_thresholds`,
    else `threshold`) and the pair's argument
    types fit it (`RELATION_ARGS`). For each label of ONE_DIRECTION_LABELS only the
    direction with the higher score of a pair of spans is kept; symmetric labels are
    written with the earlier span as head.

    instances (Sequence[Tuple[Span, Span]]): the (head, tail) pairs of one Doc.
    scores (array): (len(instances), len(labels)) probabilities.
    labels (Sequence[str]): the labels of the score columns.
    threshold (float): the score a relation must exceed.
    label_thresholds (Dict[str, float] | None): per-label thresholds that replace `threshold`.
    RETURNS (List[Dict[str, Any]]): relations sorted by head, tail and label.
    """
    cutoffs = [float((label_thresholds or {}).get(label, threshold)) for label in labels]
    kept: List[Dict[str, Any]] = []
    best: Dict[Tuple[str, Tuple[Tuple[int, int], ...]], Dict[str, Any]] = {}
    for (head, tail), row in zip(instances, scores):
        head_label, tail_label = argument_label(head), argument_label(tail)
        for label, cutoff, score in zip(labels, cutoffs, row):
            score = round(float(score), 4)
            if score <= cutoff or not relation_fits(label, head_label, tail_label):
                continue
            first, second = (head, tail)
            if label in SYMMETRIC_RELATIONS and (tail.start_char, tail.end_char) < (head.start_char, head.end_char):
                first, second = tail, head  # either direction is the same relation: write it in text order
            rel = {
                "head": [first.start_char, first.end_char],
                "tail": [second.start_char, second.end_char],
                "label": label,
                "score": score,
            }
            if label in ONE_DIRECTION_LABELS:
                key = (label, tuple(sorted(((head.start_char, head.end_char), (tail.start_char, tail.end_char)))))
                if key not in best or score > best[key]["score"]:
                    best[key] = rel
            else:
                kept.append(rel)
    kept.extend(best.values())
    return sorted(kept, key=lambda r: (r["head"], r["tail"], r["label"]))


def relation_key(relation: Dict[str, Any]) -> RelationKey:
    """The strict identity of a relation: both spans and the label; symmetric labels in canonical order."""
    head, tail = tuple(relation["head"]), tuple(relation["tail"])
    if relation["label"] in SYMMETRIC_RELATIONS:
        head, tail = min(head, tail), max(head, tail)
    return (int(head[0]), int(head[1]), int(tail[0]), int(tail[1]), str(relation["label"]))


def relation_keys(
    relations: Optional[Iterable[Dict[str, Any]]],
    *,
    threshold: Optional[float] = None,
    labels: Optional[Iterable[str]] = None,
) -> Set[RelationKey]:
    """The keys of `relations` whose score exceeds `threshold` (None scores always count).

    relations (Iterable[dict] | None): `doc._.relations`.
    threshold (float | None): keep scores above it, default None (keep all).
    labels (Iterable[str] | None): keep only these labels, default None (all).
    RETURNS (Set[RelationKey]): (head start, head end, tail start, tail end, label).
    """
    wanted = None if labels is None else set(labels)
    keys: Set[RelationKey] = set()
    for rel in relations or []:
        if wanted is not None and rel["label"] not in wanted:
            continue
        score = rel.get("score")
        if threshold is not None and score is not None and score <= threshold:
            continue
        keys.add(relation_key(rel))
    return keys


def score_relation_keys(pairs: Iterable[Tuple[Set[RelationKey], Set[RelationKey]]]) -> Dict[str, Any]:
    """Micro and per-label precision, recall and F1 of predicted against gold relation keys.

    pairs (Iterable[Tuple[Set, Set]]): (predicted keys, gold keys), one pair per document.
    RETURNS (Dict[str, Any]): `rel_micro_p`, `rel_micro_r`, `rel_micro_f` (0.0 when there is
        nothing to score) and `rel_f_per_type` ({label: {"p", "r", "f"}}).
    """
    micro = PRFScore()
    per_type: Dict[str, PRFScore] = {}
    for pred, gold in pairs:
        for key in pred | gold:
            prf = per_type.setdefault(key[4], PRFScore())
            if key in pred and key in gold:
                prf.tp += 1
                micro.tp += 1
            elif key in pred:
                prf.fp += 1
                micro.fp += 1
            else:
                prf.fn += 1
                micro.fn += 1
    return {
        "rel_micro_p": micro.precision,
        "rel_micro_r": micro.recall,
        "rel_micro_f": micro.fscore,
        "rel_f_per_type": {label: per_type[label].to_dict() for label in sorted(per_type)},
    }


def score_relations(
    examples: Iterable[Example],
    *,
    threshold: Optional[float] = None,
    labels: Optional[Iterable[str]] = None,
    **cfg: Any,
) -> Dict[str, Any]:
    """Score `doc._.relations` of the predicted Docs against the reference Docs.

    examples (Iterable[Example]): predicted and gold Docs of the same texts.
    threshold (float | None): count predictions scoring above it, default None (all).
    labels (Iterable[str] | None): score only these labels, default None (all).
    cfg: other component settings, ignored.
    RETURNS (Dict[str, Any]): see `score_relation_keys`.
    """
    label_list = None if labels is None else list(labels)
    return score_relation_keys(
        (
            relation_keys(eg.predicted._.relations, threshold=threshold, labels=label_list),
            relation_keys(eg.reference._.relations, labels=label_list),
        )
        for eg in examples
    )


@registry.scorers("immunoextract.relations_scorer.v1")
def make_relations_scorer() -> Callable[..., Dict[str, Any]]:
    """The scorer of `immunoextract_relations`: `score_relations`."""
    return score_relations


# --- training data: gold arguments on the predicted tokens ------------------------------------


def _place(doc: Doc, start: int, end: int, label: str) -> Optional[Span]:
    span = doc.char_span(start, end, label=label)
    if span is None:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
    return span


def align_arguments(reference: Doc, predicted: Doc) -> Tuple[Doc, Dict[Tuple[str, int, int], Tuple[int, int]], int]:
    """A copy of `predicted` whose entities and events are those of `reference`, placed by character offsets.

    reference (Doc): the gold Doc (ents, `spans["events"]`).
    predicted (Doc): the Doc the pipeline works on; it is not modified.
    RETURNS (Tuple[Doc, Dict, int]): the copy; a map from ("entity" | "event", start_char,
        end_char) of its argument spans to the character span of the gold mention (they
        differ when tokens had to be expanded); and how many gold spans were left out.
    """
    doc = predicted.copy()
    mapping: Dict[Tuple[str, int, int], Tuple[int, int]] = {}
    lost = 0
    placed: List[Tuple[Span, Tuple[int, int]]] = []
    for ent in reference.ents:
        span = _place(doc, ent.start_char, ent.end_char, ent.label_)
        if span is None:
            lost += 1
        else:
            placed.append((span, (ent.start_char, ent.end_char)))
    ents: List[Span] = []
    last_end = -1
    for span, gold in sorted(placed, key=lambda p: (p[0].start, -p[0].end)):
        if span.start < last_end:
            lost += 1
            continue
        last_end = span.end
        ents.append(span)
        mapping[("entity", span.start_char, span.end_char)] = gold
    doc.ents = ents
    events: List[Span] = []
    gold_events = reference.spans[EVENTS_KEY] if EVENTS_KEY in reference.spans else []
    for event in gold_events:
        span = _place(doc, event.start_char, event.end_char, event.label_)
        key = None if span is None else ("event", span.start_char, span.end_char)
        if span is None or key in mapping:
            lost += 1
            continue
        events.append(span)
        mapping[key] = (event.start_char, event.end_char)
    doc.spans[EVENTS_KEY] = events
    return doc, mapping, lost


def _kind(span: Span) -> str:
    return "event" if span.label_ in EVENT_TYPES else "entity"


# --- the component ------------------------------------------------------------------------------


@Language.factory(
    "immunoextract_relations",
    assigns=["doc._.relations"],
    requires=["doc.ents", "doc.spans"],
    default_config={
        "model": DEFAULT_REL_MODEL,
        "threshold": 0.5,
        "thresholds": {},
        "scorer": {"@scorers": "immunoextract.relations_scorer.v1"},
    },
    default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0, "rel_f_per_type": None},
)
def make_relation_extractor(
    nlp: Language,
    name: str,
    model: Model[List[Doc], Floats2d],
    *,
    threshold: float,
    thresholds: Dict[str, float],
    scorer: Optional[Callable[..., Dict[str, Any]]],
) -> "RelationExtractor":
    """Create an `immunoextract_relations` component (see `RelationExtractor`)."""
    return RelationExtractor(nlp.vocab, model, name, threshold=threshold, thresholds=thresholds, scorer=scorer)


class RelationExtractor(TrainablePipe):
    """Find relations between entities, and between events and the entities they concern.

    vocab (Vocab): the shared vocabulary.
    model (Model[List[Doc], Floats2d]): scores candidate pairs; `model.attrs["get_instances"]`
        lists the pairs of a Doc in the order of the score rows.
    name (str): the component name, default "relations".
    threshold (float): a relation is kept when its score exceeds this, default 0.5.
    thresholds (Dict[str, float] | None): per-label thresholds that replace `threshold`, default none.
    scorer (Callable | None): the scoring function, default `score_relations`.
    """

    def __init__(
        self,
        vocab: Vocab,
        model: Model[List[Doc], Floats2d],
        name: str = "relations",
        *,
        threshold: float = 0.5,
        thresholds: Optional[Dict[str, float]] = None,
        scorer: Optional[Callable[..., Dict[str, Any]]] = score_relations,
    ) -> None:
        install_extensions()
        _check_threshold(threshold)
        for label, value in (thresholds or {}).items():
            if label not in RELATION_ARGS:
                raise InputError(RelationErrors.E301.format(label=label, labels=", ".join(RELATION_ARGS)))
            _check_threshold(value)
        self.vocab = vocab
        self.model = model
        self.name = name
        self.scorer = scorer
        self.cfg: Dict[str, Any] = {
            "labels": [],
            "threshold": float(threshold),
            "thresholds": {label: float(value) for label, value in (thresholds or {}).items()},
        }

    @property
    def labels(self) -> Tuple[str, ...]:
        """The relation labels, in the order of the model's output columns."""
        return tuple(self.cfg["labels"])

    @property
    def label_data(self) -> List[str]:
        """The labels, for `spacy init labels`."""
        return list(self.labels)

    @property
    def threshold(self) -> float:
        """The score a relation must exceed to be written."""
        return float(self.cfg["threshold"])

    @threshold.setter
    def threshold(self, value: float) -> None:
        _check_threshold(value)
        self.cfg["threshold"] = float(value)

    def _output_layer(self) -> Optional[Model]:
        classifier = self.model.get_ref("classifier") if self.model.has_ref("classifier") else None
        if classifier is not None and classifier.has_ref("output_layer"):
            return classifier.get_ref("output_layer")
        return None

    def add_label(self, label: str) -> int:
        """Add a relation label before initialization.

        label (str): one of the schema's relation labels.
        RETURNS (int): 1 when added, 0 when already present.
        """
        if not isinstance(label, str):
            raise InputError(RelationErrors.E306.format(value=label, type=type(label).__name__))
        if label not in RELATION_ARGS:
            raise InputError(RelationErrors.E301.format(label=label, labels=", ".join(RELATION_ARGS)))
        if label in self.labels:
            return 0
        output = self._output_layer()
        if output is not None and output.has_param("W") is True:
            raise ModelError(RelationErrors.E304.format(label=label, name=self.name, n=len(self.labels)))
        self.cfg["labels"] = list(self.labels) + [label]
        return 1

    def predict(self, docs: Iterable[Doc]) -> Floats2d:
        """Score the candidate pairs of `docs` without modifying them.

        docs (Iterable[Doc]): the Docs.
        RETURNS (Floats2d): (n_pairs, n_labels), rows in the order of the Docs and of
            `model.attrs["get_instances"]` within each.
        """
        docs = list(docs)
        get_instances = self.model.attrs["get_instances"]
        if not any(get_instances(doc) for doc in docs):
            return self.model.ops.alloc2f(0, len(self.labels))
        return self.model.predict(docs)

    def set_annotations(self, docs: Iterable[Doc], scores: Floats2d) -> None:
        """Write the relations of `scores` to `doc._.relations`, replacing earlier relations
        of this component's labels and keeping those of other labels.

        docs (Iterable[Doc]): the Docs given to `predict`.
        scores (Floats2d): the output of `predict`.
        """
        scores = self.model.ops.to_numpy(scores)
        get_instances = self.model.attrs["get_instances"]
        own = set(self.labels)
        row = 0
        blocks = []
        for doc in docs:
            instances = get_instances(doc)
            blocks.append((doc, instances, scores[row : row + len(instances)]))
            row += len(instances)
        if row != scores.shape[0]:
            raise ModelError(RelationErrors.E303.format(rows=scores.shape[0], n=row))
        for doc, instances, block in blocks:
            others = [r for r in doc._.relations or [] if r["label"] not in own]
            doc._.relations = others + decode_relations(
                instances, block, self.labels, self.threshold, self.cfg.get("thresholds")
            )

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optional[Optimizer] = None,
        losses: Optional[Dict[str, float]] = None,
    ) -> Dict[str, float]:
        """Learn from a batch of Examples: binary cross-entropy of every label of every candidate pair.

        examples (Iterable[Example]): gold relations in `example.reference._.relations`.
        drop (float): the dropout rate, default 0.0.
        sgd (Optimizer | None): the optimizer, default None (gradients are only accumulated).
        losses (Dict[str, float] | None): losses so far, updated in place under `self.name`.
        RETURNS (Dict[str, float]): `losses`.
        """
        if losses is None:
            losses = {}
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        validate_examples(examples, "RelationExtractor.update")
        docs, maps = self._training_docs(examples)
        set_dropout_rate(self.model, drop)
        # The model always runs, even without candidate pairs: a Tok2VecListener's upstream
        # only finishes its update when the last listener calls back.
        scores, backprop = self.model.begin_update(docs)
        truths, mask = self._truths(docs, examples, maps)
        loss, d_scores = self._bce(scores, truths, mask)
        backprop(d_scores)
        if sgd is not None:
            self.model.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores: Floats2d) -> Tuple[float, Floats2d]:
        """The binary cross-entropy of `scores` (from the gold-argument Docs of `examples`) and its gradient.

        examples (Iterable[Example]): the batch.
        scores (Floats2d): the model's output for the Docs of `_training_docs(examples)`.
        RETURNS (Tuple[float, Floats2d]): the loss (mean over candidate pairs) and d_scores.
        """
        examples = list(examples)
        docs, maps = self._training_docs(examples)
        truths, mask = self._truths(docs, examples, maps)
        return self._bce(scores, truths, mask)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Optional[Language] = None,
        labels: Optional[Sequence[str]] = None,
    ) -> None:
        """Add the labels and initialize the model.

        get_examples (Callable[[], Iterable[Example]]): returns gold Examples.
        nlp (Language | None): the pipeline, unused.
        labels (Sequence[str] | None): the labels, default those of the examples' relations.
        """
        validate_get_examples(get_examples, "RelationExtractor.initialize")
        if labels is None:
            found = {rel["label"] for eg in get_examples() for rel in eg.reference._.relations or []}
            labels = [label for label in RELATION_ARGS if label in found]
        for label in labels:
            self.add_label(label)
        if not self.labels:
            raise ModelError(RelationErrors.E302.format(name=self.name))
        output = self._output_layer()
        if output is not None and output.has_dim("nO") is not True:
            output.set_dim("nO", len(self.labels))
        subbatch = list(islice(get_examples(), 10))
        docs, maps = self._training_docs(subbatch)
        truths, _ = self._truths(docs, subbatch, maps)
        self.model.initialize(X=docs, Y=truths)

    # -- helpers ----------------------------------------------------------------------------------

    def _training_docs(self, examples: List[Example]) -> Tuple[List[Doc], List[Dict[Tuple[str, int, int], Tuple[int, int]]]]:
        # Candidate pairs for training come from the REFERENCE arguments, placed on copies of the
        # predicted Docs by character offsets. The predicted Doc holds gold ents/events only when
        # spaCy copied them (frozen or annotating upstream components, gold-preprocessed corpora);
        # with a jointly trained NER it holds no or wrong entities, and pairs built on it would
        # teach nothing. The copies keep the predicted tokens, so a Tok2VecListener (which
        # identifies its batch by the tokens) serves them the upstream's vectors, and
        # `example.predicted` is left untouched.
        docs: List[Doc] = []
        maps: List[Dict[Tuple[str, int, int], Tuple[int, int]]] = []
        lost = 0
        for eg in examples:
            doc, mapping, n_lost = align_arguments(eg.reference, eg.predicted)
            docs.append(doc)
            maps.append(mapping)
            lost += n_lost
        if lost:
            warnings.warn(RelationWarnings.W301, ImmunoextractWarning)
        return docs, maps

    def _truths(
        self,
        docs: List[Doc],
        examples: List[Example],
        maps: List[Dict[Tuple[str, int, int], Tuple[int, int]]],
    ) -> Tuple[numpy.ndarray, numpy.ndarray]:
        """Gold (n_pairs, n_labels) targets and a mask of the labels each pair's types allow."""
        get_instances = self.model.attrs["get_instances"]
        labels = self.labels
        truth_rows: List[List[float]] = []
        mask_rows: List[List[float]] = []
        for doc, eg, mapping in zip(docs, examples, maps):
            gold = relation_keys(eg.reference._.relations, labels=labels)
            for head, tail in get_instances(doc):
                h = mapping.get((_kind(head), head.start_char, head.end_char), (head.start_char, head.end_char))
                t = mapping.get((_kind(tail), tail.start_char, tail.end_char), (tail.start_char, tail.end_char))
                head_label, tail_label = argument_label(head), argument_label(tail)
                truth_rows.append(
                    [float(relation_key({"head": h, "tail": t, "label": label}) in gold) for label in labels]
                )
                mask_rows.append([float(relation_fits(label, head_label, tail_label)) for label in labels])
        shape = (len(truth_rows), len(labels))
        truths = numpy.asarray(truth_rows, dtype="float32").reshape(shape)
        mask = numpy.asarray(mask_rows, dtype="float32").reshape(shape)
        return truths, mask

    def _bce(self, scores: Floats2d, truths: numpy.ndarray, mask: numpy.ndarray) -> Tuple[float, Floats2d]:
        ops = self.model.ops
        truths = ops.asarray2f(truths)
        mask = ops.asarray2f(mask)
        n = max(1, scores.shape[0])
        eps = 1e-4
        probs = ops.xp.clip(scores, eps, 1.0 - eps)
        loss = -(truths * ops.xp.log(probs) + (1.0 - truths) * ops.xp.log(1.0 - probs)) * mask
        # d(loss)/d(prob); the Logistic output layer multiplies it by prob * (1 - prob)
        d_scores = (probs - truths) / (probs * (1.0 - probs)) * mask / n
        return float(loss.sum()) / n, ops.asarray2f(d_scores)


def _check_threshold(threshold: float) -> None:
    if not isinstance(threshold, (int, float)) or not 0.0 <= float(threshold) <= 1.0:
        raise InputError(RelationErrors.E305.format(threshold=threshold))
