#!/bin/bash
# Static vs dynamic FM on every bundled target, from the same run: `fmevolve evolve` (3 carriers,
# seed 1, --time-limit SECONDS: the search then the refinement stage), the refined patch's WAV and
# the search's static champion's (`fmevolve export --static-indices`) scored by the independent
# ../shared/tools/fmscore.py (err, err_bands), the jumps of each patch's envelopes
# (scripts/jumps.py) and the index breakpoints. Prints a Markdown table.
# REUSE=1 scores the runs already in OUT (e.g. those scripts/compare.sh made with the same OUT).
# Usage: scripts/dynamic.sh [SECONDS] [TARGET.wav ...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(targets/*.wav)
shared=../shared
out=${OUT:-/tmp/fmevolve-dynamic}; mkdir -p "$out"
bin=${BIN:-.build/release/fmevolve}
[ -x $bin ] || swift build -c release >/dev/null
score() { python3 $shared/tools/fmscore.py "$1" "$2" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.4f %.4f" % (d["err"], d["err_bands"]))'; }
jumps() { scripts/jumps.py "$1" "$2" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["jumps"])'; }
echo "| target | static err | dynamic err | static err_bands | dynamic err_bands | jumps static → dynamic | index breakpoints | stage s |"
echo "|---|---|---|---|---|---|---|---|"
sum_s=0; sum_d=0; n=0
for t in "${targets[@]}"; do
  name=$(basename "$t" .wav)
  if [ "${REUSE:-0}" = 0 ] || [ ! -f "$out/$name.sqlite" ]; then
    rm -f "$out/$name.sqlite"*
    $bin evolve "$t" --carriers 3 --seed 1 --time-limit "$secs" --db "$out/$name.sqlite" --out-dir "$out" --quiet --json > "$out/$name.report.json"
    $bin export "$out/$name.sqlite" --static-indices --out "$out/static" > /dev/null
  fi
  read -r d_err d_bands <<< "$(score "$t" "$out/$name.champion.wav")"
  read -r s_err s_bands <<< "$(score "$t" "$out/static/$name.champion.wav")"
  j_s=$(jumps "$t" "$out/static/$name.champion.json"); j_d=$(jumps "$t" "$out/$name.champion.json")
  bp=$(python3 -c "import json; p=json.load(open('$out/$name.champion.json')); print(sum(len(u.get('index1_envelope') or []) + len(u.get('index2_envelope') or []) for u in p['units']))")
  st=$(python3 -c "import json; print('%.1f' % json.load(open('$out/$name.report.json'))['refinement_s'])")
  echo "| $name | $s_err | $d_err | $s_bands | $d_bands | $j_s → $j_d | $bp | $st |"
  sum_s=$(python3 -c "print($sum_s + $s_err)"); sum_d=$(python3 -c "print($sum_d + $d_err)"); n=$((n + 1))
done
python3 -c "print('| **mean** | **%.4f** | **%.4f** | | | | | |' % ($sum_s / $n, $sum_d / $n))"
