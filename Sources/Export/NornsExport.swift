import FMSynthesis
import Foundation

/// norns presets (.pset): `-- name` then one `"id": value` per line (monome/norns paramset.lua;
/// unknown ids are ignored and values are clamped to each param's controlspec, so a partial
/// preset is valid). Facts and ranges: ../shared/docs/formats.md, section 1.
package enum NornsExport {
    /// FM7 engine param ranges (lib/fm7.lua): hzN 1–32 (ratio), ampN 0–1, phaseN 0–2π,
    /// hzJ_to_hzI 0–2π (op J modulates op I, radians), carrierN 0–1, opAmpA 0.01–10 s,
    /// opAmpD 0–2 s, opAmpS 0–1, opAmpR 0.01–10 s.
    static let ranges: [String: ClosedRange<Double>] = [
        "hz": 1...32, "amp": 0...1, "phase": 0...(2 * .pi), "to": 0...(2 * .pi), "carrier": 0...1,
        "opAmpA": 0.01...10, "opAmpD": 0...2, "opAmpS": 0...1, "opAmpR": 0.01...10,
    ]

    /// An FM7 operator's envelope: Env.adsr(A, D, S, R) (levels 0, 1, S, 0; curve −4, not a param),
    /// its gate falling at note-off (Engine_FM7.sc; formats.md §1).
    package struct OperatorEnvelope: Equatable {
        package var attack: Double
        package var decay: Double
        package var sustain: Double
        package var release: Double

        package init(attack: Double, decay: Double, sustain: Double, release: Double) {
            self.attack = attack; self.decay = decay; self.sustain = sustain; self.release = release
        }

        /// A modulator that holds its index: at full scale after 10 ms, 10 s to fade after note-off.
        package static let held = OperatorEnvelope(attack: 0.01, decay: 0, sustain: 1, release: 10)
    }

    /// A modulator in the preset: the matrix amount (rad) its envelope scales.
    package struct Modulator: Equatable {
        package var amount: Double
        package var envelope: OperatorEnvelope
    }

    /// What the FM7 preset approximates, for the user.
    struct FM7Preset {
        var text: String
        /// Units that did not fit (FM7 has 6 operators: 2 units of 3).
        var dropped: Int
        /// Indices clamped to 2π.
        var clampedIndices: Int
        /// Per used unit: the unit, its carrier's ADSR and amp, its two modulators (amount before
        /// clamping), for renderers of the mapping.
        var units: [(unit: FMUnit, adsr: ADSR, amp: Double, modulators: [Modulator])]
        /// When the gate falls (s): the latest release start of the used carriers.
        var gate: Double
    }

    /// Units by loudness (envelope energy), loudest first.
    static func byLoudness(_ patch: Patch) -> [Int] {
        let energy = patch.envelopes.map { e in e.values.reduce(0) { $0 + $1 * $1 } }
        return patch.units.indices.sorted { energy[$0] > energy[$1] || (energy[$0] == energy[$1] && $0 < $1) }
    }

    /// The FM7 preset: the two loudest units on ops 1–3 and 4–6 (op 1/4 carrier, 2/5 modulator 1,
    /// 3/6 modulator 2). Parallel: hz2_to_hz1 = I1, hz3_to_hz1 = I2; cascade: hz3_to_hz2 = I2,
    /// hz2_to_hz1 = I1. Carriers get the unit's ADSR approximation and its peak as amp (scaled so
    /// that the loudest is 1 if any exceeds 1); modulators are not carriers, amp 1, their index
    /// the matrix amount times their envelope: held for a fixed index, fitted to a moving one
    /// (FM7IndexFit).
    static func fm7(_ file: PatchFile) -> FM7Preset {
        let patch = file.patch()
        let order = byLoudness(patch)
        let used = Array(order.prefix(2))
        let adsrs = used.map { ADSR(patch.envelopes[$0], duration: file.duration) }
        let gate = min(max(adsrs.map(\.releaseStart).max() ?? file.duration, 0.001), file.duration)
        let scale = 1 / max(1, adsrs.map(\.peak).max() ?? 1)
        let loudness = DX7Export.loudness(patch)
        var values = [(String, Double)]()
        var clamped = 0
        var mods = [[Modulator]]()
        func index(_ i: Double, peak: Double) -> Double {
            if peak > 2 * .pi { clamped += 1 }
            return min(i, 2 * .pi)
        }
        func envelope(_ op: Int, _ e: OperatorEnvelope) {
            values.append(("opAmpA\(op)", e.attack)); values.append(("opAmpD\(op)", e.decay))
            values.append(("opAmpS\(op)", e.sustain)); values.append(("opAmpR\(op)", e.release))
        }
        for op in 1...6 { values.append(("carrier\(op)", 0)) }
        for (slot, j) in used.enumerated() {
            let u = patch.units[j], m = patch.modulation(j)
            let c = 3 * slot + 1, m1 = c + 1, m2 = c + 2
            let modulators = [m.index1, m.index2].map {
                FM7IndexFit.fit($0, amplitude: patch.envelopes[j], loudness: loudness, gate: gate, duration: file.duration)
            }
            mods.append(modulators)
            values.append(("hz\(c)", Double(u.carrier)))
            values.append(("hz\(m1)", Double(u.modulator1)))
            values.append(("hz\(m2)", Double(u.modulator2)))
            values.append(("carrier\(c)", 1))
            values.append(("amp\(c)", adsrs[slot].peak * scale))
            values.append(("amp\(m1)", 1)); values.append(("amp\(m2)", 1))
            if u.topology == .parallel {
                values.append(("hz\(m1)_to_hz\(c)", index(modulators[0].amount, peak: m.index1.peak)))
                values.append(("hz\(m2)_to_hz\(c)", index(modulators[1].amount, peak: m.index2.peak)))
            } else {
                values.append(("hz\(m2)_to_hz\(m1)", index(modulators[1].amount, peak: m.index2.peak)))
                values.append(("hz\(m1)_to_hz\(c)", index(modulators[0].amount, peak: m.index1.peak)))
            }
            let a = adsrs[slot]
            envelope(c, OperatorEnvelope(attack: a.attack, decay: a.decay, sustain: a.sustain, release: a.release))
            envelope(m1, modulators[0].envelope)
            envelope(m2, modulators[1].envelope)
        }
        for op in 1...6 { values.append(("phase\(op)", 0)) }
        // carriers first listed as 0 are overwritten by the later entries: keep the last value
        var seen = Set<String>(), lines = [String]()
        for (id, v) in values.reversed() where seen.insert(id).inserted { lines.append("\"\(id)\": \(number(clamp(id, v)))") }
        let text = "-- \(file.name) (fmevolve)\n" + lines.reversed().joined(separator: "\n") + "\n"
        return FM7Preset(text: text, dropped: patch.units.count - used.count, clampedIndices: clamped,
                         units: used.indices.map { (patch.units[used[$0]], adsrs[$0], adsrs[$0].peak * scale, mods[$0]) },
                         gate: gate)
    }

    /// Passersby (markwheeler/passersby) is one parallel double-modulator FM voice on the note's
    /// fundamental: it fits a parallel unit with carrier 1, a modulator at ratio 1 (fm_low_ratio
    /// 0.1–1) and one at 1–10 (fm_high_ratio). Its modulation is frequency modulation with
    /// β1 = 22·fm_low_amount², β2 = 12·fm_high_amount²; a PM index I maps to β = I (same
    /// sideband magnitudes, modulator phase shifted by 90°). Nil when no unit fits.
    static func passersby(_ file: PatchFile) -> String? {
        let patch = file.patch()
        for j in byLoudness(patch) {
            var u = patch.units[j]
            guard u.topology == .parallel, u.carrier == 1 else { continue }
            if u.modulator1 != 1 && u.modulator2 == 1 {
                (u.modulator1, u.modulator2, u.index1, u.index2) = (u.modulator2, u.modulator1, u.index2, u.index1)
            }
            guard u.modulator1 == 1, (1...10).contains(Int(u.modulator2)), u.index1 <= 22, u.index2 <= 12 else { continue }
            let lines = [
                "\"wave_shape\": 0", "\"wave_folds\": 0", "\"peak\": 10000",
                "\"fm_low_ratio\": 1", "\"fm_high_ratio\": \(u.modulator2)",
                "\"fm_low_amount\": \(number((u.index1 / 22).squareRoot()))",
                "\"fm_high_amount\": \(number((u.index2 / 12).squareRoot()))",
            ] + vibrato(patch.pitch?.vibrato)
            return "-- \(file.name) (fmevolve, unit \(j + 1))\n" + lines.joined(separator: "\n") + "\n"
        }
        return nil
    }

    /// Passersby's LFO as the vibrato: a free-running triangle (its shapes are triangle, ramp,
    /// square and noise — no sine) at the vibrato's rate, whose "LFO > Frequency" amount a scales
    /// the pitch by midiratio(lfo·a·18) (Engine_Passersby.sc): ±18·a semitones, so a = depth/1800
    /// for the typical depth in cents. What is lost: the sine shape, the onset, the depth's and
    /// phase's drift, and the glide (Passersby has none within a note). No vibrato: the LFO off.
    static func vibrato(_ v: Vibrato?) -> [String] {
        guard let v else { return ["\"lfo_to_freq_amount\": 0"] }
        return ["\"lfo_shape\": 1", "\"lfo_freq\": \(number(min(max(v.rate, 0.001), 10)))",
                "\"lfo_to_freq_amount\": \(number(min(v.typicalDepth / 1800, 1)))"]
    }

    static func clamp(_ id: String, _ v: Double) -> Double {
        let key = id.contains("_to_") ? "to" : ranges.keys.filter { id.hasPrefix($0) }.max { $0.count < $1.count } ?? ""
        guard let r = ranges[key] else { return v }
        return min(max(v, r.lowerBound), r.upperBound)
    }

    /// The value the preset holds for `id` (clamped to the param's range, as written).
    static func presetValue(_ id: String, _ v: Double) -> Double {
        Double(number(clamp(id, v))) ?? clamp(id, v)
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e9 ? String(Int(v)) : String(format: "%.6g", v)
    }
}
