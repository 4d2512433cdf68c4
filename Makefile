# attn — self-attention, traced step by step.
#   make site    build the course into site/ (installs what it needs)
#   make test    run every test (installs what it needs)
#   make check   the self-check workbook (Sources/Workbook)
#   make bench   benchmarks against NumPy and the libcmark-gfm floor (release build)
SWIFT ?= swift

.PHONY: all deps build release test site bench clean check

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product attn

test: deps
	@scripts/install-deps.sh --browser --validator
	$(SWIFT) test
	$(SWIFT) build --product attn
	@set -e; attn="$$($(SWIFT) build --show-bin-path)/attn"; \
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
	exit $$status

# The course: lessons/ → site/ (written to a temporary folder, then swapped in).
site: deps
	$(SWIFT) build --product attn
	"$$($(SWIFT) build --show-bin-path)/attn" build --strict --lessons lessons --out site

# The workbook (Sources/Workbook): rebuild it, then check every exercise in its own
# process (lessons/guides/practise.md). `make check ARGS="5"`, `ARGS="--hint 5"` pass options on.
check: deps
	$(SWIFT) build --product attn-workbook
	$(SWIFT) build --product attn
	@"$$($(SWIFT) build --show-bin-path)/attn" check $(ARGS)

bench: deps
	$(SWIFT) build -c release --product attn
	$(SWIFT) build -c release --product AttnBench
	python3 bench/run.py
	python3 bench/pages.py --bin-dir "$$($(SWIFT) build -c release --show-bin-path)"
	"$$($(SWIFT) build -c release --show-bin-path)/attn" serve --measure 10 --lessons lessons

clean:
	rm -rf .build
