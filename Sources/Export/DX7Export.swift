import FMSynthesis
import Foundation

/// A DX7 32-voice cartridge (VMEM, 4104 bytes) for Dexed and other DX7s: voice 1 is the patch,
/// voices 2–32 Dexed's init voice. Facts: ../shared/docs/formats.md §4 and Dexed's msfa engine
/// (env.cc, dx7note.cc, fm_core.cc).
///
/// Six operators hold two units at most: algorithm 10 (OP3→OP2→OP1 cascade, OP5+OP6→OP4
/// parallel; its feedback, on OP3, is off) or algorithm 3 (OP3→OP2→OP1 and OP6→OP5→OP4). A
/// parallel unit with one index below 0.25 rad also fits a cascade slot as a two-operator stack.
/// The loudest representable units are kept. Ratios are coarse values (fine 0, detune centre);
/// a modulator's index I becomes its output level OL = 99 + 8·log2(I/4π) (msfa: gain
/// 2^(level/256 − 14), 1.0 = one cycle of phase) with its EG flat at 99, and a moving index
/// (dynamic FM) an EG fitted to its index envelope (DX7IndexFit); each carrier's envelope is
/// approximated by the DX7's four rates and levels (attack to the peak, decay to the sustain
/// level, held until key-up, release to silence). A moving pitch (the patch's PitchCurve) is
/// carried by the pitch EG, fitted to its glide, and the sine LFO's pitch modulation, fitted to
/// its vibrato (DX7Pitch). DX7Choice picks and polishes the voice the cartridge holds.
package enum DX7Export {
    package struct Operator {
        package var rates = [99, 99, 99, 99]
        package var levels = [99, 99, 99, 0]
        package var outputLevel = 0
        package var coarse = 1

        package init(rates: [Int] = [99, 99, 99, 99], levels: [Int] = [99, 99, 99, 0], outputLevel: Int = 0, coarse: Int = 1) {
            self.rates = rates; self.levels = levels; self.outputLevel = outputLevel; self.coarse = coarse
        }
    }

    package struct Voice {
        package var name: String
        package var algorithm: Int        // 1…32
        package var operators: [Operator] // OP1…OP6
        /// Seconds to hold the key (the release start of the envelopes).
        package var noteOff: Double
        package var midiNote: Int
        package var dropped: Int
        /// The pitch EG and the LFO's pitch modulation (DX7Pitch; flat without a pitch curve).
        package var pitch: DX7Pitch

        package init(name: String, algorithm: Int, operators: [Operator], noteOff: Double, midiNote: Int, dropped: Int,
                     pitch: DX7Pitch = .flat) {
            self.name = name; self.algorithm = algorithm; self.operators = operators
            self.noteOff = noteOff; self.midiNote = midiNote; self.dropped = dropped; self.pitch = pitch
        }
    }

    // MARK: msfa arithmetic

    /// scaleoutlevel (env.cc): levels ≥ 20 are 28 + x, lower ones a table.
    package static func scaleOutLevel(_ x: Int) -> Int {
        let lut = [0, 5, 9, 13, 17, 20, 23, 25, 27, 29, 31, 33, 35, 37, 39, 41, 42, 43, 45, 46]
        return x >= 20 ? 28 + x : lut[max(0, x)]
    }

    /// Output level for a modulation index in radians (0 when it is negligible).
    package static func outputLevel(index: Double) -> Int {
        guard index >= 0.013 else { return 0 }
        return min(99, max(20, Int((99 + 8 * log2(index / (4 * .pi))).rounded())))
    }

    /// The index a modulator at output level OL produces at EG level 99.
    package static func index(outputLevel ol: Int) -> Double {
        ol >= 20 ? 4 * .pi * pow(2, Double(ol - 99) / 8) : (ol == 0 ? 0 : 4 * .pi * pow(2, Double(scaleOutLevel(ol) - 127) / 8))
    }

    /// Log-domain speed of a rate (doublings per second): (4 + q mod 4)·2^⌊q/4⌋ steps of 2⁻¹⁶
    /// doublings every 64 samples at 44.1 kHz, q = ⌊41·R/64⌋.
    package static func speed(rate: Int) -> Double {
        let q = min(63, (rate * 41) >> 6)            // (Swift: >> binds tighter than *)
        return Double(4 + q % 4) * pow(2, Double(q / 4)) * (44100.0 / 64) / 65536
    }

    /// Attack from silence to full scale takes about 1.8587 / speed(R) seconds (msfa's rising
    /// segment: a jump to −50 dB, then steps shrinking as the level rises).
    static func rate(forAttack seconds: Double) -> Int {
        (0...99).min { abs(1.8587 / speed(rate: $0) - seconds) < abs(1.8587 / speed(rate: $1) - seconds) }!
    }

    /// Decays are linear in dB: `doublings` take doublings / speed(R) seconds.
    static func rate(forDecay seconds: Double, doublings: Double) -> Int {
        guard doublings > 0, seconds > 0 else { return 99 }
        return (0...99).min { abs(doublings / speed(rate: $0) - seconds) < abs(doublings / speed(rate: $1) - seconds) }!
    }

    /// EG level for an amplitude ratio ρ ≤ 1 relative to level 99: the level whose amplitude,
    /// 2^(⌊scaleoutlevel(L)/2⌋/4 − 63/4) (steps of 1/4 doubling, two levels a step above 20, the
    /// table below), is nearest ρ in the log domain (the lowest of equals).
    package static func level(ratio: Double) -> Int {
        guard ratio > 0 else { return 0 }
        let target = 4 * log2(min(ratio, 1))                        // quarter doublings below level 99
        return (0...99).min { abs(Double(scaleOutLevel($0) / 2 - 63) - target) < abs(Double(scaleOutLevel($1) / 2 - 63) - target) }!
    }

    /// Carrier output level for a peak amplitude (Dexed: one carrier at OL 99, EG 99 peaks at 1.0,
    /// i.e. amplitude 2^(level/256 − 15) with level = 4032 + 32·scaleoutlevel(OL) − 4256): the
    /// output level nearest the peak in the log domain (steps of 1/8 doubling above 20, the table
    /// below).
    package static func carrierLevel(peak: Double) -> Int {
        let target = 8 * (log2(max(peak, 1e-9)) + 15) + 7          // scaleoutlevel wanted, in eighths
        return (0...99).min { abs(Double(scaleOutLevel($0)) - target) < abs(Double(scaleOutLevel($1)) - target) }!
    }

    // MARK: the voice

    /// A unit placed in a slot: its index in the patch, its form (a parallel unit reduced to a
    /// two-operator stack keeps one modulator) and the index envelopes of that form.
    typealias Placed = (j: Int, unit: FMUnit, modulation: IndexEnvelopes)

    /// The voice for a patch already chosen by DX7Mapping (unit 1 in the cascade slot, unit 2 on
    /// OP4–OP6), or else for the loudest representable units of any patch.
    package static func voice(_ file: PatchFile, mapped: Bool = false) -> Voice {
        let patch = file.patch()
        if mapped && patch.units.count == 3 { return stacks(patch, file: file) }
        if mapped {
            return voice(patch, file: file, cascade: (0, patch.units[0], patch.modulation(0)),
                         second: patch.units.count > 1 ? (1, patch.units[1], patch.modulation(1)) : nil)
        }
        let order = NornsExport.byLoudness(patch)
        // a parallel unit whose weaker index (its peak, when it moves) is small is a two-operator
        // stack: it fits a cascade slot
        func asCascade(_ j: Int) -> Placed? {
            let u = patch.units[j], m = patch.modulation(j)
            if u.topology == .cascade { return (j, u, m) }
            let none = Envelope(times: [0], values: [0])
            var v = u
            var n = m
            if m.index2.peak <= 0.25 { v.index2 = 0; n.index2 = none } else if m.index1.peak <= 0.25 {
                (v.modulator1, v.index1) = (u.modulator2, u.index2); v.index2 = 0
                n = IndexEnvelopes(index1: m.index2, index2: none)
            } else { return nil }
            v.topology = .cascade
            return (j, v, n)
        }
        var cascade: Placed?, second: Placed?
        for j in order {
            let u = patch.units[j]
            if cascade == nil, let c = asCascade(j) { cascade = c; continue }
            if second == nil && (u.topology == .parallel || asCascade(j) != nil) { second = (j, u, patch.modulation(j)) }
        }
        return voice(patch, file: file, cascade: cascade, second: second)
    }

    /// The key is released where the loudest unit's sound starts its release (ADSR).
    static func noteOff(_ patch: Patch, duration: Double) -> Double {
        let loudest = NornsExport.byLoudness(patch).first ?? 0
        return max(0.01, ADSR(patch.envelopes[loudest], duration: duration).releaseStart)
    }

    /// The note's loudness: every unit's envelope summed, on the first envelope's breakpoints.
    package static func loudness(_ patch: Patch) -> Envelope {
        let times = patch.envelopes[0].times
        return Envelope(times: times, values: times.map { t in patch.envelopes.reduce(0) { $0 + $1.value(at: t) } })
    }

    /// A modulator operator: its EG fitted to the index envelope (DX7IndexFit; a fixed index gets
    /// OL = 99 + 8·log2(I/4π) with the EG flat at 99).
    static func modulator(_ index: Envelope, ratio: Int32, amplitude: Envelope, loudness: Envelope,
                          duration: Double, noteOff: Double) -> Operator {
        let eg = DX7Envelope.fitIndex(index, amplitude: amplitude, loudness: loudness, duration: duration, noteOff: noteOff)
        return Operator(rates: eg.rates, levels: eg.levels, outputLevel: eg.outputLevel, coarse: Int(ratio))
    }

    static func voice(_ patch: Patch, file: PatchFile, cascade: Placed?, second: Placed?) -> Voice {
        var ops = [Operator](repeating: Operator(), count: 6)
        var algorithm = 10
        var used = [Int]()
        let noteOff = noteOff(patch, duration: file.duration)
        let loudness = loudness(patch)
        func place(_ p: Placed, carrier op: Int) {
            let eg = DX7Envelope.fit(patch.envelopes[p.j], loudness: loudness, duration: file.duration, noteOff: noteOff)
            ops[op] = Operator(rates: eg.rates, levels: eg.levels, outputLevel: eg.outputLevel, coarse: Int(p.unit.carrier))
            for (k, index) in [(1, p.modulation.index1), (2, p.modulation.index2)] {
                ops[op + k] = modulator(index, ratio: k == 1 ? p.unit.modulator1 : p.unit.modulator2, amplitude: patch.envelopes[p.j],
                                        loudness: loudness, duration: file.duration, noteOff: noteOff)
            }
            used.append(p.j)
        }
        if let c = cascade { place(c, carrier: 0) }                 // OP1 ← OP2 ← OP3
        if let s = second {
            place(s, carrier: 3)                                    // OP4 ← OP5 (+ OP6)
            algorithm = s.unit.topology == .parallel ? 10 : 3       // 10: OP5+OP6→OP4; 3: OP6→OP5→OP4
        }
        let note = Int((69 + 12 * log2(file.f0 / 440)).rounded())
        return Voice(name: file.name, algorithm: algorithm, operators: ops, noteOff: noteOff,
                     midiNote: min(127, max(0, note)), dropped: patch.units.count - used.count,
                     pitch: DX7Pitch.fit(patch, duration: file.duration, noteOff: noteOff))
    }

    /// Three units as two-operator stacks, algorithm 5: OP2→OP1, OP4→OP3, OP6→OP5 (the feedback,
    /// on OP6, off).
    static func stacks(_ patch: Patch, file: PatchFile) -> Voice {
        var ops = [Operator](repeating: Operator(), count: 6)
        let loudness = loudness(patch)
        let noteOff = noteOff(patch, duration: file.duration)
        for (k, u) in patch.units.enumerated() {
            let eg = DX7Envelope.fit(patch.envelopes[k], loudness: loudness, duration: file.duration, noteOff: noteOff)
            ops[2 * k] = Operator(rates: eg.rates, levels: eg.levels, outputLevel: eg.outputLevel, coarse: Int(u.carrier))
            ops[2 * k + 1] = modulator(patch.modulation(k).index1, ratio: u.modulator1, amplitude: patch.envelopes[k],
                                       loudness: loudness, duration: file.duration, noteOff: noteOff)
        }
        let note = Int((69 + 12 * log2(file.f0 / 440)).rounded())
        return Voice(name: file.name, algorithm: 5, operators: ops, noteOff: noteOff, midiNote: min(127, max(0, note)), dropped: 0,
                     pitch: DX7Pitch.fit(patch, duration: file.duration, noteOff: noteOff))
    }

    // MARK: bytes

    /// The 128-byte packed voice (Dexed Cartridge::packProgram): OP6 first, 17 bytes an operator.
    package static func packed(_ v: Voice) -> [UInt8] {
        var b = [UInt8]()
        for op in v.operators.reversed() {
            b += op.rates.map(UInt8.init) + op.levels.map(UInt8.init)
            b += [0, 0, 0]                          // break point, left and right depth
            b += [0]                                // left | right curve
            b += [UInt8(7 << 3)]                    // rate scaling 0 | detune 7 (centre)
            b += [0]                                // AMS 0 | key velocity sensitivity 0
            b += [UInt8(op.outputLevel)]
            b += [UInt8(op.coarse << 1)]            // ratio mode | coarse
            b += [0]                                // fine
        }
        let pitch = v.pitch.envelope, lfo = v.pitch.lfo
        b += (pitch.rates + pitch.levels).map(UInt8.init)   // pitch EG R1–R4, L1–L4 (flat: 99s, 50s)
        b += [UInt8(v.algorithm - 1)]
        b += [UInt8(1 << 3)]                        // feedback 0 | oscillator key sync (phases from 0)
        b += [lfo.speed, lfo.delay, lfo.pmd, 0].map(UInt8.init)            // LFO speed, delay, pitch and amp depth
        b += [UInt8((lfo.sync ? 1 : 0) | lfo.wave << 1 | lfo.pms << 4)]  // LFO sync | wave | pitch-mod sensitivity
        b += [24]                                   // transpose: none
        b += name(v.name)
        return b
    }

    /// Dexed's init voice (PluginData resetToInitVoice): OP1 at output level 99, others off.
    package static func initVoice() -> [UInt8] {
        var ops = [Operator](repeating: Operator(), count: 6)
        ops[0].outputLevel = 99
        var b = packed(Voice(name: "INIT VOICE", algorithm: 1, operators: ops, noteOff: 0, midiNote: 60, dropped: 0))
        b[116] = 1 | (3 << 4)                       // the init voice's pitch-mod sensitivity is 3
        return b
    }

    static func name(_ s: String) -> [UInt8] {
        let ascii = s.uppercased().unicodeScalars.map { $0.value >= 32 && $0.value < 127 ? UInt8($0.value) : UInt8(32) }
        return Array((ascii + [UInt8](repeating: 32, count: 10)).prefix(10))
    }

    /// The 4104-byte cartridge: F0 43 00 09 20 00, 32 × 128 bytes, checksum (−Σ data) & 0x7F, F7.
    package static func cartridge(_ v: Voice) -> [UInt8] {
        var data = packed(v)
        let init_ = initVoice()
        for _ in 1..<32 { data += init_ }
        let sum = data.reduce(0) { $0 &+ Int($1) }
        return [0xF0, 0x43, 0x00, 0x09, 0x20, 0x00] + data + [UInt8((-sum) & 0x7F), 0xF7]
    }
}
