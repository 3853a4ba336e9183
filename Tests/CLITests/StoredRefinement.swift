import SQLite

/// The refinement stage's steps stored for the newest run of a checkpoint: (count, newest step;
/// -1 when none), read with a plain read-only SQLite connection while a writer may be running.
func storedRefinementSteps(_ db: String) throws -> (count: Int, newest: Int) {
    let d = try Database(path: db, mode: .readOnly)
    let s = try d.prepare("""
        SELECT count(*), coalesce(max(step), -1) FROM refinement WHERE run_id = (SELECT max(id) FROM runs)
        """)
    _ = try s.step()
    return (s.int(0), s.int(1))
}

/// Each stored step of the newest run's stage and its compute seconds (a step computed again
/// would have other seconds: the clock's, to the nanosecond).
func storedRefinementRows(_ db: String) throws -> [Int: Double] {
    let d = try Database(path: db, mode: .readOnly)
    let s = try d.prepare("""
        SELECT step, compute_seconds FROM refinement WHERE run_id = (SELECT max(id) FROM runs) ORDER BY step
        """)
    var rows = [Int: Double]()
    while try s.step() { rows[s.int(0)] = s.double(1) }
    return rows
}

/// The numbers of the `refine step N  …` progress lines in `stderr`, in order.
func refineStepLines(_ stderr: String) -> [Int] {
    stderr.split(separator: "\n").compactMap { line in
        line.hasPrefix("refine step ") ? Int(line.split(separator: " ")[2]) : nil
    }
}
