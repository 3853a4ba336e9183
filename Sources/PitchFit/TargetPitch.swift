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
        let centres = (0..<frameCount).map { f0 * curve.ratio(at: frameTime($0)) }
        return (following(samples, centres: centres), curve)
    }
}
