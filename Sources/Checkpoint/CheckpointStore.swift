import Analysis
import Evolution
import FMSynthesis
import Foundation
import SQLite

/// The SQLite checkpoint file of fmevolve runs.
///
/// WAL journal, `synchronous=FULL` (every commit is on disk before the generation is reported
/// done: a kill -9 or a power loss loses at most the generation in flight), `BEGIN IMMEDIATE`
/// for every write, a 5 s busy timeout for readers. One transaction per generation holds its
/// statistics, the champion, the complete random-generator and search state, and every genome
/// with its fitness; populations older than `keepPopulations` generations are deleted in the
/// same transaction (the champion and statistics of every generation stay).
/// A file is validated before anything is written to it: a file that is not an fmevolve
/// checkpoint, is damaged or comes from a newer fmevolve is never modified.
public final class CheckpointStore {
    public let path: String
    let db: Database
    private let lock: WriterLock?
    public var keepPopulations = 2
    /// Statements of the per-generation commit, prepared once.
    private lazy var insertGeneration = try? db.prepare("""
        INSERT INTO generations (run_id, generation, best, mean, evaluations, abandoned, restarts,
            compute_seconds, write_seconds, champion, state, committed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    private lazy var insertPopulation = try? db.prepare("INSERT INTO populations (run_id, generation, genomes) VALUES (?, ?, ?)")
    private lazy var prunePopulations = try? db.prepare("DELETE FROM populations WHERE run_id = ? AND generation <= ?")
    private lazy var touchRun = try? db.prepare("UPDATE runs SET updated_at = ? WHERE id = ?")

    public enum Access { case read, write }

    /// Opens a checkpoint. `.write` creates it when `create` is true and it does not exist, and
    /// takes the writer lock (refused at once if another process holds it).
    public init(path: String, access: Access, create: Bool = false, command: String = "fmevolve") throws {
        self.path = path
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
        if exists && isDir.boolValue { throw CheckpointError.notACheckpoint(path: path, reason: "it is a directory") }
        if exists {
            try Self.validate(path)
        } else if !create {
            throw CheckpointError.notFound(path: path)
        }
        if access == .read {
            let database = try Self.wrap(path) { try Database(path: path, mode: .readOnly) }
            try Self.wrap(path) { try database.setBusyTimeout(milliseconds: 5000) }
            db = database
            lock = nil
            self.command = ""
            return
        }
        if !exists {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) {
                do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                    throw CheckpointError.cannotCreate(path: path, reason: "cannot create folder \(dir)")
                }
            }
            if !FileManager.default.isWritableFile(atPath: dir.isEmpty ? "." : dir) {
                throw CheckpointError.cannotCreate(path: path, reason: "folder \(dir.isEmpty ? "." : dir) is not writable")
            }
        }
        let database = try Self.wrap(path, creating: true) { try Database(path: path, mode: .create) }
        guard let writer = try WriterLock(path: path) else {
            let holder = (try? Self.holder(path)) ?? "another process"
            throw CheckpointError.inUse(path: path, holder: holder)
        }
        try Self.wrap(path, creating: !exists) {
            try database.setBusyTimeout(milliseconds: 5000)
            try database.execute("PRAGMA journal_mode = WAL")
            try database.execute("PRAGMA synchronous = FULL")
            try database.execute("PRAGMA foreign_keys = ON")
            try Self.migrate(database)
        }
        db = database
        lock = writer
        self.command = command
    }

    /// Who writes, recorded with the first write so that a refused second process can say who
    /// holds the file (and so that a command that fails its checks leaves the file as it was).
    private let command: String
    private var claimed = false

    func claim() throws {
        if claimed { return }
        try db.prepare("INSERT OR REPLACE INTO writer (id, pid, host, command, since) VALUES (1, ?, ?, ?, ?)")
            .run([Int(getpid()), ProcessInfo.processInfo.hostName, command, timestamp()])
        claimed = true
    }

    // MARK: validation

    /// Reads a file without writing to it: is it an fmevolve checkpoint that this version can use?
    static func validate(_ path: String) throws {
        let ro: Database
        do { ro = try Database(path: path, mode: .readOnly) } catch {
            throw CheckpointError.notACheckpoint(path: path, reason: "\(error)")
        }
        do {
            // another reader (`runs`, `export`, a test polling the file) may hold a lock for a
            // moment, and the first connection after a crash recovers the WAL index: wait, as
            // every other connection does, instead of calling a busy file damaged
            try ro.setBusyTimeout(milliseconds: 5000)
            let app = try ro.scalarInt("PRAGMA application_id") ?? 0
            let version = try ro.userVersion
            let tables = try ro.scalarInt("SELECT count(*) FROM sqlite_master") ?? 0
            if app != Int(Schema.applicationID) {
                if tables == 0 && version == 0 { return }                    // an empty database
                throw CheckpointError.notACheckpoint(path: path, reason: "a SQLite database of another program")
            }
            if version > Schema.version {
                throw CheckpointError.newerSchema(path: path, found: version, supported: Schema.version)
            }
            let check = try ro.scalarText("PRAGMA quick_check") ?? "no answer"
            if check != "ok" { throw CheckpointError.damaged(path: path, reason: check) }
        } catch let e as CheckpointError {
            throw e
        } catch let e as SQLiteError {
            if e.isNotADatabase { throw CheckpointError.notACheckpoint(path: path, reason: "not a SQLite database") }
            if e.isBusy { throw CheckpointError.inUse(path: path, holder: (try? holder(path)) ?? "another process") }
            throw CheckpointError.damaged(path: path, reason: e.message)
        }
    }

    /// Who holds the writer lock, as recorded in the file.
    static func holder(_ path: String) throws -> String {
        let ro = try Database(path: path, mode: .readOnly)
        let s = try ro.prepare("SELECT pid, host, command, since FROM writer WHERE id = 1")
        guard try s.step() else { return "another process" }
        return "pid \(s.int(0)) on \(s.text(1)) (\(s.text(2)), since \(s.text(3)))"
    }

    private static func migrate(_ db: Database) throws {
        let current = try db.userVersion
        if current == 0 { try db.execute("PRAGMA application_id = \(Schema.applicationID)") }
        for (i, sql) in Schema.migrations.enumerated() where i >= current {
            try db.transaction {
                try db.execute(sql)
                try db.setUserVersion(i + 1)
            }
        }
    }

    /// Runs a SQLite operation, turning its errors into one-line checkpoint errors.
    @discardableResult
    static func wrap<T>(_ path: String, creating: Bool = false, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as SQLiteError {
            if creating && (e.cannotOpen || e.isReadOnly) { throw CheckpointError.cannotCreate(path: path, reason: e.message) }
            if e.isFull { throw CheckpointError.writeFailed(path: path, reason: "disk full") }
            if e.isBusy { throw CheckpointError.inUse(path: path, holder: (try? holder(path)) ?? "another process") }
            if e.isNotADatabase { throw CheckpointError.notACheckpoint(path: path, reason: "not a SQLite database") }
            if e.isCorrupt { throw CheckpointError.damaged(path: path, reason: e.message) }
            throw CheckpointError.writeFailed(path: path, reason: e.message)
        }
    }

    func wrap<T>(_ body: () throws -> T) throws -> T { try Self.wrap(path, body) }

    // MARK: writing

    /// Records a new run; returns its id.
    public func beginRun(target: String, samplesFingerprint: String, analysis: TargetAnalysis,
                         settings: RunSettings, version: String, pitch: PitchCurve? = nil) throws -> Int {
        let json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        return try wrap {
            try db.transaction {
                try claim()
                let now = timestamp()
                try db.prepare("""
                    INSERT INTO runs (target_path, target_fingerprint, analysis_fingerprint, analysis, settings,
                                      fmevolve_version, created_at, updated_at, pitch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).run([target, samplesFingerprint, AnalysisCoding.fingerprint(analysis), AnalysisCoding.encode(analysis),
                              json, version, now, now, pitch.map(PitchCoding.encode)])
                return Int(db.lastInsertRowID)
            }
        }
    }

    /// Commits one generation in one transaction; returns the seconds it took (including the
    /// fsync of the commit). `previousWrite` is the previous commit's duration, stored with this
    /// generation.
    @discardableResult
    public func commit(run: Int, state: EvolutionState, stats: GenerationStats?, computeSeconds: Double,
                       previousWrite: Double) throws -> Double {
        try commit(run: run, islands: IslandState(islands: [state]), stats: stats, computeSeconds: computeSeconds,
                   previousWrite: previousWrite)
    }

    /// Commits one generation of every island in one transaction (IslandCoding); the champion,
    /// best, mean and population stored beside it are the islands' merged ones. One island is
    /// stored as a plain state.
    @discardableResult
    public func commit(run: Int, islands: IslandState, stats: GenerationStats?, computeSeconds: Double,
                       previousWrite: Double) throws -> Double {
        let state = islands.merged
        let stateBlob = islands.islands.count == 1 ? StateCoding.encode(state) : IslandCoding.encode(islands)
        let start = DispatchTime.now().uptimeNanoseconds
        try wrap {
            guard let insertGeneration, let insertPopulation, let prunePopulations, let touchRun else {
                throw SQLiteError(code: 1, message: "cannot prepare the checkpoint statements")
            }
            let now = timestamp()
            try db.transaction {
                try claim()
                var champion = BinaryWriter()
                champion.units(state.champion)
                try insertGeneration.run([run, state.generation, state.bestFitness, state.meanFitness, state.evaluations,
                                          stats?.abandoned ?? 0, state.restarts, computeSeconds, previousWrite,
                                          champion.bytes, stateBlob, now])
                try insertPopulation.run([run, state.generation, PopulationCoding.encode(state)])
                if keepPopulations > 0 {
                    try prunePopulations.run([run, state.generation - keepPopulations])
                }
                try touchRun.run([now, run])
            }
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    // MARK: reading

    public func runs() throws -> [RunRecord] {
        try wrap {
            let s = try db.prepare("""
                SELECT id, target_path, target_fingerprint, analysis_fingerprint, settings, fmevolve_version,
                       created_at, updated_at FROM runs ORDER BY id
                """)
            var out = [RunRecord]()
            while try s.step() {
                let settings = try JSONDecoder().decode(RunSettings.self, from: Data(s.text(4).utf8))
                out.append(RunRecord(id: s.int(0), targetPath: s.text(1), targetFingerprint: s.text(2),
                                     analysisFingerprint: s.text(3), settings: settings, version: s.text(5),
                                     created: s.text(6), updated: s.text(7)))
            }
            return out
        }
    }

    public func latestRun() throws -> RunRecord {
        guard let run = try runs().last else { throw CheckpointError.noRuns(path: path) }
        return run
    }

    /// True when `analysis` is the analysis the run started from.
    public func analysisFingerprintMatches(run: Int, _ analysis: TargetAnalysis) throws -> Bool {
        try runs().first { $0.id == run }?.analysisFingerprint == AnalysisCoding.fingerprint(analysis)
    }

    public func analysis(run: Int) throws -> TargetAnalysis {
        try wrap {
            let s = try db.prepare("SELECT analysis FROM runs WHERE id = ?")
            try s.bind([run])
            guard try s.step() else { throw CheckpointError.noRuns(path: path) }
            do { return try AnalysisCoding.decode(s.blob(0)) } catch {
                throw CheckpointError.damaged(path: path, reason: "unreadable analysis of run \(run)")
            }
        }
    }

    /// The pitch curve a run follows (nil: a fixed pitch).
    public func pitch(run: Int) throws -> PitchCurve? {
        try wrap {
            let s = try db.prepare("SELECT pitch FROM runs WHERE id = ?")
            try s.bind([run])
            guard try s.step() else { throw CheckpointError.noRuns(path: path) }
            if s.isNull(0) { return nil }
            do { return try PitchCoding.decode(s.blob(0)) } catch {
                throw CheckpointError.damaged(path: path, reason: "unreadable pitch curve of run \(run)")
            }
        }
    }

    /// Every stored generation of a run, oldest first.
    public func history(run: Int) throws -> [GenerationRecord] {
        try wrap {
            let s = try db.prepare("""
                SELECT generation, best, mean, evaluations, abandoned, restarts, compute_seconds, write_seconds, champion
                FROM generations WHERE run_id = ? ORDER BY generation
                """)
            try s.bind([run])
            var out = [GenerationRecord]()
            while try s.step() {
                var r = BinaryReader(s.blob(8))
                let champion = (try? r.units()) ?? []
                out.append(GenerationRecord(generation: s.int(0), best: s.double(1), mean: s.double(2), evaluations: s.int(3),
                                            abandoned: s.int(4), restarts: s.int(5), computeSeconds: s.double(6),
                                            writeSeconds: s.double(7), champion: champion))
            }
            return out
        }
    }

    /// Progress of every run.
    public func summaries() throws -> [RunSummary] {
        try runs().map { run in
            let s = try wrap {
                let q = try db.prepare("""
                    SELECT count(*), min(best), max(evaluations), total(compute_seconds), total(write_seconds)
                    FROM generations WHERE run_id = ?
                    """)
                try q.bind([run.id])
                _ = try q.step()
                return RunSummary(run: run, generations: max(0, q.int(0) - 1), best: q.isNull(1) ? .infinity : q.double(1),
                                  evaluations: q.int(2), computeSeconds: q.double(3), writeSeconds: q.double(4))
            }
            return s
        }
    }

    /// The newest generation of a run.
    public func latestGeneration(run: Int) throws -> Int {
        try wrap {
            guard let g = try db.prepare("SELECT max(generation) FROM generations WHERE run_id = ?")
                .bind([run]).stepValue() else { throw CheckpointError.emptyRun(path: path, run: run) }
            return g
        }
    }

    /// The complete state after a generation (the newest when nil); of an island model, the
    /// islands' merged state. Needs that generation's population, which is kept for the newest
    /// `keepPopulations` generations.
    public func state(run: Int, generation: Int? = nil) throws -> EvolutionState {
        try islands(run: run, generation: generation).merged
    }

    /// Every island's complete state after a generation (the newest when nil); one island for a
    /// run without islands.
    public func islands(run: Int, generation: Int? = nil) throws -> IslandState {
        let g = try generation ?? latestGeneration(run: run)
        return try wrap {
            let s = try db.prepare("SELECT state FROM generations WHERE run_id = ? AND generation = ?")
            try s.bind([run, g])
            guard try s.step() else { throw CheckpointError.noGeneration(path: path, generation: g) }
            let blob = s.blob(0)
            let (units, fitness) = try population(run: run, generation: g)
            do {
                if IslandCoding.isIslands(blob) { return try IslandCoding.decode(blob) }
                return IslandState(islands: [try StateCoding.decode(blob, units: units, fitness: fitness)])
            } catch {
                throw CheckpointError.damaged(path: path, reason: "unreadable state of generation \(g)")
            }
        }
    }

    /// Every genome of a stored population (flat, best first) and its err.
    public func population(run: Int, generation g: Int) throws -> (units: [FMUnit], fitness: [Double]) {
        try wrap {
            let q = try db.prepare("SELECT genomes FROM populations WHERE run_id = ? AND generation = ?")
            try q.bind([run, g])
            guard try q.step() else { throw CheckpointError.noGeneration(path: path, generation: g) }
            do { return try PopulationCoding.decode(q.blob(0)) } catch {
                throw CheckpointError.damaged(path: path, reason: "unreadable population of generation \(g)")
            }
        }
    }

    /// The champion (best genome so far) after a generation.
    public func champion(run: Int, generation: Int) throws -> (units: [FMUnit], err: Double) {
        guard let r = try history(run: run).first(where: { $0.generation == generation }) else {
            throw CheckpointError.noGeneration(path: path, generation: generation)
        }
        return (r.champion, r.best)
    }
}

extension Statement {
    /// The first column of the next row as an Int, nil when there is no row or it is NULL.
    func stepValue() throws -> Int? { try step() && !isNull(0) ? int(0) : nil }
}
