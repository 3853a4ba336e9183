#!/bin/bash
# Evaluations per second of fmevolve (fmevolve bench, random genomes, every core) and of the Python
# peer in its fastest mode (--spectra bessel --nnls batch), on the same target and carrier count,
# measured one after the other in one run. Usage: scripts/bench-peer.sh [TARGET.wav] [CARRIERS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-targets/trumpet-A4.wav}; carriers=${2:-3}; secs=${3:-20}
bin=.build/release/fmevolve
[ -x $bin ] || swift build -c release >/dev/null
ours=$($bin bench --target "$target" --carriers "$carriers" --seconds "$secs" --json)
report=$(mktemp)
python3 ../shared/peers/fm_numpy_ga.py "$target" --carriers "$carriers" --time-limit "$secs" --seed 1 \
    --spectra bessel --nnls batch --report "$report" --quiet > /dev/null
python3 - "$report" <<PY
import json, sys
ours = json.loads('''$ours''')
peer = json.load(open(sys.argv[1]))
print(f"target {ours['target']}, {ours['carriers']} carriers")
print(f"fmevolve bench   1 thread {ours['evals_per_s_1_thread']:9.0f} eval/s   {ours['threads']} threads {ours['evals_per_s_all_cores']:9.0f} eval/s   speed-up {ours['speedup']:.2f}x")
print(f"python peer      {peer['evals_per_s']:9.0f} eval/s (GA with --spectra bessel --nnls batch)")
print(f"ratio (all cores / peer) {ours['evals_per_s_all_cores'] / peer['evals_per_s']:.1f}x")
PY
rm -f "$report"
