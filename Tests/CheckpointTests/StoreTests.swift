import Analysis
import AudioIO
import Checkpoint
import Evolution
import Fitness
import FMSynthesis
import Foundation
import SQLite
import Testing
import TestSupport

@Suite struct StoreTests {
    static func setup(_ dir: TemporaryDirectory) throws -> (TargetAnalysis, GeneticAlgorithm, RunSettings) {
        let audio = try AudioReader.read(path: Paths.target("flute-G5.wav"))
        let a = try TargetAnalysis.analyse(audio)
        let config = EvolutionConfig(carriers: 2, population: 24, space: .standard(harmonics: a.harmonicCount))
        let ga = GeneticAlgorithm(config: config, evaluator: PopulationEvaluator(target: FitnessTarget(analysis: a), carriers: 2,
                                                                                maxIndex: 8, threads: 2))
        return (a, ga, RunSettings(config: config, seed: 4, f0: nil, maxDuration: 120, stop: StopRule(generations: 10)))
    }

    /// A state read back from the file is bit-identical to the one written, and evolves on
    /// identically.
    @Test func stateRoundTripsExactly() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (a, ga, settings) = try Self.setup(dir)
        let store = try CheckpointStore(path: dir.path("x.sqlite"), access: .write, create: true)
        let run = try store.beginRun(target: "flute.wav", samplesFingerprint: "f", analysis: a, settings: settings, version: "test")
        var s = ga.initialState(seed: 4)
        try store.commit(run: run, state: s, stats: nil, computeSeconds: 0.1, previousWrite: 0)
        for _ in 0..<6 {
            let stats = ga.step(&s)
            try store.commit(run: run, state: s, stats: stats, computeSeconds: 0.1, previousWrite: 0.001)
        }
        let committed = s
        var back = try store.state(run: run)
        #expect(back == committed)
        ga.step(&s); ga.step(&back)
        #expect(back == s)
        // the history holds every generation, with the committed champion and its err exactly;
        // populations only the newest two
        let history = try store.history(run: run)
        #expect(history.map(\.generation) == Array(0...6))
        #expect(history.last?.best == committed.bestFitness)
        #expect(history.last?.champion == committed.champion)
        #expect(history.last?.evaluations == committed.evaluations)
        #expect(history.last?.mean == committed.meanFitness)
        #expect(throws: CheckpointError.noGeneration(path: dir.path("x.sqlite"), generation: 3)) { try store.state(run: run, generation: 3) }
        #expect(try store.state(run: run, generation: 5).generation == 5)
        // settings and analysis survive too
        let record = try store.latestRun()
        #expect(record.settings == settings)
        let stored = try store.analysis(run: run)
        #expect(stored.amplitudes == a.amplitudes && stored.f0 == a.f0 && stored.active == a.active)
        #expect(try store.analysisFingerprintMatches(run: run, a))
    }

    @Test func secondWriterIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("x.sqlite")
        let first = try CheckpointStore(path: path, access: .write, create: true, command: "first")
        let (a, _, settings) = try Self.setup(dir)
        _ = try first.beginRun(target: "t.wav", samplesFingerprint: "f", analysis: a, settings: settings, version: "test")
        #expect {
            _ = try CheckpointStore(path: path, access: .write, command: "second")
        } throws: { error in
            guard case CheckpointError.inUse(_, let holder) = error else { return false }
            return holder.contains("pid \(getpid())") && holder.contains("(first, since ")
        }
        _ = first
        // readers are welcome while it writes
        #expect(try CheckpointStore(path: path, access: .read).runs().count == 1)
    }

    @Test func schemaIsVersionedAndMarked() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("x.sqlite")
        _ = try CheckpointStore(path: path, access: .write, create: true)
        let db = try Database(path: path, mode: .readOnly)
        #expect(try db.userVersion == 3)                       // 2: the refinement stage's table; 3: runs.pitch
        #expect(try db.scalarInt("PRAGMA application_id") == 0x464D_4556)
        #expect(try db.scalarText("PRAGMA journal_mode") == "wal")
        // migration 2's table, one row per step of a run's refinement stage
        let columns = try db.prepare("SELECT name FROM pragma_table_info('refinement') ORDER BY cid")
        var names = [String]()
        while try columns.step() { names.append(columns.text(0)) }
        #expect(names == ["run_id", "step", "phase", "err", "static_err", "objective", "evaluations", "compute_seconds",
                          "state", "committed_at"])
        // migration 3's column: the run's pitch curve
        let runs = try db.prepare("SELECT name FROM pragma_table_info('runs') ORDER BY cid")
        var runColumns = [String]()
        while try runs.step() { runColumns.append(runs.text(0)) }
        #expect(runColumns.last == "pitch")
    }

    @Test func transactionRollsBackOnThrow() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try Database(path: dir.path("t.sqlite"), mode: .create)
        try db.execute("CREATE TABLE t (x INTEGER)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.prepare("INSERT INTO t VALUES (?)").run([1])
                throw Boom()
            }
        }
        #expect(try db.scalarInt("SELECT count(*) FROM t") == 0)
        #expect(throws: SQLiteError.self) { try db.execute("SELECT * FROM missing") }
    }

    @Test func fingerprintSeesOneSample() {
        var x = [Double](repeating: 0.25, count: 1000)
        let a = Fingerprint.samples(x, sampleRate: 44100)
        x[500] = x[500].nextUp
        #expect(Fingerprint.samples(x, sampleRate: 44100) != a)
        #expect(Fingerprint.samples(x, sampleRate: 48000) != Fingerprint.samples(x, sampleRate: 44100))
        #expect(a.count == 32)
    }
}

