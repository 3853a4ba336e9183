import FMSynthesis
import Refinement

/// The refinement stage's state as one blob (format version 1): the candidate structures, the
/// screen's objectives, the chosen candidate and its RefinementState — everything the stage
/// needs to continue exactly.
enum RefinementCoding {
    static let version: UInt8 = 1

    static func encode(_ s: RefinementStageState) -> [UInt8] {
        var w = BinaryWriter()
        w.u8(version)
        w.i64(s.candidates.count)
        for c in s.candidates { w.units(c) }
        w.doubles(s.screened)
        w.i64(s.chosen)
        w.bool(s.refinement != nil)
        if let r = s.refinement {
            w.u8(r.phase.rawValue)
            w.i64(r.legs); w.i64(r.totalLegs); w.i64(r.evaluations)
            w.doubles(r.x)
            w.i64(r.knots.curves.count)
            for c in r.knots.curves { w.doubles(c.map(Double.init)) }
            w.f64(r.objective); w.f64(r.err); w.f64(r.staticErr)
        }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> RefinementStageState {
        var r = BinaryReader(bytes)
        guard try r.u8() == version else { throw BinaryReader.Truncated() }
        let n = try r.i64()
        guard n >= 1 && n <= 64 else { throw BinaryReader.Truncated() }
        let candidates = try (0..<n).map { _ in try r.units() }
        let screened = try r.doubles()
        let chosen = try r.i64()
        guard chosen >= 0 && chosen < n && screened.count <= n else { throw BinaryReader.Truncated() }
        var refinement: RefinementState?
        if try r.bool() {
            guard let phase = RefinementState.Phase(rawValue: try r.u8()) else { throw BinaryReader.Truncated() }
            let legs = try r.i64(), total = try r.i64(), evaluations = try r.i64()
            let x = try r.doubles()
            let curves = try r.i64()
            guard curves >= 0 && curves <= 16 else { throw BinaryReader.Truncated() }
            let knots = try (0..<curves).map { _ in try r.doubles().map { Int($0) } }
            let objective = try r.f64(), err = try r.f64(), staticErr = try r.f64()
            refinement = RefinementState(phase: phase, legs: legs, totalLegs: total, evaluations: evaluations, x: x,
                                         knots: IndexKnots(curves: knots), objective: objective, err: err, staticErr: staticErr)
        }
        guard r.atEnd else { throw BinaryReader.Truncated() }
        return RefinementStageState(candidates: candidates, screened: screened, chosen: chosen, refinement: refinement)
    }
}
