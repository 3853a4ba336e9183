#!/bin/bash
# Runs fmevolve and the Python peer (../shared/peers/fm_numpy_ga.py) for the same time on every
# bundled target, scores the renders with the independent scorer ../shared/tools/fmscore.py,
# and prints a Markdown table: fmevolve's patch (after its refinement stage) and, from the same
# run, the search's static champion (`fmevolve export --static-indices`), against the peer.
# PEER=0 skips the peer (half the time); EVOLVE_ARGS adds options to every `fmevolve evolve`
# (e.g. EVOLVE_ARGS=--static-indices: the search alone, for the whole time); SEED (default 1)
# the seed of every run.
# Usage: scripts/compare.sh [SECONDS] [TARGET.wav ...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(targets/*.wav)
shared=../shared
out=${OUT:-/tmp/fmevolve-compare}; mkdir -p "$out"
bin=${BIN:-.build/release/fmevolve}
[ -x $bin ] || swift build -c release >/dev/null
score() { python3 $shared/tools/fmscore.py "$1" "$2" --json | python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["err"])'; }
peer=${PEER:-1}
echo "| target | fmevolve render_err (reported) | fmevolve err (fmscore) | static err (fmscore, same run) | fmevolve evals | peer err (fmscore) | peer evals | fmevolve − peer |"
echo "|---|---|---|---|---|---|---|---|"
sum_f=0; sum_s=0; sum_p=0; n=0
for t in "${targets[@]}"; do
  name=$(basename "$t" .wav)
  rm -f "$out/$name.sqlite"*
  $bin evolve "$t" --carriers 3 --seed ${SEED:-1} --time-limit "$secs" ${EVOLVE_ARGS:-} --db "$out/$name.sqlite" --out-dir "$out" --quiet --json > "$out/$name.report.json"
  rep=$(python3 -c "import json; d=json.load(open('$out/$name.report.json')); print('%.4f %d' % (d['render_err'], d['evaluations']))")
  f_err=$(score "$t" "$out/$name.champion.wav")
  $bin export "$out/$name.sqlite" --static-indices --out "$out/static" > /dev/null
  s_err=$(score "$t" "$out/static/$name.champion.wav")
  p_err=0; p_evals="–"; diff="–"
  if [ "$peer" != 0 ]; then
    python3 $shared/peers/fm_numpy_ga.py "$t" --carriers 3 --time-limit "$secs" --seed 1 --spectra bessel --nnls batch \
        --out "$out/$name.peer.wav" --report "$out/$name.peer.json" --quiet > /dev/null
    p_evals=$(python3 -c "import json; print(json.load(open('$out/$name.peer.json'))['evaluations'])")
    p_err=$(score "$t" "$out/$name.peer.wav")
    diff=$(python3 -c "print('%+.4f' % ($f_err - $p_err))")
  fi
  echo "| $name | ${rep% *} | $f_err | $s_err | ${rep#* } | $p_err | $p_evals | $diff |"
  sum_f=$(python3 -c "print($sum_f + $f_err)"); sum_s=$(python3 -c "print($sum_s + $s_err)")
  sum_p=$(python3 -c "print($sum_p + $p_err)"); n=$((n + 1))
done
python3 -c "print('| **mean** | | **%.4f** | **%.4f** | | **%.4f** | | |' % ($sum_f / $n, $sum_s / $n, $sum_p / $n))"
