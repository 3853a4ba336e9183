import Analysis
import AudioIO
import Fitness
import FMSynthesis
import Refinement

/// Turns a genome into a playable patch: envelopes fitted to every frame of the target (silent
/// ones too, so the note fades as the recording does), an alias-free render of the target's
/// length and timeline, and the error of that render measured by the same analysis.
public struct Champion: Sendable {
    public var units: [FMUnit]
    public var patch: Patch
    /// err of the fit over the active frames (the fitness; after the refinement stage, its err).
    public var err: Double
    /// err of the search's static champion, which the refined patch beats (nil: not refined).
    public var staticErr: Double?
    /// err of the rendered audio, re-analysed.
    public var renderErr: Double
    /// The render's pitch error (cents RMS against the recording's pitch track: fmscore's
    /// `pitch_err_cents`); nil when the analysis carries no pitch track (runs stored before it).
    public var pitchErr: Double?
    public var render: [Double]

    init(units: [FMUnit], patch: Patch, err: Double, staticErr: Double?, renderErr: Double, pitchErr: Double?, render: [Double]) {
        self.units = units; self.patch = patch; self.err = err; self.staticErr = staticErr
        self.renderErr = renderErr; self.pitchErr = pitchErr; self.render = render
    }

    /// `refined`: the refinement stage's envelopes for `genome` (dynamic FM); nil: Horner's
    /// static indices with per-frame NNLS amplitudes. `pitch`: the note's pitch curve, along
    /// which `analysis` measured its harmonics (nil: a fixed pitch).
    public init(genome: [FMUnit], analysis: TargetAnalysis, maxIndex: Double = 8, fit: FitSettings = .standard,
                refined: RefinedFit? = nil, pitch: PitchCurve? = nil) {
        units = genome
        let active = FitnessTarget(analysis: analysis)
        err = FitnessEvaluator(target: active, carriers: genome.count, maxIndex: max(maxIndex, Self.maxIndex(genome)),
                               settings: fit).evaluate(genome)
        // the envelopes for the render: every frame, with warm and cold starts on each (done once)
        let all = FitnessTarget.allFrames(analysis)
        let thorough = FitSettings(signRefits: fit.signRefits, negativeStart: fit.negativeStart, coldStartInterval: 1)
        let evaluator = FitnessEvaluator(target: all, carriers: genome.count,
                                         maxIndex: max(maxIndex, Self.maxIndex(genome)), settings: thorough)
        var (amplitudes, _) = evaluator.amplitudes(genome)
        let n = genome.count, T = analysis.frameCount
        // the refined span replaces the static fit; frames outside it (silence) keep the static fit
        if let r = refined, !r.breakpoints {
            for t in 0..<r.frames { for j in 0..<n { amplitudes[(r.first + t) * n + j] = r.amplitudes[t * n + j] } }
        }
        if let r = refined { staticErr = r.staticErr; err = r.err }
        let times = (0..<T).map { analysis.frameTime($0) }
        let deconvolution = EnvelopeDeconvolution(analysis), omega = EnvelopeDeconvolution.weights(analysis)
        var values = (0..<n).map { j in deconvolution.solve((0..<T).map { amplitudes[$0 * n + j] }, weights: omega) }
        // a refinement that fitted breakpoints (what the analysis measures of them) gives them as they are
        if let r = refined, r.breakpoints {
            for t in 0..<r.frames { for j in 0..<n { values[j][r.first + t] = r.amplitudes[t * n + j] } }
        }
        let envelopes = values.map { Envelope(times: times, values: $0) }
        patch = Patch(f0: analysis.f0, units: genome, envelopes: envelopes, indexEnvelopes: refined?.indexEnvelopes,
                      pitch: pitch)
        render = PatchRenderer.render(patch, sampleRate: analysis.sampleRate, count: analysis.sampleCount)
        renderErr = analysis.scoredError(of: render)
        pitchErr = analysis.pitchError(of: render)
    }

    /// The refinement stage's patch when its render measures no worse than the static
    /// champion's (never worse than Horner's static match: the stage minimises its fit error
    /// plus smoothness, and the render of moving indices can lose a little more than a static
    /// one to the analysis window), else the static champion. `refinedKept` says which.
    public static func preferred(staticGenome: [FMUnit], refined: (units: [FMUnit], fit: RefinedFit)?, analysis: TargetAnalysis,
                                 maxIndex: Double, fit: FitSettings, pitch: PitchCurve? = nil) -> (champion: Champion, refinedKept: Bool) {
        let plain = Champion(genome: staticGenome, analysis: analysis, maxIndex: maxIndex, fit: fit, pitch: pitch)
        guard let refined else { return (plain, false) }
        var moving = Champion(genome: refined.units, analysis: analysis, maxIndex: maxIndex, fit: fit, refined: refined.fit,
                              pitch: pitch)
        // "static" is what Horner's method gives: the search's champion (the stage may have chosen
        // another structure, whose own static start is worse)
        moving.staticErr = plain.err
        return moving.renderErr <= plain.renderErr ? (moving, true) : (plain, false)
    }

    static func maxIndex(_ g: [FMUnit]) -> Double { g.reduce(0) { max($0, $1.index1, $1.index2) } }

    /// The patch file for this champion.
    public func file(name: String, analysis: TargetAnalysis, target: String?, run: PatchFile.Run?,
                     version: String) -> PatchFile {
        PatchFile(format: PatchFile.formatName, version: patch.ratioGrid == nil ? 3 : 4, name: name,
                  f0: analysis.f0, sampleRate: analysis.sampleRate, samples: analysis.sampleCount,
                  err: err, renderErr: renderErr, staticErr: staticErr,
                  units: units.indices.map { j in
                      let u = units[j], e = patch.envelopes[j], moving = patch.indexEnvelopes[j]
                      return PatchFile.Unit(carrier: patch.ratio(u.carrier), modulator1: patch.ratio(u.modulator1), modulator2: patch.ratio(u.modulator2),
                                            index1: u.index1, index2: u.index2, topology: u.topology.description,
                                            envelope: zip(e.times, e.values).map { [$0, $1] },
                                            index1Envelope: moving.map { zip($0.index1.times, $0.index1.values).map { [$0, $1] } },
                                            index2Envelope: moving.map { zip($0.index2.times, $0.index2.values).map { [$0, $1] } })
                  },
                  pitch: patch.pitch.map(PatchFile.Pitch.init),
                  inharmonic: patch.ratioGrid == nil ? nil : true,
                  target: target,
                  analysis: .init(window: analysis.parameters.window, hop: analysis.parameters.hop,
                                  harmonics: analysis.harmonicCount, frames: analysis.frameCount,
                                  activeFrames: analysis.activeFrameCount, f0Source: analysis.f0Source),
                  run: run, fmevolveVersion: version)
    }

    /// Writes `<base>.json` and `<base>.wav`; returns their paths.
    public func write(base: String, name: String, analysis: TargetAnalysis, target: String?,
                      run: PatchFile.Run?, version: String) throws -> (json: String, wav: String) {
        let json = base + ".json", wav = base + ".wav"
        try AudioWriter.writeWAV(path: wav, samples: render, sampleRate: analysis.sampleRate)
        try file(name: name, analysis: analysis, target: target, run: run, version: version).write(to: json)
        return (json, wav)
    }
}
