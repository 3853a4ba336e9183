/// Input the analysis cannot work with, each with a one-line message.
public enum AnalysisError: Error, Equatable, CustomStringConvertible {
    case tooShort(samples: Int, sampleRate: Int, needed: Int)
    case silent
    case noPitch
    case invalidF0(Double)
    case f0OutOfBand(f0: Double, bandHz: Double)

    public var description: String {
        switch self {
        case .tooShort(let n, let sr, let need):
            let ms = 1000.0 * Double(n) / Double(sr)
            return "too short to analyse: \(n) samples (\(String(format1: ms)) ms); need at least \(need)"
        case .silent:
            return "silent: nothing above -80 dBFS once the DC offset is removed"
        case .noPitch:
            return "no stable pitch found (noise, a click or DC?); pass --f0 HZ if the note really has one"
        case .invalidF0(let f):
            return "invalid f0 \(f) Hz: must be a positive number"
        case .f0OutOfBand(let f, let band):
            return "f0 \(String(format1: f)) Hz leaves no harmonic below \(Int(band)) Hz"
        }
    }
}

extension String {
    /// A number with one decimal, without Foundation.
    init(format1 x: Double) {
        let r = (x * 10).rounded() / 10
        self = r == r.rounded() ? "\(Int(r)).0" : "\(r)"
    }
}
