#!/bin/bash
# Known-patch recovery (issue 11): renders each known patch with `fmevolve render`, runs
# `fmevolve evolve` on the tone for seeds 1–8 (--time-limit SECONDS, --target-error 0.01,
# --static-indices: the search alone) and prints, per patch, how many seeds recover it — err ≤ 0.01
# with the patch's own ratios and topologies — and the median time to do so (wall-clock seconds
# of the whole `fmevolve evolve`: analysis, initial population, search and writing; seeds that do
# not recover count as not recovered).
#   known2: the 2-unit test patch (Tests/TestSupport/KnownPatch.swift: one parallel, one cascade
#           unit), both units sustained;
#   known3: three units with different amplitude envelopes (one sustained, one fading by 0.3 s,
#           one swelling from 0.4 s).
# Usage: scripts/recovery.sh [SECONDS] [SEEDS...]   (env: BIN, OUT, PATCHES="known2 known3",
#        EVOLVE_ARGS: more options for every run, e.g. "--islands 4")
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
seeds=("$@"); [ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3 4 5 6 7 8)
bin=${BIN:-.build/release/fmevolve}
out=${OUT:-/tmp/fmevolve-recovery}; mkdir -p "$out"
[ -x "$bin" ] || swift build -c release >/dev/null

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
sr = 44100
def sustained(peak):
    return [[0, 0], [0.05, peak], [0.85, peak], [0.95, 0], [1.0, 0]]
def unit(c, m1, m2, i1, i2, top, env):
    return {"carrier": c, "modulator1": m1, "modulator2": m2, "index1": i1, "index2": i2, "topology": top, "envelope": env}
patches = {
    "known2": [unit(1, 2, 3, 1.3, 0.6, "parallel", sustained(0.4)),
               unit(3, 1, 4, 0.9, 1.7, "cascade", sustained(0.3))],
    "known3": [unit(1, 1, 3, 1.2, 0.7, "parallel", sustained(0.35)),
               unit(3, 5, 2, 1.4, 1.1, "cascade", [[0, 0], [0.02, 0.3], [0.3, 0], [1.0, 0]]),
               unit(7, 2, 9, 0.9, 0.5, "parallel", [[0, 0], [0.4, 0], [0.9, 0.25], [0.95, 0], [1.0, 0]])],
}
for name, units in patches.items():
    json.dump({"format": "fmevolve-patch", "version": 2, "name": name, "f0": 440.0, "sample_rate": sr, "samples": sr,
               "err": 0, "render_err": 0, "units": units, "fmevolve_version": "recovery.sh"},
              open(f"{out}/{name}.patch.json", "w"), indent=1)
PY

# the structure of a patch file's units: sorted (carrier, modulators, topology), a parallel unit's
# modulators unordered
structure() {
  python3 -c 'import json,sys
p = json.load(open(sys.argv[1]))
def key(u):
    m = sorted([u["modulator1"], u["modulator2"]]) if u["topology"] == "parallel" else [u["modulator1"], u["modulator2"]]
    return (u["carrier"], *m, u["topology"])
print(sorted(key(u) for u in p["units"]))' "$1"
}

echo "| patch | seed | err | right structure | recovered | wall s |"
echo "|---|---|---|---|---|---|"
summary=()
for name in ${PATCHES:-known2 known3}; do
  $bin render "$out/$name.patch.json" -o "$out/$name.wav" > /dev/null
  want=$(structure "$out/$name.patch.json")
  carriers=$(python3 -c "import json; print(len(json.load(open('$out/$name.patch.json'))['units']))")
  times=()
  for seed in "${seeds[@]}"; do
    run="$out/$name-$seed"; rm -rf "$run"; mkdir -p "$run"
    start=$(date +%s.%N)
    $bin evolve "$out/$name.wav" --carriers "$carriers" --seed "$seed" --time-limit "$secs" --target-error 0.01 \
      --static-indices ${EVOLVE_ARGS:-} --db "$run/run.sqlite" --out-dir "$run" --quiet --json > "$run/report.json"
    s=$(python3 -c "print('%.1f' % ($(date +%s.%N) - $start))")
    err=$(python3 -c "import json; print('%.4f' % json.load(open('$run/report.json'))['err'])")
    got=$(structure "$run/$name.champion.json")
    right=no; [ "$got" = "$want" ] && right=yes
    ok=no; if [ $right = yes ] && python3 -c "import sys; sys.exit(0 if $err <= 0.01 else 1)"; then ok=yes; times+=("$s"); fi
    echo "| $name | $seed | $err | $right | $ok | $s |"
  done
  median=$(python3 -c "import statistics,sys; t=[float(x) for x in sys.argv[1:] if x]; print('%.1f' % statistics.median(t) if t else '–')" "${times[@]:-}")
  summary+=("$name: ${#times[@]}/${#seeds[@]} seeds recover it, median ${median} s")
done
echo
printf '%s\n' "${summary[@]}"
