#!/usr/bin/env bash
# Build the one-folder desktop app with PyInstaller (packaging/annotator.spec) into dist/annotator,
# then smoke-test the result: --version, demo, docs --json and a GUI screenshot, offscreen.
#   bash scripts/build-app.sh                  build with a venv in build/pyinstaller-venv (reused)
#   bash scripts/build-app.sh --fresh-venv     throw the build venv away first
#   bash scripts/build-app.sh --with-postgres  also bundle psycopg (the `postgres` extra)
# PYTHON=python3.12 picks the interpreter for the build venv (it must have a shared libpython).
set -euo pipefail
cd "$(dirname "$0")/.."

fresh=no
extra=""
for arg in "$@"; do
  case "$arg" in
    --fresh-venv) fresh=yes ;;
    --with-postgres) extra="[postgres]" ;;
    *) echo "build-app.sh: unknown option '$arg' (use --fresh-venv or --with-postgres)" >&2; exit 1 ;;
  esac
done

venv=build/pyinstaller-venv
log=build/pyinstaller.log
python="${PYTHON:-python3}"
started=$(date +%s)

fail() { echo "build-app.sh: FAILED: $*" >&2; exit 1; }

# --- the build venv: the project installed from the source tree (not editable) + PyInstaller
if [ "$fresh" = yes ]; then rm -rf "$venv"; fi
if [ ! -x "$venv/bin/python" ]; then
  echo "== creating the build venv in $venv"
  "$python" -m venv "$venv"
fi
echo "== installing Annotator${extra} and PyInstaller into $venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check --quiet)
"${pip[@]}" install --upgrade pip >/dev/null
"${pip[@]}" install ".${extra}" pyinstaller
# The version number does not change between builds, so pip would keep a stale copy.
"${pip[@]}" install --no-deps --force-reinstall .
echo "   $("$venv/bin/python" -m PyInstaller --version | sed 's/^/PyInstaller /'), $("$venv/bin/python" -c 'import PySide6, sys; print(f"PySide6 {PySide6.__version__}, Python {sys.version.split()[0]}")')"
prepared=$(date +%s)

# --- PyInstaller
echo "== running PyInstaller (full log in $log)"
rm -rf dist/annotator
with_postgres=0
[ -n "$extra" ] && with_postgres=1
if ! ANNOTATOR_BUNDLE_POSTGRES=$with_postgres "$venv/bin/python" -m PyInstaller --noconfirm --clean --distpath dist \
    --workpath build/pyinstaller packaging/annotator.spec >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  fail "PyInstaller did not finish; see $log"
fi
built=$(date +%s)
grep -E "WARNING|ERROR|annotator.spec:" "$log" | sed 's/^/   /' || true
tail -n 3 "$log" | sed 's/^/   /'
app=dist/annotator/annotator
[ -x "$app" ] || fail "$app was not built"

# --- does every bundled library find the Qt libraries it links to?
if command -v ldd >/dev/null 2>&1; then
  missing=$(find dist/annotator -name '*.so*' -type f -print0 \
    | xargs -0 -n 20 ldd 2>/dev/null | grep 'not found' | sort -u || true)
  if grep -q 'libQt6' <<<"$missing"; then
    fail "a bundled library needs a Qt library that was left out:
$missing"
  fi
  if [ -n "$missing" ]; then
    echo "   system libraries not found on this machine (the bundle expects them from the OS):"
    sed 's/^\s*/     /' <<<"$missing"
  fi
fi

# --- smoke test, with every user folder in a throwaway directory
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" \
  XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime" HOME="$tmp/home" \
  QT_QPA_PLATFORM=offscreen
mkdir -p "$tmp/runtime" "$tmp/home" && chmod 700 "$tmp/runtime"
unset ANNOTATOR_DB

echo "== smoke test of $app"
version=$("$app" --version) || fail "'annotator --version' exited with $?"
echo "   $version"
"$app" demo --db "$tmp/x.sqlite" | sed 's/^/   /' || fail "'annotator demo' failed"
"$app" docs --db "$tmp/x.sqlite" --json >"$tmp/docs.json" || fail "'annotator docs --json' failed"
count=$("$venv/bin/python" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/docs.json") \
  || fail "'annotator docs --json' did not print JSON"
[ "$count" = 8 ] || fail "'annotator docs --json' listed $count documents, expected the 8 demo articles"
echo "   docs --json: $count documents"
"$app" gui --db "$tmp/x.sqlite" --screenshot "$tmp/shot.png" | sed 's/^/   /' \
  || fail "'annotator gui --screenshot' failed"
[ "$(head -c 8 "$tmp/shot.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
  || fail "the screenshot is not a PNG file"
if "$app" import --help >/dev/null 2>&1; then
  # HTML goes through trafilatura, which needs data files of its own in the bundle.
  cat >"$tmp/article.html" <<'HTML'
<!doctype html><html lang="en"><head><title>Ministers meet on grain deal</title></head><body>
<nav>Home | World | Sport</nav><article><h1>Ministers meet on grain deal</h1>
<p>Foreign ministers met in Istanbul on Tuesday to discuss an extension of the grain corridor.</p>
<p>The talks lasted four hours. A spokesman said the sides would continue next week, and that a
draft text was ready for both delegations to take home.</p>
<p>Critics argued that the deal favoured large exporters and left small farmers unprotected.</p>
</article><footer>Copyright 2026 Example News</footer></body></html>
HTML
  "$app" import --db "$tmp/x.sqlite" --story smoke "$tmp/article.html" | sed 's/^/   /' \
    || fail "'annotator import' of an HTML file failed"
fi
[ -z "$(ls -A "$tmp/home")" ] || fail "the app wrote into \$HOME instead of the XDG folders: $(ls -A "$tmp/home")"

finished=$(date +%s)
echo "== done: $(du -sh dist/annotator | cut -f1) in dist/annotator ($(find dist/annotator -type f | wc -l) files)"
echo "   venv and install $((prepared - started)) s, PyInstaller $((built - prepared)) s, total $((finished - started)) s"
