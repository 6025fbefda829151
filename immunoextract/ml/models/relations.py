"""Networks and candidate generation for relation extraction.

A relation instance is an ordered pair of argument spans (head, tail) of one Doc:
entities from `doc.ents`, and event triggers from `doc.spans["events"]` as heads of
PRODUCT and PARTY. `immunoextract.CandidatePairs.v1` lists the pairs whose argument
types fit at least one relation of `RELATION_ARGS`; `immunoextract.InstanceTensor.v1`
turns each pair into one row of features; `immunoextract.RelationClassifier.v1` gives
one independent probability per relation label.

DOCS: https://github.com/explosion/projects/tree/v3/tutorials/rel_component
"""
from typing import Callable, List, Optional, Sequence, Tuple

from spacy.tokens import Doc, Span
from spacy.util import registry
from thinc.api import Embed, Linear, Logistic, Model, Relu, chain
from thinc.types import Floats2d, Ragged

from ...data.extensions import EVENTS_KEY
from ...data.schema import ENTITY_LABELS, EVENT, EVENT_TYPES, RELATION_ARGS

GetInstances = Callable[[Doc], List[Tuple[Span, Span]]]
InstanceInput = Tuple[List[Doc], List[Floats2d]]

SENTENCE_TERMINATORS = frozenset(".!?")
# closing marks that stay with the sentence a terminator ends: `."`, `.)`
SENTENCE_CLOSERS = frozenset({'"', "'", ")", "]", "\u201d", "\u2019", "\u00bb"})
# upper bounds (inclusive) of the token-distance buckets; one more bucket holds the rest
DISTANCE_BUCKETS: Tuple[int, ...] = (0, 1, 2, 3, 4, 6, 9, 14, 22, 35, 60)
# every (head label, tail label) pair a relation may join, in schema order; one more index for others
ARGUMENT_PAIRS: Tuple[Tuple[str, str], ...] = tuple(dict.fromkeys(p for pairs in RELATION_ARGS.values() for p in pairs))


# --- candidate pairs ---------------------------------------------------------------------------


def argument_label(span: Span) -> str:
    """The argument type of a span in `RELATION_ARGS`: its entity label, or EVENT for an event trigger.

    span (Span): an entity (label in ENTITY_LABELS) or an event (label in EVENT_TYPES).
    RETURNS (str): the label, EVENT for every event type.
    """
    label = span.label_
    return EVENT if label in EVENT_TYPES else label


def heuristic_sentence_ids(tokens: Sequence[str]) -> List[int]:
    """Sentence numbers for tokens, without a parser or sentencizer.

    A sentence ends at a blank line, and after a token made only of `.`, `!` and `?`
    (closing quotes and brackets written right after it stay with it), unless the next
    word starts with `,`, `;` or `:` (an abbreviation, `CO.,`) or a closing quote is
    followed by a lower-case word (`."  said Ann`). Abbreviations that keep their period
    as one token (`Inc.`) never end a sentence.

    tokens (Sequence[str]): each token's text followed by its trailing white space
        (`Token.text_with_ws`), in order.
    RETURNS (List[int]): for each token, the number of its sentence, from 0, non-decreasing.
    """
    ids: List[int] = []
    current = 0
    pending = False  # a terminator was seen: the next word may open a new sentence
    closed = False  # a closing mark followed the terminator
    gap = ""  # white space since the last word
    for token in tokens:
        word = token.strip()
        if not word:
            ids.append(current)
            gap += token
            continue
        if ids and gap.count("\n") >= 2:
            current += 1
            pending = closed = False
        elif pending:
            if word in SENTENCE_CLOSERS and gap == "":
                closed = True
            elif word[0] in ",;:" or (closed and word[0].islower()):
                pending = closed = False
            else:
                current += 1
                pending = closed = False
        ids.append(current)
        if set(word) <= SENTENCE_TERMINATORS:
            pending, closed = True, False
        gap = token[len(token.rstrip()) :]
    return ids


def sentence_ids(doc: Doc) -> List[int]:
    """Sentence numbers of the tokens of `doc`: from `doc.sents` when it has sentence
    boundaries, else from `heuristic_sentence_ids`.

    doc (Doc): the document.
    RETURNS (List[int]): one sentence number per token.
    """
    if doc.has_annotation("SENT_START"):
        ids: List[int] = []
        for i, sent in enumerate(doc.sents):
            ids.extend([i] * len(sent))
        return ids
    return heuristic_sentence_ids([t.text_with_ws for t in doc])


def token_gap(a: Span, b: Span) -> int:
    """The number of tokens strictly between two spans (0 when adjacent or overlapping)."""
    return max(0, max(a.start, b.start) - min(a.end, b.end))


