#!/bin/bash
# The inharmonic mode on ../shared/targets/inharmonic/ (struck and rubbed sounds, CC0): each
# recording matched for SECONDS (default 60) with 3 carriers, seed 1, in the mode fmevolve
# chooses and in the harmonic mode (--harmonic), both renders scored by the independent scorer
# ../shared/tools/fmscore.py (err_bands: semitone bands, every partial). Prints a Markdown table.
# Usage: scripts/inharmonic.sh [SECONDS] [TARGET.wav ...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(../shared/targets/inharmonic/*.wav)
out=${OUT:-/tmp/fmevolve-inharmonic}; mkdir -p "$out"
bin=${BIN:-.build/release/fmevolve}
[ -x $bin ] || swift build -c release >/dev/null
field() { python3 ../shared/tools/fmscore.py "$1" "$2" --json | python3 -c "import json,sys; print('%.3f' % json.load(sys.stdin)['$3'])"; }
echo "| recording | harmonicity | mode chosen | err_bands, chosen mode | err_bands, --harmonic | units (chosen mode) |"
echo "|---|---|---|---|---|---|"
for t in "${targets[@]}"; do
  name=$(basename "$t" .wav)
  rm -f "$out/$name".*.sqlite*
  $bin evolve "$t" --carriers 3 --seed 1 --time-limit "$secs" --db "$out/$name.auto.sqlite" --out-dir "$out/auto" --quiet --json \
      2>/dev/null > "$out/$name.auto.json"
  $bin evolve "$t" --carriers 3 --seed 1 --time-limit "$secs" --harmonic --db "$out/$name.harmonic.sqlite" --out-dir "$out/harmonic" \
      --quiet --json 2>/dev/null > "$out/$name.harmonic.json"
  mode=$(python3 -c "import json; print(json.load(open('$out/$name.auto.json'))['mode'])")
  units=$(python3 -c "import json; print('; '.join(json.load(open('$out/$name.auto.json'))['units']))")
  echo "| $name | $(field "$t" "$t" harmonicity) | $mode | $(field "$t" "$out/auto/$name.champion.wav" err_bands) | $(field "$t" "$out/harmonic/$name.champion.wav" err_bands) | $units |"
done
