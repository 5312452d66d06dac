"""Bundles: one file that carries an annotator's work from a laptop to the lead.

Annotators label offline on their own laptops. `export_bundle` writes one annotator's layer
to a single file; `import_bundles` merges any number of them into the lead's project, in one
transaction, idempotently (importing a bundle twice is importing it once).

The bundle format (version `FORMAT` = 1) is a zip file holding exactly four members at its
root, all UTF-8 JSON; offsets are code points into the document text, end exclusive;
timestamps are ISO 8601 in UTC:

`manifest.json`
    `{"kind": "annotator-bundle", "format": 1, "tool": "annotator 0.1.0",
    "created": "...", "annotator": {"id": uuid, "name": ..., "role": "annotator"|"reviewer"},
    "schema": {"name", "version", "source": the schema's TOML} | null,
    "counts": {"documents", "spans", "deleted_spans", "stances", "deleted_stances"}}`.
    A bundle whose format is newer than this Annotator's is refused.
`documents.jsonl`
    One line per document the annotator has a layer on (a span, stance, label or status):
    `{"uuid", "external_id", "text_sha256", "title", "source", "url", "published", "story",
    "meta", "text"}`. The full text travels so the lead can create documents they lack; its
    SHA-256 (of the UTF-8 bytes) must match `text_sha256`, which is how documents are matched.
`layer.jsonl`
    One line per document: `{"text_sha256", "document": the laptop's uuid,
    "status": {"status", "updated_at"} | null, "labels": [{"label", "created_at"}],
    "spans": [{"uuid", "start", "end", "label", "actor": canonical name | null,
    "issue": key | null, "note", "created_at", "updated_at", "deleted_at"}],
    "stances": [{"uuid", "actor", "issue", "polarity", "evidence": [span uuids of this
    layer], "confidence": 0..1 | null, "note", "created_at", "updated_at", "deleted_at"}]}`.
    Deleted spans and stances are included with their `deleted_at` (tombstones), so a
    deletion made on a laptop propagates.
`actors.json`
    The registry entries the layer uses, with every ancestor:
    `{"actors": [{"name", "type", "parent": name | null, "aliases": [...]}],
    "issues": [{"key", "name", "parent": key | null, "description"}]}`.

Merging: the bundle's annotator is created with the laptop's uuid (an annotator of the same
name but another uuid is refused rather than mixing two people's layers). Documents are
matched by text hash; a missing one is created from the bundle, metadata of existing ones is
left alone. Spans and stances are matched by uuid: inserted if new, updated when the bundle's
`updated_at` is not older, tombstones applied; a uuid in another annotator's layer stops the
import. Actors merge by canonical name or unique alias; conflicts are reported and never
merged into the wrong actor (see `bundles.registry`). Unknown labels, polarities and issues
are added to the schema. Document labels of a layer become the bundle's (a label missing
from the bundle is removed only if it is older than the bundle); a status is taken when the
bundle's is not older.

Safety: see `bundles.archive` (paths, sizes, zip bombs) and `bundles.parsing` (every field checked,
errors name file, member, line and field). Every bundle is read and checked before the
database is touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotator.io.bundles.archive import DEFAULT_LIMITS, BundleLimits, read_members
from annotator.io.bundles.contents import FORMAT, Bundle, BundleError
from annotator.io.bundles.export import BundleSummary, export_bundle
from annotator.io.bundles.merge import merge_bundles
from annotator.io.bundles.parsing import parse_bundle
from annotator.io.bundles.summary import BundleImportSummary
from annotator.store.database import Database

__all__ = [
    "DEFAULT_LIMITS",
    "FORMAT",
    "Bundle",
    "BundleError",
    "BundleImportSummary",
    "BundleLimits",
    "BundleSummary",
    "export_bundle",
    "import_bundles",
    "merge_bundles",
    "read_bundle",
]


def read_bundle(path: Path, limits: BundleLimits = DEFAULT_LIMITS) -> Bundle:
    """Read and check the bundle file at `path`; raises BundleError naming what is wrong."""
    return parse_bundle(str(path), read_members(path, limits))


def import_bundles(
    project: Database, *, paths: Sequence[Path], limits: BundleLimits = DEFAULT_LIMITS
) -> BundleImportSummary:
    """Merge the bundles at `paths` into `database` in one transaction.

    Every bundle is read and checked first; a bad one raises BundleError and nothing is
    stored. Importing the same bundle again changes nothing (`summary.changed` is False).
    """
    if not paths:
        raise BundleError("no bundle files given")
    bundles = [read_bundle(path, limits) for path in paths]
    return merge_bundles(project, bundles=bundles)
