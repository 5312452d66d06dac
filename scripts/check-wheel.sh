#!/usr/bin/env bash
# Build the wheel, check that it carries the data files the app loads at run time, install it in
# a fresh venv and run the command line from outside the source tree; then validate the .desktop
# and AppStream files when desktop-file-validate / appstreamcli are installed.
#   bash scripts/check-wheel.sh        (PYTHON=python3.12 picks another interpreter)
# Needs network access to PyPI (the build backend and the dependencies).
set -euo pipefail
cd "$(dirname "$0")/.."
source_tree=$(pwd)
python="${PYTHON:-python3}"

fail() { echo "check-wheel.sh: FAILED: $*" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== building the wheel"
"$python" -m pip wheel --quiet --disable-pip-version-check --no-deps -w "$tmp/wheel" . \
  || fail "pip could not build the wheel"
wheels=("$tmp"/wheel/annotator-*.whl)
[ "${#wheels[@]}" -eq 1 ] && [ -f "${wheels[0]}" ] || fail "expected one annotator wheel, got: ${wheels[*]}"
wheel=${wheels[0]}
echo "   $(basename "$wheel") ($(du -h "$wheel" | cut -f1))"

echo "== checking the wheel's contents"
"$python" - "$wheel" "$source_tree" <<'PY' || fail "the wheel lacks files the app needs (listed above)"
import sys
import zipfile
from pathlib import Path

wheel, source = Path(sys.argv[1]), Path(sys.argv[2])
names = set(zipfile.ZipFile(wheel).namelist())
required = [
    "annotator/resources/schema.toml",
    "annotator/resources/guidelines.md",
    "annotator/resources/demo/articles.jsonl",
    "annotator/resources/demo/actors.toml",
    "annotator/resources/icons/org.annotator.Annotator.svg",
    "annotator/store/migrations/env.py",
    "annotator/store/migrations/script.py.mako",
]
versions = sorted((source / "annotator/store/migrations/versions").glob("*.py"))
required += [f"annotator/store/migrations/versions/{path.name}" for path in versions]
missing = [name for name in required if name not in names]
stray = sorted(name for name in names if "__pycache__" in name or name.endswith(".pyc"))
for name in missing:
    print(f"   missing: {name}", file=sys.stderr)
for name in stray:
    print(f"   should not be there: {name}", file=sys.stderr)
if missing or stray or not any(path.name != "__init__.py" for path in versions):
    sys.exit(1)
revisions = [path for path in versions if path.name != "__init__.py"]
print(f"   all {len(required)} data files are there ({len(revisions)} migration revisions)")
PY

echo "== installing the wheel into a fresh venv (dependencies from PyPI)"
"$python" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel" \
  || fail "pip could not install $(basename "$wheel")"

echo "== running the installed app from outside the source tree"
mkdir -p "$tmp/outside" "$tmp/runtime" && chmod 700 "$tmp/runtime"
cd "$tmp/outside"
unset PYTHONPATH ANNOTATOR_DB
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" \
  XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime" QT_QPA_PLATFORM=offscreen
app="$tmp/venv/bin/annotator"
[ -x "$app" ] || fail "the wheel installed no 'annotator' command"
where=$("$tmp/venv/bin/python" -c 'import annotator; print(annotator.__file__)')
case "$where" in
  "$source_tree"/*) fail "the venv imports annotator from the source tree ($where), not from the wheel" ;;
esac
"$tmp/venv/bin/python" - <<'PY' || fail "the installed package does not expose its icon"
from xml.etree import ElementTree

from annotator import APP_ID
from annotator.core.resources import resource, resources_folder

assert "site-packages" in str(resources_folder()), resources_folder()

svg = resource("icons", f"{APP_ID}.svg").read_bytes()
assert ElementTree.fromstring(svg).get("viewBox"), "the icon has no viewBox"
PY
version=$("$app" --version) || fail "'annotator --version' exited with status $?"
echo "   $version"
"$app" demo --db "$tmp/w.sqlite" | sed 's/^/   /' || fail "'annotator demo' failed"
"$app" docs --db "$tmp/w.sqlite" --json >"$tmp/docs.json" || fail "'annotator docs --json' failed"
count=$("$tmp/venv/bin/python" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/docs.json") \
  || fail "'annotator docs --json' did not print a JSON array"
[ "$count" = 8 ] || fail "'annotator docs --json' listed $count documents, expected the 8 demo articles"
echo "   docs --json: $count documents"
cd "$source_tree"

echo "== desktop integration files"
if command -v desktop-file-validate >/dev/null 2>&1; then
  # Exit status only: the validator's "hint" lines (several main categories) are not errors.
  desktop-file-validate packaging/org.annotator.Annotator.desktop \
    || fail "desktop-file-validate rejects packaging/org.annotator.Annotator.desktop"
  echo "   desktop-file-validate: ok"
else
  echo "   desktop-file-validate not installed (apt-get install desktop-file-utils); skipped"
fi
if command -v appstreamcli >/dev/null 2>&1; then
  appstreamcli validate --no-net packaging/org.annotator.Annotator.metainfo.xml \
    || fail "appstreamcli rejects packaging/org.annotator.Annotator.metainfo.xml"
else
  echo "   appstreamcli not installed (apt-get install appstream); skipped"
fi
echo "check-wheel.sh: ok"
