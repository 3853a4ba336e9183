#!/bin/bash
# Exports a checkpoint's champion in every format (fmevolve export --all), renders each synth file
# in its real engine — csound, scsynth -N (SynthDef, and the FM7 mapping of the norns preset),
# Dexed through dexed-py in .venv-dexed (make engines) — and prints fmscore's err of each render.
# Usage: scripts/render-engines.sh CHECKPOINT.sqlite TARGET.wav [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1; target=$2; out=${3:-$(mktemp -d)}
name=$(basename "$target" .wav)
bin=.build/release/fmevolve
score() { python3 ../shared/tools/fmscore.py "$target" "$1" --json | python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["err"])'; }
# relative RMS of an engine's render against fmevolve's render of the patch at the same rate
relrms() {
  python3 -W ignore - "$1" "$2" <<'PY'
import sys
import numpy as np
from scipy.io import wavfile
_, a = wavfile.read(sys.argv[1]); _, b = wavfile.read(sys.argv[2])
a = a.astype(float).ravel(); b = b.astype(float).ravel()
n = max(len(a), len(b)); a = np.pad(a, (0, n - len(a))); b = np.pad(b, (0, n - len(b)))
print("%.1e" % (np.linalg.norm(a - b) / np.linalg.norm(b)))
PY
}
$bin export "$db" --all --out "$out" > /dev/null
rate=$(awk '/^sr = / {print $3; exit}' "$out/$name.csd")          # the target's rate × the oversampling factor
csound -d -W -f -o "$out/csound.wav" "$out/$name.csd" > /dev/null 2>&1
scsynth -o 1 -D 0 -N "$out/$name.osc" _ "$out/scsynth.wav" "$rate" WAV float > /dev/null 2>&1
scsynth -o 1 -D 0 -N "$out/fm7-01.osc" _ "$out/fm7.wav" 176400 WAV float > /dev/null 2>&1
.venv-dexed/bin/python scripts/dexed-render.py "$out/$name.syx" "$out/$name.syx.json" "$out/dexed.wav"
$bin render "$out/$name.champion.json" -o "$out/fmevolve-$rate.wav" --sample-rate "$rate" > /dev/null
echo "| $name | $(score "$out/$name.champion.wav") | $(score "$out/csound.wav") | $(score "$out/scsynth.wav") | $(score "$out/fm7.wav") | $(score "$out/dexed.wav") |"
echo "sample by sample at $rate Hz, relative RMS against fmevolve's render: csound $(relrms "$out/csound.wav" "$out/fmevolve-$rate.wav"), scsynth $(relrms "$out/scsynth.wav" "$out/fmevolve-$rate.wav")"
