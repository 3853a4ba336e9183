import Analysis
import Evolution
import FMSynthesis
import Foundation

/// The spectral error of a DX7 voice as Dexed plays it, without rendering, and a search of its
/// operators' envelope generators that lowers it.
///
/// The model: each unit's carrier amplitude a(t) and modulator indices I(t) are what the EGs
/// play (DX7Playback, msfa env.cc); the analysis sees a frame as the Hann-weighted mean over its
/// window, so frame t holds ā_j(t)·s_j(Ī_j(t)), with ā and Ī the window means of the EG outputs
/// (sampled at the EG's 64-sample blocks) and s_j the unit's signed spectrum (UnitSpectrum; all
/// operators start at phase 0: the voice syncs its oscillators to the key). Harmonic k is
/// |Σ_j ā_j s_jk| and the error is Horner's relative spectral error over the active frames, as
/// TargetAnalysis.relativeSpectralError measures a render. For the EGs of the 60 s trumpet and
/// clarinet champions the model is within 0.005 of fmscore's err of Dexed's render.
package final class DX7VoiceModel: @unchecked Sendable {   // immutable; one workspace per concurrent chunk
    let analysis: TargetAnalysis
    let duration: Double
    let K: Int
    /// Active frames.
    let frames: [Int]
    /// Per active frame: the first EG block in its window and the blocks' normalised Hann weights.
    let windows: [(first: Int, weights: [Double])]
    let blockTimes: [Double]
    let floor: Double
    /// One per core: spectra are computed in parallel over the frames.
    let workspaces = (0..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map { _ in
        SpectrumWorkspace(maxIndex: 4 * .pi * 1.01, maxHarmonics: AnalysisSettings.maxHarmonics)
    }

    package init(analysis: TargetAnalysis, duration: Double) {
        self.analysis = analysis
        self.duration = duration
        let K = analysis.harmonicCount
        self.K = K
        let frames = (0..<analysis.frameCount).filter { analysis.active[$0] }
        self.frames = frames
        let block = DX7Envelope.blockSeconds, sr = Double(analysis.sampleRate)
        let half = Double(analysis.parameters.window) / 2 / sr
        let blockTimes = (0..<(Int(duration / block) + 2)).map { Double($0) * block }
        self.blockTimes = blockTimes
        windows = frames.map { t in
            // the blocks within the frame's window; those before the note or after its end are
            // silent (the render is 0 there): their weight counts, with value 0
            let centre = analysis.frameTime(t)
            let lo = Int(((centre - half) / block).rounded(.up)), hi = Int(((centre + half) / block).rounded(.down))
            var w = [Double](), total = 0.0
            for b in lo...max(lo, hi) {
                let x = 0.5 + 0.5 * cos(.pi * (Double(b) * block - centre) / half)
                total += x
                if b >= 0 && b < blockTimes.count && Double(b) * block < duration { w.append(x) }
            }
            return (max(0, lo), w.map { $0 / max(total, 1e-300) })
        }
        var dens = [Double]()
        for t in frames {
            var d = 0.0
            for k in 0..<K { d += analysis.amplitudes[t * K + k] * analysis.amplitudes[t * K + k] }
            dens.append(d)
        }
        let floor = max(dens.max() ?? 0, 1e-300) * AnalysisSettings.denominatorFloor
        self.floor = floor
        denominators = dens.map { max($0, floor) }
    }

    let denominators: [Double]

    /// Window means of an EG's output (per active frame).
    func means(_ e: DX7Envelope, noteOff: Double, scale: Double = 1) -> [Double] {
        let a = e.amplitudes(at: blockTimes, noteOff: noteOff)
        return windows.map { w in
            var s = 0.0
            for (i, x) in w.weights.enumerated() where w.first + i < a.count { s += x * a[w.first + i] }
            return s * scale
        }
    }

    /// Frame-major spectra (active frames × K) of a unit whose indices are i1, i2 per frame; the
    /// frames are shared among the cores (a workspace each). With `previous` (the same unit's
    /// spectra at other indices) only the frames whose indices differ are computed.
    func spectra(_ u: FMUnit, i1: [Double], i2: [Double], previous: (spectra: [Double], i1: [Double], i2: [Double])? = nil) -> [Double] {
        var out = previous?.spectra ?? [Double](repeating: 0, count: frames.count * K)
        let n = frames.count, K = K, chunks = workspaces.count
        out.withUnsafeMutableBufferPointer { o in
            let output = Output(pointer: o.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let base = output.pointer
                var v = u
                let range = (c * n / chunks)..<((c + 1) * n / chunks)
                for f in range {
                    if let p = previous, p.i1[f] == i1[f] && p.i2[f] == i2[f] { continue }     // unchanged
                    if f > range.lowerBound && i1[f] == i1[f - 1] && i2[f] == i2[f - 1] {   // a held index: the same spectrum
                        for k in 0..<K { base[f * K + k] = base[(f - 1) * K + k] }
                        continue
                    }
                    v.index1 = min(i1[f], workspaces[c].maxIndex); v.index2 = min(i2[f], workspaces[c].maxIndex)
                    UnitSpectrum.compute(v, harmonics: K, into: UnsafeMutableBufferPointer(start: base + f * K, count: K),
                                         workspace: workspaces[c])
                }
            }
        }
        return out
    }

    /// The spectra's buffer, written by the chunks in disjoint ranges.
    struct Output: @unchecked Sendable { var pointer: UnsafeMutablePointer<Double> }

    /// The relative spectral error of units with per-frame amplitudes and spectra.
    func error(amplitudes: [[Double]], spectra: [[Double]]) -> Double {
        var sum = 0.0
        for (f, t) in frames.enumerated() {
            var num = 0.0
            for k in 0..<K {
                var m = 0.0
                for j in amplitudes.indices { m += amplitudes[j][f] * spectra[j][f * K + k] }
                let d = analysis.amplitudes[t * K + k] - abs(m)
                num += d * d
            }
            sum += (num / denominators[f]).squareRoot()
        }
        return sum / Double(max(1, frames.count))
    }
}

package enum DX7VoiceFit {
    /// One unit's state in the search: its carrier amplitudes and spectra per active frame.
    struct UnitState {
        var slot: DX7Playback.Slot
        var unit: FMUnit
        var amplitudes: [Double]
        /// Per frame: the window means of the modulators' indices (the second 0 for a stack).
        var i1: [Double]
        var i2: [Double]
        var spectra: [Double]
    }

    static func state(_ v: DX7Export.Voice, model: DX7VoiceModel) -> [UnitState] {
        DX7Playback.units(v).map { slot, u in
            let i = slot.modulators.map { model.means(DX7Playback.envelope(v.operators[$0]), noteOff: v.noteOff, scale: 4 * .pi) }
            let zero = [Double](repeating: 0, count: model.frames.count)
            let i2 = i.count > 1 ? i[1] : zero
            return UnitState(slot: slot, unit: u,
                             amplitudes: model.means(DX7Playback.envelope(v.operators[slot.carrier]), noteOff: v.noteOff),
                             i1: i[0], i2: i2, spectra: model.spectra(u, i1: i[0], i2: i2))
        }
    }

    /// The model's error of a voice.
    package static func error(_ v: DX7Export.Voice, model: DX7VoiceModel) -> Double {
        let s = state(v, model: model)
        return model.error(amplitudes: s.map(\.amplitudes), spectra: s.map(\.spectra))
    }

    /// The operator after move `value` of `parameter`: 0 the output level, 1–4 L1–L4, 5–8 R1–R4
    /// (set to `value`), 9 the frequency ratio (coarse 1–31), 10 L1–L3 together (shifted by
    /// `value`: the loudness, or the depth of the index, with the shape kept), 11 the peak alone
    /// (OL + 2·`value`, L2 and L3 − 2·`value`: 2 output levels = 2 EG levels = 1/4 doubling).
    static func moved(_ o: DX7Export.Operator, parameter: Int, value: Int) -> DX7Export.Operator? {
        var m = o
        switch parameter {
        case 0: m.outputLevel = value
        case 1...4: m.levels[parameter - 1] = value
        case 5...8: m.rates[parameter - 5] = value
        case 9:
            guard (1...31).contains(value) else { return nil }
            m.coarse = value
        case 10: for i in 0..<3 { m.levels[i] = min(99, max(0, o.levels[i] + value)) }
        default:
            m.outputLevel = min(99, max(1, o.outputLevel + 2 * value))
            for i in 1..<3 { m.levels[i] = min(99, max(0, o.levels[i] - 2 * value)) }
        }
        guard (0...99).contains(m.outputLevel), m.levels.allSatisfy((0...99).contains), m.rates.allSatisfy((0...99).contains),
              m.rates != o.rates || m.levels != o.levels || m.outputLevel != o.outputLevel || m.coarse != o.coarse else { return nil }
        return m
    }

    /// The polish: a coordinate search (climb) from the voice, then `rounds` of iterated local
    /// search — three random moves of random operators' parameters (±3…±20; a fixed seed, so the
    /// export is repeatable), climbed again, kept when the error is lower.
    package static func polish(_ voice: DX7Export.Voice, model: DX7VoiceModel, rounds: Int = 12) -> (voice: DX7Export.Voice, err: Double) {
        var best = climb(voice, model: model)
        var random = Xoshiro256(seed: 7)
        for _ in 0..<rounds {
            var v = best.voice
            let slots = DX7Playback.units(v).map(\.slot)
            let ops = slots.flatMap { [$0.carrier] + $0.modulators }, carriers = Set(slots.map(\.carrier))
            for _ in 0..<3 {
                let op = ops[Int(random.next() % UInt64(ops.count))]
                let parameter = Int(random.next() % 9)
                let o = v.operators[op]
                let current = parameter == 0 ? o.outputLevel : parameter <= 4 ? o.levels[parameter - 1] : o.rates[parameter - 5]
                let step = (3 + Int(random.next() % 18)) * (random.next() % 2 == 0 ? -1 : 1)
                if let m = moved(o, parameter: parameter, value: min(99, max(parameter == 0 && carriers.contains(op) ? 1 : 0, current + step))) {
                    v.operators[op] = m
                }
            }
            let trial = climb(v, model: model)
            if trial.err < best.err { best = trial }
        }
        return best
    }

    /// Coordinate search of every sounding unit's operators on the model's error: for each
    /// operator and parameter (DX7VoiceFit.moved) the best of its moves — ±1, 2, 3, 5, 8, 13, 21,
    /// 34 for levels and rates, ±1, 2 for the ratio and ±1…±4 for the compound moves — is taken
    /// when it lowers the error, and so is the best move of the note-off (±1…±32 blocks: one key
    /// releases every operator), until a sweep improves nothing or `sweeps` have run. The
    /// algorithm stays; a carrier never goes silent.
    static func climb(_ voice: DX7Export.Voice, model: DX7VoiceModel, sweeps: Int = 40) -> (voice: DX7Export.Voice, err: Double) {
        var v = voice
        var units = state(v, model: model)
        func total(_ u: [UnitState]) -> Double { model.error(amplitudes: u.map(\.amplitudes), spectra: u.map(\.spectra)) }
        var best = total(units)
        let steps: [Int] = [1, 2, 3, 5, 8, 13, 21, 34].flatMap { s -> [Int] in [-s, s] }
        for _ in 0..<sweeps {
            var improved = false
            for j in units.indices {
                for op in [units[j].slot.carrier] + units[j].slot.modulators {
                    for parameter in 0..<12 {
                        let o = v.operators[op]
                        let values: [Int]
                        switch parameter {
                        case 0: values = steps.map { o.outputLevel + $0 }
                        case 1...4: values = steps.map { o.levels[parameter - 1] + $0 }
                        case 5...8: values = steps.map { o.rates[parameter - 5] + $0 }
                        case 9: values = [-2, -1, 1, 2].map { o.coarse + $0 }
                        default: values = [-4, -3, -2, -1, 1, 2, 3, 4]
                        }
                        var choice: (DX7Export.Operator, Double, UnitState)?
                        for value in values {
                            guard let m = moved(o, parameter: parameter, value: value),
                                  !(op == units[j].slot.carrier && m.outputLevel == 0) else { continue }
                            var trial = units
                            trial[j] = updated(units[j], op: op, operator: m, voice: v, model: model)
                            let e = total(trial)
                            if e < (choice?.1 ?? best) { choice = (m, e, trial[j]) }
                        }
                        if let (m, e, state) = choice {
                            v.operators[op] = m
                            units[j] = state
                            best = e
                            improved = true
                        }
                    }
                }
            }
            var release: (DX7Export.Voice, Double, [UnitState])?
            for blocks in [-32, -16, -8, -4, -2, -1, 1, 2, 4, 8, 16, 32] {
                var w = v
                w.noteOff = min(model.duration, max(0.01, v.noteOff + Double(blocks) * DX7Envelope.blockSeconds))
                guard w.noteOff != v.noteOff else { continue }
                let s = state(w, model: model)
                let e = total(s)
                if e < (release?.1 ?? best) { release = (w, e, s) }
            }
            if let (w, e, s) = release { v = w; units = s; best = e; improved = true }
            if !improved { break }
        }
        return (v, best)
    }

    /// A unit's state with one operator replaced.
    static func updated(_ s: UnitState, op: Int, operator o: DX7Export.Operator, voice: DX7Export.Voice,
                        model: DX7VoiceModel) -> UnitState {
        var next = s
        var ops = voice.operators
        ops[op] = o
        if op == s.slot.carrier {
            next.amplitudes = model.means(DX7Playback.envelope(o), noteOff: voice.noteOff)
            if o.coarse == voice.operators[op].coarse { return next }
        }
        let i = s.slot.modulators.map { model.means(DX7Playback.envelope(ops[$0]), noteOff: voice.noteOff, scale: 4 * .pi) }
        var u = s.unit
        u.carrier = Int32(ops[s.slot.carrier].coarse)
        u.modulator1 = Int32(ops[s.slot.modulators[0]].coarse)
        u.index1 = DX7Playback.fullScale(ops[s.slot.modulators[0]])
        if s.slot.modulators.count > 1 {
            u.modulator2 = Int32(ops[s.slot.modulators[1]].coarse)
            u.index2 = DX7Playback.fullScale(ops[s.slot.modulators[1]])
        }
        next.unit = u
        next.i1 = i[0]
        next.i2 = i.count > 1 ? i[1] : s.i2
        let sameRatios = u.carrier == s.unit.carrier && u.modulator1 == s.unit.modulator1 && u.modulator2 == s.unit.modulator2
        next.spectra = model.spectra(u, i1: next.i1, i2: next.i2, previous: sameRatios ? (s.spectra, s.i1, s.i2) : nil)
        return next
    }
}
