import Analysis
import Evolution
import FMSynthesis

/// The parts of an EvolutionState besides the population, as one blob (format version 2: with
/// the epoch champions; version-1 blobs load with none).
enum StateCoding {
    static let version: UInt8 = 2

    static func encode(_ s: EvolutionState) -> [UInt8] {
        var w = BinaryWriter()
        w.u8(version)
        w.i64(s.generation)
        w.i64(s.evaluations)
        w.i64(s.stall)
        w.bool(s.swept)
        w.i64(s.restarts)
        w.f64(s.searchStep)
        w.bool(s.championSwept)
        w.i64(s.localCursor)
        w.f64(s.hallOfFameFitness)
        w.units(s.hallOfFame)
        for word in s.rng.state { w.u64(word) }
        w.doubles(s.epochFitness)
        w.units(s.epochChampions)
        return w.bytes
    }

    /// Rebuilds a state from its blob and its population (genomes best first).
    static func decode(_ bytes: [UInt8], units: [FMUnit], fitness: [Double]) throws -> EvolutionState {
        var r = BinaryReader(bytes)
        let format = try r.u8()
        guard format == 1 || format == version else { throw BinaryReader.Truncated() }
        let generation = try r.i64(), evaluations = try r.i64(), stall = try r.i64(), swept = try r.bool()
        let restarts = try r.i64(), searchStep = try r.f64(), championSwept = try r.bool(), cursor = try r.i64()
        let hofFitness = try r.f64(), hof = try r.units()
        let words = try (0..<4).map { _ in try r.u64() }
        var epochFitness = [Double](), epochChampions = [FMUnit]()
        if format >= 2 { epochFitness = try r.doubles(); epochChampions = try r.units() }
        let N = fitness.isEmpty ? 0 : units.count / fitness.count
        guard let rng = Xoshiro256(state: words), r.atEnd, epochChampions.count == epochFitness.count * N else {
            throw BinaryReader.Truncated()
        }
        return EvolutionState(generation: generation, units: units, fitness: fitness, rng: rng, evaluations: evaluations,
                              stall: stall, swept: swept, restarts: restarts, searchStep: searchStep,
                              championSwept: championSwept, localCursor: cursor, hallOfFame: hof,
                              hallOfFameFitness: hofFitness, epochChampions: epochChampions, epochFitness: epochFitness)
    }
}

/// A population as one blob: genome count, carriers, then each genome's err and units.
enum PopulationCoding {
    static func encode(_ s: EvolutionState) -> [UInt8] {
        var w = BinaryWriter()
        let N = s.carriers
        w.i64(s.fitness.count)
        w.i64(N)
        for i in 0..<s.fitness.count {
            w.f64(s.fitness[i])
            for j in 0..<N { w.unit(s.units[i * N + j]) }
        }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> (units: [FMUnit], fitness: [Double]) {
        var r = BinaryReader(bytes)
        let count = try r.i64(), N = try r.i64()
        // 29 bytes a unit, 30 with an index decay (BinaryWriter.unit)
        guard count >= 0, N >= 1, N <= 8, count * (8 + 29 * N) <= bytes.count - 16,
              count * (8 + 30 * N) >= bytes.count - 16 else { throw BinaryReader.Truncated() }
        var units = [FMUnit](), fitness = [Double]()
        units.reserveCapacity(count * N)
        for _ in 0..<count {
            fitness.append(try r.f64())
            for _ in 0..<N { units.append(try r.unit()) }
        }
        guard r.atEnd else { throw BinaryReader.Truncated() }
        return (units, fitness)
    }
}

/// A target analysis as one blob, so that a stored champion can be exported without the
/// recording.
enum AnalysisCoding {
    /// 1: fixed pitch; 2: adds the pitch centres (a flag, then one Hz per frame, and the
    /// amplitudes measured around k·f0); 3: adds the recording's pitch track (a flag, then cents
    /// per frame).
    static let version: UInt8 = 3

