#!/bin/bash
# Islands against one population of the same total size (issue 15): every bundled note matched
# for SECONDS with Horner's static indices (the search alone), 3 carriers, population 200, as one
# population and as ISLANDS (default 4) islands of 200/ISLANDS (--migrate-every/--migrants from
# MIGRATE, default "20 2"), seeds SEEDS (default "1 2 3"); renders scored by
# ../shared/tools/fmscore.py. Prints a Markdown table of err per seed, the means, and the
# evaluations each made (a time limit: the same time, so about the same evaluations).
# Usage: [ISLANDS=4] [SEEDS="1 2 3"] scripts/islands.sh [SECONDS] [TARGET.wav ...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(targets/*.wav)
seeds=(${SEEDS:-1 2 3}); islands=${ISLANDS:-4}; read -r every migrants <<< "${MIGRATE:-20 2}"
out=${OUT:-/tmp/fmevolve-islands}; mkdir -p "$out"
bin=${BIN:-.build/release/fmevolve}
[ -x $bin ] || swift build -c release >/dev/null
err() { python3 ../shared/tools/fmscore.py "$1" "$2" --json | python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["err"])'; }
header="| target |"; rule="|---|"
for s in "${seeds[@]}"; do header+=" 1 population, seed $s |"; rule+="---|"; done
for s in "${seeds[@]}"; do header+=" $islands islands, seed $s |"; rule+="---|"; done
echo "$header evaluations (1 / $islands) |"; echo "$rule---|"
declare -A sums
for t in "${targets[@]}"; do
  name=$(basename "$t" .wav); row="| $name |"; evals=()
  for n in 1 "$islands"; do
    e=0
    for s in "${seeds[@]}"; do
      d="$out/i$n-s$s"; mkdir -p "$d"; rm -f "$d/$name.sqlite"*
      $bin evolve "$t" --carriers 3 --seed "$s" --time-limit "$secs" --static-indices --islands "$n" \
        --migrate-every "$every" --migrants "$migrants" --db "$d/$name.sqlite" --out-dir "$d" --quiet --json > "$d/$name.json"
      v=$(err "$t" "$d/$name.champion.wav"); row+=" $v |"
      sums[$n-$s]=$(python3 -c "print(${sums[$n-$s]:-0} + $v)")
      e=$((e + $(python3 -c "import json; print(json.load(open('$d/$name.json'))['evaluations'])")))
    done
    evals+=("$((e / ${#seeds[@]}))")
  done
  echo "$row ${evals[0]} / ${evals[1]} |"
done
row="| **mean** |"
for n in 1 "$islands"; do for s in "${seeds[@]}"; do row+=" **$(python3 -c "print('%.4f' % (${sums[$n-$s]} / ${#targets[@]}))")** |"; done; done
echo "$row |"
