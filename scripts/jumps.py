#!/usr/bin/env python3
"""Counts the jumps of a patch's envelopes: adjacent analysis frames between which a unit's
amplitude or index envelope changes by more than 30 % of that envelope's peak — what a listener
hears as a click or crackle. Pairs where the recording itself moves fast are excused: its attack
(before its harmonic norm first reaches half its largest), its release (after the norm last does)
and any pair within two frames of one where the norm moves by more than 30 % of its largest.
Only pairs of active frames count (fmscore's analysis, ../shared/tools/fmscore.py).

usage: scripts/jumps.py TARGET.wav PATCH.json [--json]"""
import json, os, sys
import numpy as np
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "shared", "tools"))
import fmscore  # noqa: E402

LIMIT = 0.3


def excused_pairs(target, f0):
    x, sr = fmscore.read_audio(target)
    b, rms = fmscore.harmonic_amplitudes(x, sr, f0)
    active = fmscore.active_frames(rms)
    norm = np.sqrt((b * b).sum(axis=1))
    half = np.nonzero(norm >= 0.5 * norm.max())[0]
    T = len(norm)
    ok = np.zeros(max(T - 1, 0), bool)                   # pair (t, t+1) counted
    for t in range(T - 1):
        ok[t] = active[t] and active[t + 1] and half[0] <= t and t + 1 <= half[-1]
    fast = np.abs(np.diff(norm)) > LIMIT * norm.max()
    for t in np.nonzero(fast)[0]:
        ok[max(0, t - 2):t + 3] = False
    return ok, T


def count(patch, ok, T):
    hop = patch["analysis"]["hop"] / patch["sample_rate"]
    times = np.arange(T) * hop
    out = []
    for u in patch["units"]:
        row = {}
        curves = {"amplitude": u["envelope"]}
        for key in ("index1_envelope", "index2_envelope"):
            if u.get(key):
                curves[key.replace("_envelope", "")] = u[key]
        for name, pts in curves.items():
            p = np.array(pts)
            v = np.interp(times, p[:, 0], p[:, 1])
            peak = v.max()
            jumps = np.abs(np.diff(v)) > LIMIT * peak if peak > 0 else np.zeros(T - 1, bool)
            row[name] = int((jumps & ok[:T - 1]).sum())
        out.append(row)
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    patch = json.load(open(args[1]))
    ok, T = excused_pairs(args[0], patch["f0"])
    rows = count(patch, ok, T)
    total = sum(sum(r.values()) for r in rows)
    if "--json" in sys.argv:
        print(json.dumps({"jumps": total, "units": rows}))
    else:
        for i, r in enumerate(rows):
            print(f"unit {i + 1}: " + ", ".join(f"{k} {v}" for k, v in r.items()))
        print(f"jumps {total}")


if __name__ == "__main__":
    main()
