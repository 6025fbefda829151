"""The facts of many documents as one graph: entity clusters as nodes, relation and event facts as edges.

Clusters (`data/facts.py`) of different documents are one node when they have the same
label and share a normalised name, transitively. An edge joins two nodes for each
relation fact (head -> tail, `kind="relation"`) and each event fact with both a
product and a party (product -> party, `kind="event"`, labelled with the event type);
an edge holds every document that states it. Event facts with only a product or only
a party are listed on their node (`events`).

    graph = facts_graph(documents)           # networkx.MultiDiGraph
    write_graph(graph, "facts.graphml")      # or "facts.json" (node-link JSON)
"""
import json
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

from .data.facts import facts_record
from .data.schema import Document
from .errors import InputError

FORMATS: Tuple[str, ...] = ("graphml", "json")


class _Names:
    """Union-find over (label, normalised name)."""

    def __init__(self) -> None:
        self.parent: Dict[Tuple[str, str], Tuple[str, str]] = {}

    def find(self, key: Tuple[str, str]) -> Tuple[str, str]:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, keys: List[Tuple[str, str]]) -> None:
        roots = [self.find(k) for k in keys]
        for other in roots[1:]:
            if other != roots[0]:
                self.parent[other] = roots[0]


def _facts(doc: Document) -> Dict[str, Any]:
    facts = doc.extra.get("facts")
    return facts if isinstance(facts, dict) and "entities" in facts else facts_record(doc)


def facts_graph(documents: Iterable[Document]) -> Any:
    """The graph of the facts of `documents`.

    documents (Iterable[Document]): annotated documents; `extra["facts"]` is used when present,
        else the facts are derived (`facts_record`).
    RETURNS (networkx.MultiDiGraph): nodes `LABEL:name` with `label`, `name` (display name),
        `names` (normalised names), `documents`, `mentions` (count) and `events`; edges keyed
        `kind:label` with `kind`, `label`, `documents`, `count` and `score` (the highest, if any).
    """
    import networkx as nx

    per_doc = [(doc.id, _facts(doc)) for doc in documents]
    names = _Names()
    for _, facts in per_doc:
        for cluster in facts.get("entities", []):
            names.union([(cluster["label"], n) for n in cluster.get("names", [])] or [(cluster["label"], cluster.get("name", ""))])
    # every component's display name: the most frequent one over documents
    displays: Dict[Tuple[str, str], Dict[str, int]] = {}
    for _, facts in per_doc:
        for cluster in facts.get("entities", []):
            root = _root(names, cluster)
            counts = displays.setdefault(root, {})
            counts[cluster.get("name", "")] = counts.get(cluster.get("name", ""), 0) + 1
    node_id: Dict[Tuple[str, str], str] = {
        root: f"{root[0]}:{max(sorted(counts), key=lambda n: (counts[n], len(n)))}" for root, counts in displays.items()
    }
    graph = nx.MultiDiGraph()
    for doc_id, facts in per_doc:
        for cluster in facts.get("entities", []):
            node = node_id[_root(names, cluster)]
            if node not in graph:
                graph.add_node(node, label=cluster["label"], name=node.split(":", 1)[1], names=[], documents=[], mentions=0, events=[])
            data = graph.nodes[node]
            data["names"] = sorted(set(data["names"]) | set(cluster.get("names", [])))
            if doc_id not in data["documents"]:
                data["documents"].append(doc_id)
            data["mentions"] += len(cluster.get("mentions", [])) or 1
    for doc_id, facts in per_doc:
        for fact in facts.get("relations", []):
            _add_edge(graph, node_id[_root(names, fact["head"])], node_id[_root(names, fact["tail"])], "relation", fact, doc_id)
        for fact in facts.get("events", []):
            product, party = fact.get("product"), fact.get("party")
            if product and party:
                _add_edge(graph, node_id[_root(names, product)], node_id[_root(names, party)], "event", fact, doc_id)
            elif product or party:
                node = graph.nodes[node_id[_root(names, product or party)]]
                entry = f"{fact['label']} ({doc_id})"
                if entry not in node["events"]:
                    node["events"].append(entry)
    return graph


def _root(names: _Names, cluster: Dict[str, Any]) -> Tuple[str, str]:
    keys = cluster.get("names") or [cluster.get("name", "")]
    return names.find((cluster["label"], keys[0]))


def _add_edge(graph: Any, head: str, tail: str, kind: str, fact: Dict[str, Any], doc_id: str) -> None:
    key = f"{kind}:{fact['label']}"
    if graph.has_edge(head, tail, key):
        data = graph.edges[head, tail, key]
        if doc_id not in data["documents"]:
            data["documents"].append(doc_id)
        data["count"] += 1
    else:
        graph.add_edge(head, tail, key=key, kind=kind, label=fact["label"], documents=[doc_id], count=1)
        data = graph.edges[head, tail, key]
    score = fact.get("score")
    if score is not None:
        data["score"] = max(score, data.get("score", score))


def graph_to_json(graph: Any) -> Dict[str, Any]:
    """Node-link JSON (`nodes`, `links`) of a facts graph, lists kept as lists."""
    import networkx as nx

    return nx.node_link_data(graph, edges="links")


def write_graph(graph: Any, path: Union[str, Path], *, fmt: Optional[str] = None) -> Path:
    """Write a facts graph as GraphML (list attributes joined with "; ") or node-link JSON.

    fmt (str | None): "graphml" or "json", default from the file suffix.
    RETURNS (Path): the file written.
    """
    import networkx as nx

    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt == "json":
        path.write_text(json.dumps(graph_to_json(graph), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    elif fmt == "graphml":
        flat = graph.copy()
        for _, data in flat.nodes(data=True):
            for key, value in list(data.items()):
                if isinstance(value, list):
                    data[key] = "; ".join(map(str, value))
        for _, _, data in flat.edges(data=True):
            for key, value in list(data.items()):
                if isinstance(value, list):
                    data[key] = "; ".join(map(str, value))
        nx.write_graphml(flat, path)
    else:
        raise InputError(f"unknown graph format {fmt!r} (expected one of {', '.join(FORMATS)})", path=str(path))
    return path