def argument_spans(doc: Doc) -> List[Span]:
    """The possible relation arguments of `doc`: its entities and its event triggers, by position."""
    spans: List[Span] = [e for e in doc.ents if e.label_ in ENTITY_LABELS]
    if EVENTS_KEY in doc.spans:
        spans.extend(s for s in doc.spans[EVENTS_KEY] if s.label_ in EVENT_TYPES)
    return sorted(spans, key=lambda s: (s.start, s.end, s.label_))


def candidate_pairs(
    doc: Doc,
    *,
    max_token_distance: int,
    sentence_window: int,
    allowed: Optional[Sequence[Tuple[str, str]]] = None,
) -> List[Tuple[Span, Span]]:
    """Every ordered pair of arguments of `doc` that some relation could join.

    doc (Doc): entities in `doc.ents`, events in `doc.spans["events"]`.
    max_token_distance (int): most tokens allowed between the two spans.
    sentence_window (int): most sentences between the two spans' sentences; 0 keeps
        pairs within one sentence.
    allowed (Sequence[Tuple[str, str]]): the (head label, tail label) pairs to keep, EVENT
        for events, default every pair of `RELATION_ARGS`.
    RETURNS (List[Tuple[Span, Span]]): (head, tail) pairs, ordered by head then tail position.
    """
    fits = set(ARGUMENT_PAIRS if allowed is None else allowed)
    spans = argument_spans(doc)
    if len(spans) < 2:
        return []
    sent_of = sentence_ids(doc)
    labels = [argument_label(s) for s in spans]
    pairs: List[Tuple[int, int]] = []
    for i, a in enumerate(spans):
        for j in range(i + 1, len(spans)):
            b = spans[j]
            if b.start - a.end > max_token_distance or sent_of[b.start] - sent_of[a.start] > sentence_window:
                break  # spans are sorted by start: every later one is further away
            if token_gap(a, b) > max_token_distance:
                continue
            if (labels[i], labels[j]) in fits:
                pairs.append((i, j))
            if (labels[j], labels[i]) in fits:
                pairs.append((j, i))
    pairs.sort()
    return [(spans[h], spans[t]) for h, t in pairs]


@registry.misc("immunoextract.CandidatePairs.v1")
def create_candidate_pairs(max_token_distance: int = 100, sentence_window: int = 0) -> GetInstances:
    """Build the candidate generator of the relation model.

    max_token_distance (int): most tokens allowed between head and tail, default 100.
    sentence_window (int): most sentences between head and tail, default 0 (same sentence).
    RETURNS (Callable[[Doc], List[Tuple[Span, Span]]]): the (head, tail) pairs of a Doc
        whose argument types fit a relation of `RELATION_ARGS`.
    """

    def get_instances(doc: Doc) -> List[Tuple[Span, Span]]:
        return candidate_pairs(doc, max_token_distance=max_token_distance, sentence_window=sentence_window)

    return get_instances


def distance_bucket(distance: int) -> int:
    """The bucket of a token distance: the index of the first bound in DISTANCE_BUCKETS it does not exceed."""
    for i, bound in enumerate(DISTANCE_BUCKETS):
        if distance <= bound:
            return i
    return len(DISTANCE_BUCKETS)


def pair_index(head_label: str, tail_label: str) -> int:
    """The index of an argument-type pair in ARGUMENT_PAIRS (len(ARGUMENT_PAIRS) when unknown)."""
    try:
        return ARGUMENT_PAIRS.index((head_label, tail_label))
    except ValueError:
        return len(ARGUMENT_PAIRS)


# --- architectures -----------------------------------------------------------------------------


@registry.architectures("immunoextract.RelationModel.v1")
def create_relation_model(
    tok2vec: Model[List[Doc], List[Floats2d]],
    create_instance_tensor: Model[InstanceInput, Floats2d],
    classification_layer: Model[Floats2d, Floats2d],
) -> Model[List[Doc], Floats2d]:
    """Score every candidate pair of a batch of Docs against every relation label.

    tok2vec (Model[List[Doc], List[Floats2d]]): token vectors, usually a Tok2VecListener.
    create_instance_tensor (Model[Tuple[List[Doc], List[Floats2d]], Floats2d]): one feature
        row per candidate pair, see `immunoextract.InstanceTensor.v1`.
    classification_layer (Model[Floats2d, Floats2d]): feature rows to label probabilities.
    RETURNS (Model[List[Doc], Floats2d]): (n_pairs, n_labels) probabilities, rows in the order
        of `model.attrs["get_instances"]` applied to each Doc in turn.
    """
    return Model(
        "relation_model",
        relation_model_forward,
        init=relation_model_init,
        layers=[tok2vec, create_instance_tensor, classification_layer],
        refs={"tok2vec": tok2vec, "instance_tensor": create_instance_tensor, "classifier": classification_layer},
        attrs={"get_instances": create_instance_tensor.attrs["get_instances"]},
    )