    static func encode(_ a: TargetAnalysis) -> [UInt8] {
        var w = BinaryWriter()
        w.u8(version)
        w.i64(a.sampleRate); w.i64(a.sampleCount); w.f64(a.f0)
        w.u8(a.f0Source == "given" ? 1 : 0)
        w.i64(a.parameters.window); w.i64(a.parameters.hop); w.i64(a.parameters.harmonics); w.i64(a.parameters.fftSize)
        w.doubles(a.amplitudes)
        w.doubles(a.frameRMS)
        for x in a.active { w.bool(x) }
        w.bool(a.pitchCentres != nil)
        if let c = a.pitchCentres { w.doubles(c); w.doubles(a.scoredAmplitudes ?? a.amplitudes) }
        w.bool(a.pitchCents != nil)
        if let p = a.pitchCents { w.doubles(p) }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> TargetAnalysis {
        var r = BinaryReader(bytes)
        let stored = try r.u8()
        guard (1...version).contains(stored) else { throw BinaryReader.Truncated() }
        let sr = try r.i64(), count = try r.i64(), f0 = try r.f64(), given = try r.u8() == 1
        var p = try AnalysisParameters(sampleRate: sr, f0: f0)
        p.window = try r.i64(); p.hop = try r.i64(); p.harmonics = try r.i64(); p.fftSize = try r.i64()
        let b = try r.doubles(), rms = try r.doubles()
        let active = try rms.indices.map { _ in try r.bool() }
        let hasCentres = stored >= 2 ? try r.bool() : false
        let centres = hasCentres ? try r.doubles() : nil
        let scored = hasCentres ? try r.doubles() : nil
        let hasPitch = stored >= 3 ? try r.bool() : false
        let pitch = hasPitch ? try r.doubles() : nil
        guard r.atEnd, b.count == rms.count * p.harmonics else { throw BinaryReader.Truncated() }
        return TargetAnalysis(sampleRate: sr, sampleCount: count, f0: f0, f0Source: given ? "given" : "estimated",
                              parameters: p, amplitudes: b, frameRMS: rms, active: active, pitchCentres: centres,
                              scoredAmplitudes: scored, pitchCents: pitch)
    }

    /// Fingerprint of everything the fitness depends on (not the pitch track: only the report's
    /// pitch_err reads it).
    static func fingerprint(_ a: TargetAnalysis) -> String {
        var f = Fingerprint()
        f.add(a.sampleRate); f.add(a.sampleCount); f.add(a.f0)
        f.add(a.parameters.window); f.add(a.parameters.hop); f.add(a.parameters.harmonics); f.add(a.parameters.fftSize)
        f.add(a.amplitudes)
        for x in a.active { f.add(x ? 1 : 0) }
        if let c = a.pitchCentres { f.add(c) }      // absent: the fingerprint of runs stored before pitch curves
        return f.hex
    }
}

/// A pitch curve as one blob (runs.pitch).
enum PitchCoding {
    static let version: UInt8 = 1

    static func encode(_ c: PitchCurve) -> [UInt8] {
        var w = BinaryWriter()
        w.u8(version)
        w.doubles(c.glide.times); w.doubles(c.glide.values)
        w.bool(c.vibrato != nil)
        if let v = c.vibrato {
            w.f64(v.rate); w.doubles(v.depth.times); w.doubles(v.depth.values); w.doubles(v.phase.values)
        }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> PitchCurve {
        var r = BinaryReader(bytes)
        guard try r.u8() == version else { throw BinaryReader.Truncated() }
        let times = try r.doubles(), values = try r.doubles()
        guard times.count == values.count, !times.isEmpty else { throw BinaryReader.Truncated() }
        var vibrato: Vibrato?
        if try r.bool() {
            let rate = try r.f64(), t = try r.doubles(), d = try r.doubles(), p = try r.doubles()
            guard t.count == d.count, t.count == p.count else { throw BinaryReader.Truncated() }
            vibrato = Vibrato(rate: rate, depth: Envelope(times: t, values: d), phase: Envelope(times: t, values: p))
        }
        guard r.atEnd else { throw BinaryReader.Truncated() }
        return PitchCurve(glide: Envelope(times: times, values: values), vibrato: vibrato)
    }
}
