# attn — self-attention, traced step by step.
#   make site    build the course into site/ (installs what it needs)
#   make test    run every test (installs what it needs)
#   make bench   benchmarks against the NumPy reference (release build)
SWIFT ?= swift

.PHONY: all deps build release test site bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product attn

test: deps
	$(SWIFT) test

# The renderer (lessons → HTML) is not written yet: for now `make site` builds the
# release CLI that will generate the site, and says so.
site: release
	@echo "site/: the lesson renderer is not implemented yet; built .build/release/attn"

bench: deps
	$(SWIFT) build -c release --product attn --product AttnBench
	python3 bench/run.py

clean:
	rm -rf .build