@Suite struct EmptyRunTests {
    /// A run killed before its first commit cannot be resumed, and says so.
    @Test func runWithoutGenerations() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (a, _, settings) = try StoreTests.setup(dir)
        let path = dir.path("e.sqlite")
        let store = try CheckpointStore(path: path, access: .write, create: true)
        let run = try store.beginRun(target: "t.wav", samplesFingerprint: "f", analysis: a, settings: settings, version: "test")
        #expect(throws: CheckpointError.emptyRun(path: path, run: run)) { try store.state(run: run) }
        #expect(CheckpointError.emptyRun(path: path, run: run).description.contains("start it again with 'fmevolve evolve'"))
    }
}

/// Island models in a checkpoint: every island stored bit for bit in one blob, read back and
/// evolved on identically; the merged state, champion and population beside it.
@Suite struct IslandStoreTests {
    @Test func islandsRoundTripExactly() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (a, ga, settings) = try StoreTests.setup(dir)
        let model = IslandModel(ga: ga, policy: MigrationPolicy(islands: 3, every: 2, migrants: 1))
        let store = try CheckpointStore(path: dir.path("x.sqlite"), access: .write, create: true)
        let run = try store.beginRun(target: "flute.wav", samplesFingerprint: "f", analysis: a, settings: settings, version: "test")
        var s = model.initialState(seed: 4)
        try store.commit(run: run, islands: s, stats: nil, computeSeconds: 0.1, previousWrite: 0)
        for _ in 0..<5 {
            let stats = model.step(&s)
            try store.commit(run: run, islands: s, stats: stats, computeSeconds: 0.1, previousWrite: 0.001)
        }
        var back = try store.islands(run: run)
        #expect(back == s)
        #expect(try store.state(run: run) == s.merged)
        #expect(try store.population(run: run, generation: 5).fitness == s.merged.fitness)
        let last = try #require(try store.history(run: run).last)
        #expect(last.best == s.bestFitness && last.champion == s.merged.champion && last.evaluations == s.evaluations)
        model.step(&s); model.step(&back)
        #expect(back == s)
    }
}
