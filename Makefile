# fmevolve — the two commands:
#   make run    install what is missing, build (release), evolve a bundled recording for 60 s
#   make test   install what is missing (and the synth engines the export tests play), run every test
SWIFT   ?= swift
TARGET  ?= targets/trumpet-A4.wav
SECONDS ?= 60
# Debian packages: the C libraries (SwiftPM systemLibrary targets), pkg-config to find them,
# and numpy/scipy for the independent scorer ../shared/tools/fmscore.py used by some tests.
APT_PACKAGES    := libsndfile1-dev libfftw3-dev libsqlite3-dev libnlopt-dev pkg-config
PY_PACKAGES     := python3-numpy python3-scipy
# The synth engines the export tests render with (csound, scsynth headless, FM7 from sc3-plugins,
# sclang run headless on the exported .scd), Python's venv module for dexed-py (GPL: kept in a
# test-only virtualenv, never linked) and GNU parallel, which the batch tests run jobs with.
ENGINE_PACKAGES := csound supercollider-server supercollider-language sc3-plugins-server python3-venv parallel
# Open MPI, for the islands over MPI (the package trait MPI): the tests build with it; `make run`
# and a plain `swift build` need none of it.
MPI_PACKAGES    := libopenmpi-dev openmpi-bin
DEXED_VENV      := .venv-dexed

# Installs the Debian packages in $(1) that are missing (apt-get; sudo when not root).
define apt_install
	@missing=""; \
	for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		echo "installing:$$missing"; \
		$$sudo apt-get update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

.PHONY: run test build build-mpi deps mpi-deps engines compare benchmarks clean

run: build
	.build/release/fmevolve evolve $(TARGET) --time-limit $(SECONDS)

test: deps engines mpi-deps
	$(SWIFT) test -c release --traits MPI

build: deps
	$(SWIFT) build -c release

deps:
	$(call apt_install,$(APT_PACKAGES))
	@python3 -c "import numpy, scipy" >/dev/null 2>&1 || { $(MAKE) --no-print-directory pydeps; }
	@command -v $(SWIFT) >/dev/null || { echo "swift is not on PATH: install the Swift 6.3 toolchain (swift.org)"; exit 1; }

# fmevolve with islands over Open MPI: mpirun -np P .build/release/fmevolve evolve … --islands N
build-mpi: deps mpi-deps
	$(SWIFT) build -c release --traits MPI

mpi-deps:
	$(call apt_install,$(MPI_PACKAGES))

pydeps:
	$(call apt_install,$(PY_PACKAGES))

engines:
	$(call apt_install,$(ENGINE_PACKAGES))
	@[ -x $(DEXED_VENV)/bin/python ] && $(DEXED_VENV)/bin/python -c "import dexed, numpy" 2>/dev/null || { \
		rm -rf $(DEXED_VENV) && python3 -m venv $(DEXED_VENV) && \
		$(DEXED_VENV)/bin/pip install -q --disable-pip-version-check dexed-py numpy; }

# The comparison with the Python peer on all eight targets (about 20 minutes).
compare: build
	scripts/compare.sh

# Micro-benchmarks of the kernels (Benchmarks/, a package of its own built on
# ordo-one/package-benchmark): wall clock, throughput and malloc counts per call.
benchmarks: deps
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark

clean:
	rm -rf .build Benchmarks/.build $(DEXED_VENV)
