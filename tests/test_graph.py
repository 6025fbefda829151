"""Facts graph: clusters merged across documents, relation and event facts as edges, GraphML and JSON."""
import json
from pathlib import Path

import networkx as nx
import pytest

from immunoextract.data.schema import read_jsonl
from immunoextract.errors import InputError
from immunoextract.graph import facts_graph, graph_to_json, write_graph

ANNOTATED = Path(__file__).resolve().parent / "fixtures" / "timeline" / "annotated.jsonl"


@pytest.fixture(scope="module")
def graph():
    return facts_graph(read_jsonl(ANNOTATED))


def test_graph_nodes_merge_clusters_across_documents(graph):
    drugs = {n for n, d in graph.nodes(data=True) if d["label"] == "DRUG"}
    assert drugs == {"DRUG:korvatuzumab", "DRUG:BWT-310"}
    korva = graph.nodes["DRUG:korvatuzumab"]
    assert korva["names"] == ["bwt 220", "korvatuzumab"]
    assert sorted(korva["documents"]) == ["bwt-2004-03", "bwt-2005-07", "bwt-2006-11"]
    assert "REGULATORY (bwt-2006-11)" in korva["events"]  # an event fact without a party
    assert graph.nodes["PARTNER:Brightwater Therapeutics"]["mentions"] == 4


def test_graph_edges_are_relation_and_event_facts(graph):
    edges = {(u, v, d["kind"], d["label"]) for u, v, d in graph.edges(data=True)}
    assert ("DRUG:korvatuzumab", "PARTNER:Haldane Pharma", "relation", "LICENSED_TO") in edges
    assert ("PARTNER:Brightwater Therapeutics", "DRUG:korvatuzumab", "relation", "DEVELOPS") in edges
    assert ("DRUG:korvatuzumab", "PARTNER:Haldane Pharma", "event", "LICENSE") in edges
    assert ("DRUG:korvatuzumab", "PARTNER:Haldane Pharma", "event", "TERMINATION") in edges
    assert not any(label == "ALIAS_OF" for *_, label in edges)  # aliases are merged, not linked
    termination = graph.edges["DRUG:korvatuzumab", "PARTNER:Brightwater Therapeutics", "event:TERMINATION"]
    assert termination["documents"] == ["bwt-2005-07"] and termination["count"] == 1


@pytest.mark.parametrize("suffix", [".graphml", ".json"])
def test_graph_files_read_back(tmp_path, graph, suffix):
    path = write_graph(graph, tmp_path / f"facts{suffix}")
    if suffix == ".graphml":
        back = nx.read_graphml(path, force_multigraph=True)
        assert back.nodes["DRUG:korvatuzumab"]["names"] == "bwt 220; korvatuzumab"
    else:
        data = json.loads(path.read_text())
        assert set(data) >= {"nodes", "links"}
        back = nx.node_link_graph(data, directed=True, multigraph=True, edges="links")
        assert back.nodes["DRUG:korvatuzumab"]["names"] == ["bwt 220", "korvatuzumab"]
    assert back.number_of_nodes() == graph.number_of_nodes() and back.number_of_edges() == graph.number_of_edges()


def test_graph_json_and_errors(tmp_path, graph):
    assert len(graph_to_json(graph)["links"]) == graph.number_of_edges()
    with pytest.raises(InputError):
        write_graph(graph, tmp_path / "facts.dot")


def test_graph_cli(tmp_path):
    from typer.testing import CliRunner

    from immunoextract.cli import app

    out = tmp_path / "facts.graphml"
    result = CliRunner().invoke(app, ["graph", str(ANNOTATED), "--predicted", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(out).number_of_nodes() == 5  # two drugs, three partners
