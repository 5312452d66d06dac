#!/usr/bin/env bash
# Set up Annotator on a fresh Debian or Ubuntu machine: the system libraries Qt needs, a
# virtual environment in .venv and the app in it (editable, so a `git pull` is picked up).
#   bash scripts/setup.sh          the app
#   bash scripts/setup.sh --test   the app, its test tools and PostgreSQL for the store tests
#   bash scripts/setup.sh --dev    as --test, plus ruff and mypy
set -euo pipefail
cd "$(dirname "$0")/.."

extra=""
case "${1:-}" in
  "") ;;
  --test) extra="[test]" ;;
  --dev) extra="[dev]" ;;
  *) echo "setup.sh: unknown option '$1' (use --test or --dev)" >&2; exit 1 ;;
esac

# Qt (PySide6) needs these even offscreen; the xcb ones are for a real window.
packages=(libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0
          libxkbcommon0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
          libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
          libx11-xcb1 fonts-dejavu-core)
if [ -n "$extra" ]; then
  packages+=(postgresql xvfb xauth)  # a throwaway server for the store tests; a virtual screen
fi
if ! python3 -c "import venv, ensurepip" 2>/dev/null; then
  packages+=(python3-venv)
fi

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup.sh: installing Debian packages: ${missing[*]}"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
      command -v sudo >/dev/null || { echo "setup.sh: need root or sudo to install ${missing[*]}" >&2; exit 1; }
      sudo="sudo"
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "setup.sh: not a Debian system; make sure Qt's libraries (libGL, libEGL, fontconfig, xkbcommon) are installed"
fi

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "setup.sh: Annotator needs Python 3.11 or newer, this is $(python3 --version)" >&2; exit 1; }
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}"
echo "setup.sh: ready: $(.venv/bin/annotator --version) in $(pwd)/.venv"