def relation_model_forward(
    model: Model[List[Doc], Floats2d], docs: List[Doc], is_train: bool
) -> Tuple[Floats2d, Callable[[Floats2d], List[Doc]]]:
    tokvecs, bp_tokvecs = model.get_ref("tok2vec")(docs, is_train)
    features, bp_features = model.get_ref("instance_tensor")((docs, tokvecs), is_train)
    scores, bp_scores = model.get_ref("classifier")(features, is_train)

    def backprop(d_scores: Floats2d) -> List[Doc]:
        _, d_tokvecs = bp_features(bp_scores(d_scores))
        bp_tokvecs(d_tokvecs)
        return docs

    return scores, backprop


def relation_model_init(
    model: Model[List[Doc], Floats2d], X: Optional[List[Doc]] = None, Y: Optional[Floats2d] = None
) -> None:
    tok2vec = model.get_ref("tok2vec")
    instance_tensor = model.get_ref("instance_tensor")
    classifier = model.get_ref("classifier")
    tok2vec.initialize(X=X)
    if instance_tensor.has_dim("nI") is not True and tok2vec.has_dim("nO") is True:
        instance_tensor.set_dim("nI", tok2vec.get_dim("nO"))
    if X is None:
        instance_tensor.initialize()
        classifier.initialize()
        return
    tokvecs = tok2vec.predict(X)
    instance_tensor.initialize(X=(X, tokvecs))
    classifier.initialize(X=instance_tensor.predict((X, tokvecs)), Y=Y)


@registry.architectures("immunoextract.InstanceTensor.v1")
def create_instance_tensor(
    pooling: Model[Ragged, Floats2d],
    get_instances: GetInstances,
    distance_width: int = 16,
    pair_width: int = 16,
) -> Model[InstanceInput, Floats2d]:
    """One feature row per candidate pair of each Doc.

    A row concatenates the pooled head span, the pooled tail span, the pooled tokens
    between them (zeros when the spans touch or overlap), an embedding of the bucketed
    token distance and an embedding of the (head label, tail label) pair.

    pooling (Model[Ragged, Floats2d]): span pooling, e.g. `reduce_mean.v1` or `reduce_max.v1`.
    get_instances (Callable[[Doc], List[Tuple[Span, Span]]]): the candidate pairs of a Doc.
    distance_width (int): width of the distance embedding, default 16.
    pair_width (int): width of the argument-type pair embedding, default 16.
    RETURNS (Model[Tuple[List[Doc], List[Floats2d]], Floats2d]): takes the Docs and their
        token vectors (width W); gives (n_pairs, 3 * W + distance_width + pair_width).
    """
    distance_embed = Embed(nO=distance_width, nV=len(DISTANCE_BUCKETS) + 1)
    pair_embed = Embed(nO=pair_width, nV=len(ARGUMENT_PAIRS) + 1)
    return Model(
        "instance_tensor",
        instance_forward,
        init=instance_init,
        layers=[pooling, distance_embed, pair_embed],
        refs={"pooling": pooling, "distance_embed": distance_embed, "pair_embed": pair_embed},
        attrs={"get_instances": get_instances},
        dims={"nO": None, "nI": None},
    )


def _token_rows(
    all_instances: List[List[Tuple[Span, Span]]], offsets: List[int]
) -> Tuple[List[int], List[int], List[int], List[int]]:
    """Rows into the flattened token vectors: heads then tails (rows, lengths), and contexts (rows, lengths)."""
    head_rows: List[int] = []
    head_lengths: List[int] = []
    tail_rows: List[int] = []
    tail_lengths: List[int] = []
    ctx_rows: List[int] = []
    ctx_lengths: List[int] = []
    for offset, instances in zip(offsets, all_instances):
        for head, tail in instances:
            head_rows.extend(range(offset + head.start, offset + head.end))
            head_lengths.append(head.end - head.start)
            tail_rows.extend(range(offset + tail.start, offset + tail.end))
            tail_lengths.append(tail.end - tail.start)
            left, right = min(head.end, tail.end), max(head.start, tail.start)
            if right > left:
                ctx_rows.extend(range(offset + left, offset + right))
            ctx_lengths.append(max(0, right - left))
    return head_rows + tail_rows, head_lengths + tail_lengths, ctx_rows, ctx_lengths


