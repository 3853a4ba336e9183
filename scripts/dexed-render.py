"""Renders voice N of a DX7 cartridge with Dexed's engine through dexed-py (GPL; run it with the
test-only virtualenv's python, .venv-dexed/bin/python, never linked into fmevolve).
Usage: dexed-render.py CARTRIDGE.syx NOTE.json OUT.wav  (NOTE.json: the .syx.json fmevolve writes:
voice, midi_note, note_off_s, duration_s). Writes 16-bit mono WAV at 44.1 kHz."""
import json
import sys
import wave

import numpy as np
from dexed import DexedSynth, Patch

cartridge, note, out = sys.argv[1:4]
m = json.load(open(note))
synth = DexedSynth(sample_rate=44100)
synth.load_patch(Patch.load_bank(cartridge)[m["voice"] - 1])
a = synth.render(midi_note=m["midi_note"], velocity=100, note_duration=m["note_off_s"], render_duration=m["duration_s"])
with wave.open(out, "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(44100)
    w.writeframes((np.clip(a, -1, 1) * 32767).astype("<i2").tobytes())
