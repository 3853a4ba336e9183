#!/bin/bash
# Runs fmevolve and the Python peer (../shared/peers/fm_numpy_ga.py) for the same time on every
# bundled target, scores both renders with the independent scorer ../shared/tools/fmscore.py,
# and prints a Markdown table. Usage: scripts/compare.sh [SECONDS] [TARGET.wav ...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(targets/*.wav)
shared=../shared
out=${OUT:-/tmp/fmevolve-compare}; mkdir -p "$out"
bin=.build/release/fmevolve
[ -x $bin ] || swift build -c release >/dev/null
score() { python3 $shared/tools/fmscore.py "$1" "$2" --json | python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["err"])'; }
echo "| target | fmevolve render_err (reported) | fmevolve err (fmscore) | fmevolve evals | peer err (fmscore) | peer evals | fmevolve − peer |"
echo "|---|---|---|---|---|---|---|"
sum_f=0; sum_p=0; n=0
for t in "${targets[@]}"; do
  name=$(basename "$t" .wav)
  $bin evolve "$t" --carriers 3 --seed 1 --time-limit "$secs" --out-dir "$out" --quiet --json > "$out/$name.report.json"
  rep=$(python3 -c "import json; d=json.load(open('$out/$name.report.json')); print('%.4f %d' % (d['render_err'], d['evaluations']))")
  f_err=$(score "$t" "$out/$name.champion.wav")
  python3 $shared/peers/fm_numpy_ga.py "$t" --carriers 3 --time-limit "$secs" --seed 1 --spectra bessel --nnls batch \
      --out "$out/$name.peer.wav" --report "$out/$name.peer.json" --quiet > /dev/null
  p_evals=$(python3 -c "import json; print(json.load(open('$out/$name.peer.json'))['evaluations'])")
  p_err=$(score "$t" "$out/$name.peer.wav")
  diff=$(python3 -c "print('%+.4f' % ($f_err - $p_err))")
  echo "| $name | ${rep% *} | $f_err | ${rep#* } | $p_err | $p_evals | $diff |"
  sum_f=$(python3 -c "print($sum_f + $f_err)"); sum_p=$(python3 -c "print($sum_p + $p_err)"); n=$((n + 1))
done
python3 -c "print('| **mean** | | **%.4f** | | **%.4f** | | |' % ($sum_f / $n, $sum_p / $n))"
