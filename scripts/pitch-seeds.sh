#!/bin/bash
# Issue 13's err condition over several seeds: each target matched with its pitch curve (the
# default) and with --fixed-pitch for a fixed number of GENERATIONS (deterministic, so the figures
# do not depend on the machine's load; 8000 generations is about what 60 s reach on 2 cores), 3
# carriers, seeds SEEDS (default "1 2 3 4 5"); both renders scored by ../shared/tools/fmscore.py.
# Prints a Markdown table of err per seed and the medians, and the curve's pitch_err per seed.
# REUSE_FIXED=1 keeps --fixed-pitch champions already in OUT (they do not depend on the pitch
# analysis, so a change to it needs only the other half run again).
# Usage: [SEEDS="1 2 3"] scripts/pitch-seeds.sh [GENERATIONS] [TARGET.wav ...]
set -euo pipefail
cd "$(dirname "$0")/.."
gens=${1:-8000}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(../shared/targets/*.wav)
seeds=(${SEEDS:-1 2 3 4 5})
out=${OUT:-/tmp/fmevolve-pitch-seeds}; mkdir -p "$out"
bin=${BIN:-.build/release/fmevolve}
[ -x $bin ] || swift build -c release >/dev/null
err() { python3 ../shared/tools/fmscore.py "$1" "$2" --json | python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["err"])'; }
pitch_err() { python3 ../shared/tools/fmscore.py "$1" "$2" --json | python3 -c 'import json,sys; print("%.2f" % json.load(sys.stdin)["pitch_err_cents"])'; }
median() { printf '%s\n' "$@" | sort -g | python3 -c 'import sys; v=[float(x) for x in sys.stdin]; n=len(v); print("%.4f" % (v[n//2] if n % 2 else (v[n//2-1]+v[n//2])/2))'; }
echo "| target | err with pitch curve, seeds ${seeds[*]} | median | err --fixed-pitch, seeds ${seeds[*]} | median | seeds where the curve is no worse | pitch_err with the curve (cents) |"
echo "|---|---|---|---|---|---|---|"
for t in "${targets[@]}"; do
  name=$(basename "$t" .wav); a=(); b=(); p=(); wins=0
  for s in "${seeds[@]}"; do
    for mode in follow fixed; do
      d="$out/$mode-$s"; mkdir -p "$d"
      [ $mode = fixed ] && [ "${REUSE_FIXED:-0}" = 1 ] && [ -f "$d/$name.champion.wav" ] && continue
      rm -f "$d/$name.sqlite"*
      extra=""; [ $mode = fixed ] && extra=--fixed-pitch
      $bin evolve "$t" --carriers 3 --seed "$s" --generations "$gens" $extra --db "$d/$name.sqlite" --out-dir "$d" --quiet > /dev/null
    done
    ea=$(err "$t" "$out/follow-$s/$name.champion.wav"); eb=$(err "$t" "$out/fixed-$s/$name.champion.wav")
    a+=("$ea"); b+=("$eb"); p+=("$(pitch_err "$t" "$out/follow-$s/$name.champion.wav")")
    python3 -c "import sys; sys.exit(0 if $ea <= $eb else 1)" && wins=$((wins + 1))
  done
  echo "| $name | ${a[*]} | $(median "${a[@]}") | ${b[*]} | $(median "${b[@]}") | $wins of ${#seeds[@]} | ${p[*]} |"
done
