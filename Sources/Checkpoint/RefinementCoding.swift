import FMSynthesis
import Refinement

/// The refinement stage's state as one blob: the candidate structures, the screen's objectives,
/// the chosen candidate and its RefinementState, and (format version 2) the finalists, the
/// position among them and the best finished one — everything the stage needs to continue
/// exactly. Version-1 blobs (one finalist) still load.
enum RefinementCoding {
    static let version: UInt8 = 2

    static func encode(_ s: RefinementStageState) -> [UInt8] {
        var w = BinaryWriter()
        w.u8(version)
        w.i64(s.candidates.count)
        for c in s.candidates { w.units(c) }
        w.doubles(s.screened)
        w.i64(s.chosen)
        w.bool(s.refinement != nil)
        if let r = s.refinement { write(r, &w) }
        w.doubles(s.finalists.map(Double.init))
        w.i64(s.position)
        w.bool(s.best != nil)
        if let b = s.best { w.i64(b.candidate); write(b.state, &w) }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> RefinementStageState {
        var r = BinaryReader(bytes)
        let format = try r.u8()
        guard format == 1 || format == version else { throw BinaryReader.Truncated() }
        let n = try r.i64()
        guard n >= 1 && n <= 64 else { throw BinaryReader.Truncated() }
        let candidates = try (0..<n).map { _ in try r.units() }
        let screened = try r.doubles()
        let chosen = try r.i64()
        guard chosen >= 0 && chosen < n && screened.count <= n else { throw BinaryReader.Truncated() }
        let refinement: RefinementState? = try r.bool() ? try read(&r) : nil
        var s = RefinementStageState(candidates: candidates, screened: screened, chosen: chosen, refinement: refinement)
        if format == 1 {
            // one finalist: the chosen one, finished when its refinement is
            if !s.screening {
                s.finalists = [chosen]
                if let done = refinement, done.phase == .done { s.position = 1; s.best = (chosen, done) }
            }
        } else {
            s.finalists = try r.doubles().map { Int($0) }
            s.position = try r.i64()
            guard s.finalists.allSatisfy({ $0 >= 0 && $0 < n }), s.position >= 0, s.position <= s.finalists.count else {
                throw BinaryReader.Truncated()
            }
            if try r.bool() {
                let candidate = try r.i64()
                guard candidate >= 0 && candidate < n else { throw BinaryReader.Truncated() }
                s.best = (candidate, try read(&r))
            }
        }
        guard r.atEnd else { throw BinaryReader.Truncated() }
        return s
    }

    private static func write(_ r: RefinementState, _ w: inout BinaryWriter) {
        w.u8(r.phase.rawValue)
        w.i64(r.legs); w.i64(r.totalLegs); w.i64(r.evaluations)
        w.doubles(r.x)
        w.i64(r.knots.curves.count)
        for c in r.knots.curves { w.doubles(c.map(Double.init)) }
        w.f64(r.objective); w.f64(r.err); w.f64(r.staticErr)
    }

    private static func read(_ r: inout BinaryReader) throws -> RefinementState {
        guard let phase = RefinementState.Phase(rawValue: try r.u8()) else { throw BinaryReader.Truncated() }
        let legs = try r.i64(), total = try r.i64(), evaluations = try r.i64()
        let x = try r.doubles()
        let curves = try r.i64()
        guard curves >= 0 && curves <= 16 else { throw BinaryReader.Truncated() }
        let knots = try (0..<curves).map { _ in try r.doubles().map { Int($0) } }
        let objective = try r.f64(), err = try r.f64(), staticErr = try r.f64()
        return RefinementState(phase: phase, legs: legs, totalLegs: total, evaluations: evaluations, x: x,
                               knots: IndexKnots(curves: knots), objective: objective, err: err, staticErr: staticErr)
    }
}
