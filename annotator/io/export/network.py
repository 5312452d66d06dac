"""The actor–issue network: a CSV edge list and a GraphML file (Gephi, networkx, igraph).

`--out net` (or `net.csv`, or `net.graphml`) writes both `net.csv` and `net.graphml`.
Nodes are the actors and issues that have stances: `actor:<canonical name>` and
`issue:<issue key>`, with attributes kind (actor|issue), type (actor type, or "issue"),
parent (parent actor's name / parent issue's key), name and label. Edges join an actor to
an issue, over all stances of the exported layers: weight = number of stances, one count
per polarity, agreement = share of the most frequent polarity, conflict = 1 - agreement,
annotators = how many annotators (gold counts as one) and documents = how many document
layers. The CSV has the same columns, `source` and `target` being the node ids (so an actor
named like an issue key stays another node) and `actor`, `issue` the plain name and key.
Polarity counts are the columns `polarity:<name>` (in GraphML too), so no polarity can take
the name of another column (`weight`, `source`).
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from annotator.io.export.context import ExportContext, WriterReport
from annotator.io.export.options import WrittenFile
from annotator.io.export.records import ActorInfo, IssueInfo, LayerRecord

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
NODE_KEYS = ("kind", "type", "parent", "name", "label")


@dataclass
class Edge:
    """An actor-issue pair and the stances on it."""

    actor: ActorInfo
    issue: IssueInfo
    polarities: Counter[str] = field(default_factory=Counter)
    annotators: set[str] = field(default_factory=set)
    documents: int = 0

    @property
    def weight(self) -> int:
        return sum(self.polarities.values())

    @property
    def agreement(self) -> float:
        return max(self.polarities.values()) / self.weight


def polarity_column(polarity: str) -> str:
    """The column (and GraphML attribute) of a polarity's count."""
    return f"polarity:{polarity}"


def actor_node(actor: ActorInfo) -> str:
    """The GraphML node id of an actor."""
    return f"actor:{actor.name}"


def issue_node(issue: IssueInfo) -> str:
    """The GraphML node id of an issue."""
    return f"issue:{issue.key}"


class NetworkWriter:
    """Collects edges while the records stream by (one per actor-issue pair, not per stance)."""

    def __init__(
        self, csv_handle: TextIO, graphml_handle: TextIO, base: Path, context: ExportContext
    ) -> None:
        self.csv_handle = csv_handle
        self.graphml_handle = graphml_handle
        self.csv_path = base.with_name(base.name + ".csv")
        self.graphml_path = base.with_name(base.name + ".graphml")
        self.polarities: dict[str, None] = dict.fromkeys(context.polarities)
        self.edges: dict[tuple[str, str], Edge] = {}
        self.stances = 0

    def write(self, record: LayerRecord) -> None:
        seen: set[tuple[str, str]] = set()
        for stance in record.stances:
            key = (stance.actor.id, stance.issue.id)
            edge = self.edges.get(key)
            if edge is None:
                edge = self.edges[key] = Edge(stance.actor, stance.issue)
            edge.polarities[stance.polarity] += 1
            edge.annotators.add(record.annotator)
            if key not in seen:
                edge.documents += 1
                seen.add(key)
            self.polarities.setdefault(stance.polarity, None)
            self.stances += 1

    def _edges(self) -> list[Edge]:
        return sorted(self.edges.values(), key=lambda e: (e.actor.name, e.issue.key))

    def _edge_values(self, edge: Edge) -> dict[str, object]:
        values: dict[str, object] = {"weight": edge.weight}
        for polarity in self.polarities:
            values[polarity_column(polarity)] = edge.polarities.get(polarity, 0)
        agreement = edge.agreement
        values["agreement"] = round(agreement, 6)
        values["conflict"] = round(1 - agreement, 6)
        values["annotators"] = len(edge.annotators)
        values["documents"] = edge.documents
        return values

    def finish(self) -> WriterReport:
        edges = self._edges()
        writer = csv.writer(self.csv_handle)
        polarities = [polarity_column(polarity) for polarity in self.polarities]
        header = ["source", "target", "actor", "issue", "weight", *polarities]
        writer.writerow([*header, "agreement", "conflict", "annotators", "documents"])
        for edge in edges:
            writer.writerow(
                [
                    actor_node(edge.actor),
                    issue_node(edge.issue),
                    edge.actor.name,
                    edge.issue.key,
                    *self._edge_values(edge).values(),
                ]
            )
        nodes = self._write_graphml(edges)
        return WriterReport(
            files=[
                WrittenFile(
                    self.csv_path, f"{len(edges)} actor-issue edges, {self.stances} stances"
                ),
                WrittenFile(self.graphml_path, f"{nodes} nodes, {len(edges)} edges"),
            ],
            card={"network_polarities": list(self.polarities)},
        )

    def _write_graphml(self, edges: list[Edge]) -> int:
        ET.register_namespace("", GRAPHML_NS)
        root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
        for name in NODE_KEYS:
            ET.SubElement(
                root,
                f"{{{GRAPHML_NS}}}key",
                {"id": f"n_{name}", "for": "node", "attr.name": name, "attr.type": "string"},
            )
        edge_keys = {"weight": "double"}
        edge_keys |= {polarity_column(polarity): "int" for polarity in self.polarities}
        edge_keys |= {"agreement": "double", "conflict": "double"}
        edge_keys |= {"annotators": "int", "documents": "int"}
        for number, (name, kind) in enumerate(edge_keys.items()):
            ET.SubElement(
                root,
                f"{{{GRAPHML_NS}}}key",
                {"id": f"k{number}", "for": "edge", "attr.name": name, "attr.type": kind},
            )
        graph = ET.SubElement(
            root, f"{{{GRAPHML_NS}}}graph", {"id": "actors-issues", "edgedefault": "undirected"}
        )
        nodes: dict[str, dict[str, str]] = {}
        for edge in edges:
            actor, issue = edge.actor, edge.issue
            nodes.setdefault(
                actor_node(actor),
                {
                    "kind": "actor",
                    "type": actor.type,
                    "parent": actor.parent or "",
                    "name": actor.name,
                    "label": actor.name,
                },
            )
            nodes.setdefault(
                issue_node(issue),
                {
                    "kind": "issue",
                    "type": "issue",
                    "parent": issue.parent or "",
                    "name": issue.name,
                    "label": issue.name,
                },
            )
        for identifier, attributes in nodes.items():
            node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": identifier})
            for name, value in attributes.items():
                ET.SubElement(node, f"{{{GRAPHML_NS}}}data", {"key": f"n_{name}"}).text = value
        key_ids = {name: f"k{number}" for number, name in enumerate(edge_keys)}
        for number, edge in enumerate(edges):
            element = ET.SubElement(
                graph,
                f"{{{GRAPHML_NS}}}edge",
                {
                    "id": f"e{number}",
                    "source": actor_node(edge.actor),
                    "target": issue_node(edge.issue),
                },
            )
            for name, number_value in self._edge_values(edge).items():
                data = ET.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": key_ids[name]})
                data.text = str(number_value)
        ET.indent(root)
        self.graphml_handle.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.graphml_handle.write(ET.tostring(root, encoding="unicode"))
        self.graphml_handle.write("\n")
        return len(nodes)
