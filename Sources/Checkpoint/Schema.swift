/// The checkpoint schema and its ordered migrations. `PRAGMA user_version` is the number of
/// migrations applied; `PRAGMA application_id` marks the file as fmevolve's.
enum Schema {
    /// 'FMEV'
    static let applicationID: Int32 = 0x464D_4556

    static let migrations: [String] = [
        // 1: runs, their generations, the populations of the newest generations (one blob per
        //    generation: every genome, best first, with its fitness), the writer
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            target_path TEXT NOT NULL,
            target_fingerprint TEXT NOT NULL,
            analysis_fingerprint TEXT NOT NULL,
            analysis BLOB NOT NULL,
            settings TEXT NOT NULL,
            fmevolve_version TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE generations (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            generation INTEGER NOT NULL,
            best REAL NOT NULL,
            mean REAL NOT NULL,
            evaluations INTEGER NOT NULL,
            abandoned INTEGER NOT NULL,
            restarts INTEGER NOT NULL,
            compute_seconds REAL NOT NULL,
            write_seconds REAL NOT NULL DEFAULT 0,
            champion BLOB NOT NULL,
            state BLOB NOT NULL,
            committed_at TEXT NOT NULL,
            PRIMARY KEY (run_id, generation)
        ) WITHOUT ROWID;
        CREATE TABLE populations (
            run_id INTEGER NOT NULL,
            generation INTEGER NOT NULL,
            genomes BLOB NOT NULL,
            PRIMARY KEY (run_id, generation),
            FOREIGN KEY (run_id, generation) REFERENCES generations(run_id, generation) ON DELETE CASCADE
        ) WITHOUT ROWID;
        CREATE TABLE writer (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            pid INTEGER NOT NULL,
            host TEXT NOT NULL,
            command TEXT NOT NULL,
            since TEXT NOT NULL
        );
        """,
        // 2: the refinement stage after the GA (dynamic FM): one row per step, each with the
        //    stage's whole state (RefinementCoding)
        """
        CREATE TABLE refinement (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            step INTEGER NOT NULL,
            phase TEXT NOT NULL,
            err REAL NOT NULL,
            static_err REAL NOT NULL,
            objective REAL NOT NULL,
            evaluations INTEGER NOT NULL,
            compute_seconds REAL NOT NULL,
            state BLOB NOT NULL,
            committed_at TEXT NOT NULL,
            PRIMARY KEY (run_id, step)
        ) WITHOUT ROWID;
        """,
        // 3: the note's pitch curve (PitchCoding; NULL: a fixed pitch)
        """
        ALTER TABLE runs ADD COLUMN pitch BLOB;
        """,
    ]

    static var version: Int { migrations.count }
}
