import FMSynthesis
import Foundation

/// How a DX7 voice moves its pitch: the pitch EG (DX7PitchEnvelope) plus the LFO's pitch
/// modulation (DX7LFO), added in Q24 octaves, i.e. in cents (msfa dx7note.cc Dx7Note::compute:
/// pitch_mod = PEG + LFO, added to every ratio-mode operator's log frequency), both stepped once
/// per 64-sample block at 44.1 kHz. The export fits the EG to a patch's glide and the LFO to its
/// vibrato; DX7Playback plays it back as a PitchCurve.
///
/// What a DX7 cannot keep: levels near the note's pitch are 37.5 cents apart; the EG has three
/// straight stages to L3, held while the key is down, then one back to L4 (the start) at key-up,
/// and no stage slower than 56 cents/s; the LFO has one rate (speeds about 2 % apart near 5 Hz),
/// one depth reached by a straight fade-in after a delay, and its phase is fixed by key sync
/// (−sin from key-on), not the vibrato's: a vibrato's drifting depth and phase are lost.
package struct DX7Pitch: Equatable, Sendable {
    package var envelope: DX7PitchEnvelope
    package var lfo: DX7LFO

    package init(envelope: DX7PitchEnvelope, lfo: DX7LFO) {
        self.envelope = envelope; self.lfo = lfo
    }

    /// The note's own pitch throughout (the bytes written before pitch curves).
    package static let flat = DX7Pitch(envelope: .flat, lfo: .off)

    /// The blocks through `duration` s (44.1 kHz, 64 samples).
    static func blocks(_ duration: Double) -> Int { DX7PitchEnvelope.Cost.blocks(duration: duration) }

    /// The blocks where the note sounds: its loudness (the units' envelopes summed) at a block's
    /// centre above −50 dB of its peak, fmscore's threshold for an active frame (all of them when
    /// it is silent).
    package static func sounding(_ loudness: Envelope, duration: Double) -> [Double] {
        let values = (0..<blocks(duration)).map { loudness.value(at: (Double($0) + 0.5) * DX7Envelope.blockSeconds) }
        let floor = (values.max() ?? 0) * pow(10, -50.0 / 20)
        let w = values.map { $0 > floor ? 1.0 : 0 }
        return w.contains(1) ? w : w.map { _ in 1 }
    }

    /// The DX7 pitch for a patch's pitch curve, counting the blocks where the patch sounds.
    package static func fit(_ patch: Patch, duration: Double, noteOff: Double) -> DX7Pitch {
        guard let curve = patch.pitch else { return .flat }
        return fit(curve, weight: sounding(DX7Export.loudness(patch), duration: duration), duration: duration, noteOff: noteOff)
    }

    /// The DX7 pitch nearest a pitch curve over the sounding blocks (`weight`, one a block): the
    /// EG fitted to the glide (DX7PitchEnvelope.fit), the LFO to the vibrato (fitLFO).
    package static func fit(_ curve: PitchCurve?, weight: [Double], duration: Double, noteOff: Double) -> DX7Pitch {
        guard let curve else { return .flat }
        let envelope = DX7PitchEnvelope.fit(curve.glide, weight: weight, duration: duration, noteOff: noteOff).envelope
        return DX7Pitch(envelope: envelope, lfo: curve.vibrato.map { fitLFO($0, weight: weight) } ?? .off)
    }

    /// The sine LFO for a vibrato, key sync on:
    /// - PMS and PMD whose peak deviation 1200·P·S/65536 cents is nearest the vibrato's typical
    ///   depth (the lowest PMS of equals: the finest steps);
    /// - the delay whose depth ramp (0 until the delay, then a straight fade-in) times that peak is
    ///   nearest the vibrato's depth D(t), RMS over the sounding blocks;
    /// - of the two speeds either side of the vibrato's rate (about 2 % apart near 5 Hz), the one
    ///   whose vibrato is nearer the wanted one, RMS cents over the sounding blocks: the LFO's
    ///   phase is fixed by key sync, and the farther speed can bring it nearer the vibrato's phase
    ///   over the note.
    package static func fitLFO(_ v: Vibrato, weight: [Double]) -> DX7LFO {
        let depth = v.typicalDepth
        var lfo = DX7LFO(speed: 0, delay: 0, pmd: 0, pms: 1)
        var bestDepth = Double.infinity
        for pms in 1...7 { for pmd in 0...99 {
            let d = abs(DX7LFO(speed: 0, delay: 0, pmd: pmd, pms: pms).peakCents - depth)
            if d < bestDepth - 1e-9 { bestDepth = d; lfo.pmd = pmd; lfo.pms = pms }
        } }
        let n = weight.count
        let centres = (0..<n).map { (Double($0) + 0.5) * DX7Envelope.blockSeconds }
        func rms(_ a: [Double], _ b: [Double]) -> Double {
            var s = 0.0, w = 0.0
            for i in 0..<n where weight[i] > 0 { s += weight[i] * (a[i] - b[i]) * (a[i] - b[i]); w += weight[i] }
            return (s / max(w, 1e-300)).squareRoot()
        }
        let wantedDepth = centres.map { $0 < v.onset ? 0 : v.depth.value(at: $0) }
        let peak = lfo.peakCents
        func argmin(_ values: [Int], _ cost: (Int) -> Double) -> Int {
            values.map { ($0, cost($0)) }.min { $0.1 < $1.1 }!.0
        }
        lfo.delay = argmin(Array(0...99)) { delay in
            var x = lfo
            x.delay = delay
            return rms(x.blockDepths(count: n).map { peak * Double($0) / 16_777_216 }, wantedDepth)
        }
        // the speeds either side of the rate (the table rises with the speed), up to 50 Hz (what
        // a patch file's vibrato may hold: speeds 98 and 99 are 50.2 and 50.9 Hz)
        let top = (0...99).last { DX7LFO.frequency(speed: $0) <= 50 }!
        let above = (0...top).first { DX7LFO.frequency(speed: $0) >= v.rate } ?? top
        let speeds = Array(Set([max(0, above - 1), above])).sorted()
        let wanted = centres.map { v.cents(at: $0) }
        lfo.speed = argmin(speeds) { speed in
            var x = lfo
            x.speed = speed
            return rms(x.blockCents(count: n), wanted)
        }
        return lfo
    }

    /// The pitch of each block (cents): EG plus LFO.
    package func blockCents(count blocks: Int, noteOff: Double) -> [Double] {
        zip(envelope.blockCents(count: blocks, noteOff: noteOff), lfo.blockCents(count: blocks)).map { $0 + $1 }
    }

    /// The RMS difference (cents) between what the voice plays and a pitch curve (nil: f0) over
    /// the sounding blocks (`weight`).
    package func rmsError(_ curve: PitchCurve?, weight: [Double], noteOff: Double) -> Double {
        let played = blockCents(count: weight.count, noteOff: noteOff)
        var s = 0.0, w = 0.0
        for i in weight.indices where weight[i] > 0 {
            let d = played[i] - (curve?.cents(at: (Double(i) + 0.5) * DX7Envelope.blockSeconds) ?? 0)
            s += weight[i] * d * d; w += weight[i]
        }
        return (s / max(w, 1e-300)).squareRoot()
    }

    /// The .syx.json's account of a voice's pitch: the pitch EG's rates and levels, the LFO (its
    /// bytes, rate in Hz, peak deviation in cents) and the RMS difference (cents) of what they play
    /// from the patch's pitch curve over the blocks where the patch sounds, EG alone and with the LFO.
    static func report(_ v: DX7Export.Voice, curve: PitchCurve, patch: Patch, duration: Double) -> [String: Any] {
        let weight = sounding(DX7Export.loudness(patch), duration: duration)
        let p = v.pitch, lfo = p.lfo
        let glideOnly = PitchCurve(glide: curve.glide)
        let egError = DX7Pitch(envelope: p.envelope, lfo: .off).rmsError(glideOnly, weight: weight, noteOff: v.noteOff)
        return ["eg_rates": p.envelope.rates, "eg_levels": p.envelope.levels,
                "lfo": ["speed": lfo.speed, "delay": lfo.delay, "pmd": lfo.pmd, "pms": lfo.pms, "wave": lfo.wave,
                        "sync": lfo.sync, "rate_hz": DX7LFO.frequency(speed: lfo.speed), "peak_cents": lfo.peakCents] as [String: Any],
                "eg_vs_glide_rms_cents": egError,
                "vs_pitch_curve_rms_cents": p.rmsError(curve, weight: weight, noteOff: v.noteOff)]
    }

    /// What the voice plays through `duration` s as a PitchCurve (nil when it holds the note's
    /// pitch): the EG's glide (its blocks' centres, DX7PitchEnvelope.glide) and the LFO as a
    /// Vibrato of its rate, its depth ramp (the delay's blocks, corners kept; 0 at the onset) and
    /// a constant phase that puts key sync's −sin(2π·rate·t) at the block centres — the LFO's
    /// phase runs from key-on, not from the vibrato's onset, so it is not the exported vibrato's.
    package func curve(duration: Double, noteOff: Double) -> PitchCurve? {
        let peak = lfo.peakCents
        guard envelope.levels != [50, 50, 50, 50] || peak > 0 else { return nil }
        let glide = envelope.glide(duration: duration, noteOff: noteOff)
        guard peak > 0 else { return PitchCurve(glide: glide) }
        let n = Self.blocks(duration) + 1, block = DX7Envelope.blockSeconds
        let q = lfo.blockDepths(count: n), d = q.map { peak * Double($0) / 16_777_216 }
        var times = [Double](), depth = [Double]()
        if let first = d.firstIndex(where: { $0 > 0 }) {
            // the onset: where the straight ramp through the first blocks that rise meets 0 (at
            // key-on for a delay of 0, full depth from the first block)
            let slope = first + 1 < n ? d[first + 1] - d[first] : 0
            let onset = d[first] >= peak || slope <= 0 ? 0 : max(0, Double(first) + 0.5 - d[first] / slope) * block
            times.append(onset); depth.append(0)
            for b in first..<n where b == first || b == n - 1 || q[b + 1] - q[b] != q[b] - q[b - 1] {
                let t = (Double(b) + 0.5) * block
                if t > onset { times.append(t); depth.append(d[b]) }
            }
        }
        guard let onset = times.first else { return PitchCurve(glide: glide) }
        // the LFO's phase at block b is 1/2 + (b + 1)·delta/2^32 cycles (key sync), i.e. at time t
        // (a block centre) 1/2 + rate·t + delta/2^33; sin of it from the onset on
        let rate = DX7LFO.frequency(speed: lfo.speed)
        let delta = Double(DX7LFO.delta(speed: lfo.speed)) / 4_294_967_296
        var phase = 0.5 + rate * onset + delta / 2
        phase -= phase.rounded(.down)
        let vibrato = Vibrato(rate: rate, depth: Envelope(times: times, values: depth),
                              phase: Envelope(times: times, values: times.map { _ in phase }))
        return PitchCurve(glide: glide, vibrato: vibrato)
    }
}
