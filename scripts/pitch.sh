#!/bin/bash
# Issue 13's public-note check: every bundled target matched for SECONDS with its pitch curve
# (the default) and with --fixed-pitch (3 carriers, seed SEED, default 1), both renders scored by
# ../shared/tools/fmscore.py; prints a Markdown table of err and pitch_err_cents per note, and
# what the patch's pitch curve holds.
# Usage: scripts/pitch.sh [SECONDS] [TARGET.wav ...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(../shared/targets/*.wav)
out=${OUT:-/tmp/fmevolve-pitch}; mkdir -p "$out/follow" "$out/fixed"
bin=${BIN:-.build/release/fmevolve}
[ -x $bin ] || swift build -c release >/dev/null
score() { python3 ../shared/tools/fmscore.py "$1" "$2" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.4f %.2f %.2f" % (d["err"], d["pitch_err_cents"], d["pitch_dev_cents"]))'; }
echo "| target | pitch moves (cents RMS) | err, pitch curve | pitch_err, pitch curve | err, --fixed-pitch | pitch_err, --fixed-pitch | the patch's pitch curve |"
echo "|---|---|---|---|---|---|---|"
sum_a=0; sum_b=0; sum_pa=0; sum_pb=0; n=0
for t in "${targets[@]}"; do
  name=$(basename "$t" .wav)
  for mode in follow fixed; do
    rm -f "$out/$mode/$name.sqlite"*
    extra=""; [ $mode = fixed ] && extra=--fixed-pitch
    $bin evolve "$t" --carriers 3 --seed ${SEED:-1} --time-limit "$secs" $extra --db "$out/$mode/$name.sqlite" --out-dir "$out/$mode" --quiet > /dev/null
  done
  read -r ea pa dev < <(score "$t" "$out/follow/$name.champion.wav")
  read -r eb pb _ < <(score "$t" "$out/fixed/$name.champion.wav")
  curve=$(python3 -c "
import json; p = json.load(open('$out/follow/$name.champion.json')).get('pitch')
if not p: print('none (steady)')
else:
    g = p['glide']; v = p.get('vibrato')
    s = '%d glide breakpoints, %+.0f…%+.0f cents' % (len(g), min(x[1] for x in g), max(x[1] for x in g))
    if v:
        d = sorted(x[1] for x in v['depth'][1:]); s += '; vibrato %.2f Hz ±%.1f cents from %.2f s' % (v['rate_hz'], d[len(d)//2], v['depth'][0][0])
    print(s)")
  echo "| $name | $dev | $ea | $pa | $eb | $pb | $curve |"
  sum_a=$(python3 -c "print($sum_a + $ea)"); sum_b=$(python3 -c "print($sum_b + $eb)")
  sum_pa=$(python3 -c "print($sum_pa + $pa)"); sum_pb=$(python3 -c "print($sum_pb + $pb)"); n=$((n + 1))
done
python3 -c "print('| **mean** | | **%.4f** | **%.2f** | **%.4f** | **%.2f** | |' % ($sum_a / $n, $sum_pa / $n, $sum_b / $n, $sum_pb / $n))"