def instance_forward(
    model: Model[InstanceInput, Floats2d], inputs: InstanceInput, is_train: bool
) -> Tuple[Floats2d, Callable[[Floats2d], InstanceInput]]:
    docs, tokvecs = inputs
    ops = model.ops
    pooling = model.get_ref("pooling")
    distance_embed = model.get_ref("distance_embed")
    pair_embed = model.get_ref("pair_embed")
    width = model.get_dim("nI")
    n_out = model.get_dim("nO")
    get_instances = model.attrs["get_instances"]
    all_instances = [get_instances(doc) for doc in docs]
    n = sum(len(instances) for instances in all_instances)
    shapes = [tv.shape for tv in tokvecs]
    if n == 0:

        def backprop_empty(d_output: Floats2d) -> InstanceInput:
            return docs, [ops.alloc2f(*shape) for shape in shapes]

        return ops.alloc2f(0, n_out), backprop_empty

    lengths = [shape[0] for shape in shapes]
    offsets = [0]
    for length in lengths[:-1]:
        offsets.append(offsets[-1] + length)
    flat = ops.flatten(list(tokvecs)) if len(tokvecs) > 1 else tokvecs[0]
    arg_rows, arg_lengths, ctx_rows, ctx_lengths = _token_rows(all_instances, offsets)
    nonempty = [i for i, length in enumerate(ctx_lengths) if length > 0]
    rows = ops.asarray1i(arg_rows + ctx_rows)
    pool_lengths = ops.asarray1i(arg_lengths + [ctx_lengths[i] for i in nonempty])
    pooled, bp_pooled = pooling(Ragged(flat[rows], pool_lengths), is_train)
    contexts = ops.alloc2f(n, width)
    if nonempty:
        contexts[ops.asarray1i(nonempty)] = pooled[2 * n :]
    distances: List[int] = []
    pair_ids: List[int] = []
    for instances in all_instances:
        for head, tail in instances:
            distances.append(distance_bucket(token_gap(head, tail)))
            pair_ids.append(pair_index(argument_label(head), argument_label(tail)))
    dist_vecs, bp_dist = distance_embed(ops.asarray1i(distances), is_train)
    pair_vecs, bp_pair = pair_embed(ops.asarray1i(pair_ids), is_train)
    output = ops.xp.hstack((pooled[:n], pooled[n : 2 * n], contexts, dist_vecs, pair_vecs))

    def backprop(d_output: Floats2d) -> InstanceInput:
        d_head = d_output[:, :width]
        d_tail = d_output[:, width : 2 * width]
        d_ctx = d_output[:, 2 * width : 3 * width]
        d_dist_start = 3 * width
        d_pair_start = d_dist_start + dist_vecs.shape[1]
        bp_dist(ops.xp.ascontiguousarray(d_output[:, d_dist_start:d_pair_start]))
        bp_pair(ops.xp.ascontiguousarray(d_output[:, d_pair_start:]))
        parts = [d_head, d_tail]
        if nonempty:
            parts.append(d_ctx[ops.asarray1i(nonempty)])
        d_pooled = ops.xp.ascontiguousarray(ops.xp.vstack(parts))
        d_rows = bp_pooled(d_pooled).data
        d_flat = ops.alloc2f(*flat.shape)
        ops.scatter_add(d_flat, rows, d_rows)
        d_tokvecs = ops.unflatten(d_flat, ops.asarray1i(lengths)) if len(lengths) > 1 else [d_flat]
        return docs, d_tokvecs

    return output, backprop


def instance_init(
    model: Model[InstanceInput, Floats2d], X: Optional[InstanceInput] = None, Y: Optional[Floats2d] = None
) -> None:
    if X is not None and model.has_dim("nI") is not True and X[1]:
        model.set_dim("nI", X[1][0].shape[1])
    if model.has_dim("nI") is True:
        width = model.get_dim("nI")
        dist_width = model.get_ref("distance_embed").get_dim("nO")
        pair_width = model.get_ref("pair_embed").get_dim("nO")
        model.set_dim("nO", 3 * width + dist_width + pair_width)
    for layer in model.layers:
        layer.initialize()


@registry.architectures("immunoextract.RelationClassifier.v1")
def create_relation_classifier(
    nI: Optional[int] = None,
    nO: Optional[int] = None,
    hidden_width: int = 64,
    dropout: float = 0.1,
) -> Model[Floats2d, Floats2d]:
    """A hidden ReLU layer and one sigmoid per relation label (multi-label).

    nI (Optional[int]): input width, inferred at initialization when None.
    nO (Optional[int]): number of labels, set by the component when None.
    hidden_width (int): width of the hidden layer, default 64.
    dropout (float): dropout on the hidden layer, default 0.1.
    RETURNS (Model[Floats2d, Floats2d]): (n, nI) features to (n, nO) probabilities.
    """
    hidden = Relu(nO=hidden_width, nI=nI, dropout=dropout, normalize=True)
    output = Linear(nO=nO, nI=hidden_width)
    model: Model[Floats2d, Floats2d] = chain(hidden, output, Logistic())
    model.set_ref("hidden_layer", hidden)
    model.set_ref("output_layer", output)
    return model
