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
