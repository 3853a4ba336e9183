# fmevolve — the two commands:
#   make run    install what is missing, build (release), evolve a bundled recording for 60 s
#   make test   install what is missing, run the whole test suite
SWIFT   ?= swift
TARGET  ?= targets/trumpet-A4.wav
SECONDS ?= 60
# Debian packages: the C libraries (SwiftPM systemLibrary targets), pkg-config to find them,
# and numpy/scipy for the independent scorer ../shared/tools/fmscore.py used by some tests.
APT_PACKAGES := libsndfile1-dev libfftw3-dev libsqlite3-dev pkg-config
PY_PACKAGES  := python3-numpy python3-scipy

.PHONY: run test build deps compare bench clean

run: build
	.build/release/fmevolve evolve $(TARGET) --time-limit $(SECONDS)

test: deps
	$(SWIFT) test -c release

build: deps
	$(SWIFT) build -c release

# Installs only what is missing (apt-get; sudo when not root).
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	python3 -c "import numpy, scipy" >/dev/null 2>&1 || missing="$$missing $(PY_PACKAGES)"; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		echo "installing:$$missing"; \
		$$sudo apt-get update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "swift is not on PATH: install the Swift 6.3 toolchain (swift.org)"; exit 1; }

# The comparison with the Python peer on all eight targets (about 20 minutes).
compare: build
	scripts/compare.sh

clean:
	rm -rf .build
