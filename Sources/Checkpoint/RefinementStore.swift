import Foundation
import Refinement
import SQLite

/// One stored step of a run's refinement stage.
public struct RefinementRecord: Sendable {
    public var step: Int
    public var phase: String
    public var err: Double
    public var staticErr: Double
    public var evaluations: Int
    /// Total compute seconds of the stage up to this step.
    public var computeSeconds: Double
}

extension CheckpointStore {
    /// Commits one step of the refinement stage in one transaction (step 0: the stage's start).
    public func commitRefinement(run: Int, step: Int, state: RefinementStageState, computeSeconds: Double) throws {
        let r = state.refinement
        try wrap {
            try db.transaction {
                try claim()
                try db.prepare("""
                    INSERT INTO refinement (run_id, step, phase, err, static_err, objective, evaluations, compute_seconds,
                                            state, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).run([run, step, state.phaseDescription, r?.err ?? .infinity, r?.staticErr ?? .infinity,
                              r?.objective ?? .infinity, r?.evaluations ?? 0, computeSeconds,
                              RefinementCoding.encode(state), timestamp()])
                try db.prepare("UPDATE runs SET updated_at = ? WHERE id = ?").run([timestamp(), run])
            }
        }
    }

    /// The newest refinement step of a run and its state, nil when the stage has not started
    /// (or the file predates the stage).
    public func refinement(run: Int) throws -> (record: RefinementRecord, state: RefinementStageState)? {
        guard try hasRefinementTable() else { return nil }
        return try wrap {
            let s = try db.prepare("""
                SELECT step, phase, err, static_err, evaluations, compute_seconds, state FROM refinement
                WHERE run_id = ? ORDER BY step DESC LIMIT 1
                """)
            try s.bind([run])
            guard try s.step() else { return nil }
            let record = RefinementRecord(step: s.int(0), phase: s.text(1), err: s.double(2), staticErr: s.double(3),
                                          evaluations: s.int(4), computeSeconds: s.double(5))
            do { return (record, try RefinementCoding.decode(s.blob(6))) } catch {
                throw CheckpointError.damaged(path: path, reason: "unreadable refinement state of run \(run)")
            }
        }
    }

    /// Forgets a run's refinement stage (the search goes on, so the stage will start again).
    public func clearRefinement(run: Int) throws {
        guard try hasRefinementTable() else { return }
        try wrap { try db.transaction { try claim(); try db.prepare("DELETE FROM refinement WHERE run_id = ?").run([run]) } }
    }

    /// A file written before the refinement stage existed, opened read-only, lacks the table.
    func hasRefinementTable() throws -> Bool {
        try wrap { (try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'refinement'") ?? 0) > 0 }
    }
}
