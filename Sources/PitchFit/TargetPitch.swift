import Analysis
import FMSynthesis

extension TargetAnalysis {
    /// The pitch curve of `samples` (this recording) and this analysis with its harmonics
    /// measured along that curve — what fmevolve matches unless `--fixed-pitch`. A steady note
    /// (PitchCurveFit gives no curve) keeps this analysis as it is.
    public func followingPitch(of samples: [Double]) -> (analysis: TargetAnalysis, pitch: PitchCurve?) {
        let movement = pitchMovement(of: samples)
        let noteStart = frameTime(active.firstIndex(of: true) ?? 0)
        let vibrato = movement.vibrato.map { (rate: $0.rate, onset: noteStart + $0.onset) }
        guard let curve = PitchCurveFit.fit(cents: movement.cents, frameSeconds: movement.frameSeconds, vibrato: vibrato) else {
            return (self, nil)
        }
        return (following(samples, curve: curve), curve)
    }

    /// This analysis with the harmonics of `samples` measured along `curve` (a patch's pitch
    /// curve): frame t around f0·2^(cents(t)/1200); nil: around k·f0.
    public func following(_ samples: [Double], curve: PitchCurve?) -> TargetAnalysis {
        following(samples, centres: curve.map { c in (0..<frameCount).map { f0 * c.ratio(at: frameTime($0)) } })
    }
}
