#!/bin/bash
# Issue-4 figures on a 10 s recording: analysis time (fmevolve bench) and the peak memory of an
# evolve run with population 1000 (GNU time's maximum resident set size).
# The 10 s note is the trumpet target played five times in a row (made with numpy/scipy).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
python3 - "$tmp/ten.wav" <<'PY'
import sys
import numpy as np
from scipy.io import wavfile
sr, x = wavfile.read("targets/trumpet-A4.wav")
wavfile.write(sys.argv[1], sr, np.concatenate([x] * 5))
PY
bin=.build/release/fmevolve
$bin bench --target "$tmp/ten.wav" --seconds 2 | grep -E "target|analysis"
/usr/bin/time -v $bin evolve "$tmp/ten.wav" --population 1000 --generations 60 --db "$tmp/ten.sqlite" --quiet 2> "$tmp/time.txt" > /dev/null
grep -E "Maximum resident|Elapsed" "$tmp/time.txt"
rm -rf "$tmp"
