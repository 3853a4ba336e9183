#!/bin/bash
# Dexed's render of each pitch-curve champion that scripts/pitch.sh left in OUT (default
# /tmp/fmevolve-pitch/follow): `fmevolve export --format syx`, voice 1 rendered by dexed-py
# (.venv-dexed, `make engines`), scored by ../shared/tools/fmscore.py against the recording;
# prints a Markdown table of err and pitch_err_cents per note, fmevolve's own render beside it.
# Usage: scripts/pitch-dexed.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/fmevolve-pitch/follow}
bin=${BIN:-.build/release/fmevolve}
score() { python3 ../shared/tools/fmscore.py "$1" "$2" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.4f | %.2f" % (d["err"], d["pitch_err_cents"]))'; }
echo "| target | fmevolve err | fmevolve pitch_err | Dexed err | Dexed pitch_err | the voice's pitch EG and LFO |"
echo "|---|---|---|---|---|---|"
for db in "$dir"/*.sqlite; do
  name=$(basename "$db" .sqlite)
  t=../shared/targets/$name.wav
  mkdir -p "$dir/dx7"
  $bin export "$db" --format syx --out "$dir/dx7" > /dev/null
  .venv-dexed/bin/python scripts/dexed-render.py "$dir/dx7/$name.syx" "$dir/dx7/$name.syx.json" "$dir/dx7/$name-dexed.wav"
  what=$(python3 -c "
import json; p = json.load(open('$dir/dx7/$name.syx.json')).get('pitch')
print('none' if not p else 'EG R%s L%s, LFO %s' % (p['eg_rates'], p['eg_levels'], {k: p['lfo'][k] for k in ('speed', 'delay', 'pmd', 'pms')}))")
  echo "| $name | $(score "$t" "$dir/$name.champion.wav") | $(score "$t" "$dir/dx7/$name-dexed.wav") | $what |"
done
