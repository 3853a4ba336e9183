import Foundation
import Testing
import TestSupport

/// A norns preset as paramset.lua reads it: `-- name`, then one `"id": value` per line.
struct Pset {
    var values: [String: Double] = [:]

    init(path: String) throws {
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            try #require(parts.count == 2, "bad line \(line)")
            guard let value = Double(parts[1]) else { throw ToolFailed(tool: "fm7-01.pset", output: "not a number: \(line)") }
            values[String(parts[0].dropFirst().dropLast())] = value
        }
    }

    subscript(_ id: String) -> Double { values[id] ?? 0 }
}

/// The bundles of an OSC score file for `scsynth -N`: [int32 size][bundle]…, a bundle being
/// "#bundle\0", a uint64 timetag (seconds·2^32), then [int32 size][message]…; a message starts
/// with its address.
struct OSCScore {
    var bundles: [(timetag: UInt64, addresses: [String])] = []

    init(path: String) throws {
        let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func int(_ at: Int, _ width: Int) -> UInt64 { b[at..<(at + width)].reduce(0) { $0 << 8 | UInt64($1) } }
        var p = 0
        while p + 4 <= b.count {
            let size = Int(int(p, 4)), start = p + 4
            try #require(size >= 16 && start + size <= b.count && Array(b[start..<(start + 8)]) == Array("#bundle\0".utf8),
                         "not a bundle at byte \(p)")
            var addresses = [String](), q = start + 16
            while q < start + size {
                let m = Int(int(q, 4))
                addresses.append(String(decoding: b[(q + 4)...].prefix { $0 != 0 }, as: UTF8.self))
                q += 4 + m
            }
            bundles.append((int(start + 8, 8), addresses))
            p = start + size
        }
    }
}

/// The FM7 UGen (sc3-plugins source/SkUGens/FM7.cpp) playing an FM7 preset, each operator's amp
/// driven by EnvGen.kr(Env.adsr(A, D, S, R) · ampN, gate), modelled from the sources:
/// - each sample, op i's phase modulation is Σ_j mod[i][j]·mem_j with mem_j op j's output
///   amp_j·sin(…) of the PREVIOUS sample; out_i = amp_i·sin(2π f_i t + phase modulation);
/// - the constructor computes one sample, so the first written sample is at phase f_i/sr;
/// - amp is a control-rate input, ramped linearly over each 64-sample block from the previous
///   block's value to this block's;
/// - EnvGen.kr (SuperCollider 3.13 server/plugins/LFUGens.cpp): a stage of t seconds lasts
///   max(1, ⌊t·sr/64⌋) control periods; its constructor emits the first value and the first block
///   the second; Env.adsr is levels [0, 1, S, 0], times [A, D, R], curve −4 (a segment from y0 to
///   y1 over N periods is y0 + (y1 − y0)(1 − e^{c·k/N})/(1 − e^c), k = 0…N−1), release node 2;
///   at the gate's fall the release starts from the value due in that block;
/// - scsynth NRT (server/scsynth/SC_World.cpp) performs a bundle before the first block that ends
///   at or after its time, so the gate falls in block ⌈T/Δ⌉ − 1, Δ = ⌊64·2^32/sr⌋ timetag units.
/// - FM7's phase is an int32, 2^29 per cycle, advanced each sample by ⌊freq·cpstoinc⌋ computed in
///   float32 (cpstoinc = 2^29/sr): the op runs up to sr/2^29 Hz flat, which the model keeps (the
///   ideal phase drifts from it by up to 2π·sr·t/2^29 rad: 4e-3 at 176400 Hz after 2 s).
/// The sines are exact (FM7 reads an 8192-point table, linearly interpolated) and the arithmetic
/// double (FM7's is float32).
enum FM7Model {
    static let block = 64
    static let curve = -4.0

    /// One EnvGen.kr(Env.adsr) output per control block, b = 0…blocks−1; the value before block 0
    /// (the constructor's) is 0.
    static func adsrBlocks(attack: Double, decay: Double, sustain: Double, release: Double,
                           sampleRate: Int, gateBlock: Int, blocks: Int) -> [Double] {
        let kr = Double(sampleRate) / Double(block)
        func periods(_ t: Double) -> Int { max(1, Int(Double(Float(t)) * kr)) }
        let na = periods(attack), nd = periods(decay), nr = periods(release)
        func seg(_ y0: Double, _ y1: Double, _ k: Int, _ n: Int) -> Double {
            y0 + (y1 - y0) * (1 - exp(curve * Double(k) / Double(n))) / (1 - exp(curve))
        }
        func held(_ k: Int) -> Double {
            if k < na { return seg(0, 1, k, na) }
            if k < na + nd { return seg(1, sustain, k - na, nd) }
            return sustain
        }
        let from = held(gateBlock + 1)
        return (0..<blocks).map { b in
            if b < gateBlock { return held(b + 1) }
            let j = b - gateBlock
            return j < nr ? seg(from, 0, j, nr) : 0
        }
    }

    /// The block in which scsynth NRT performs a bundle with this timetag.
    static func gateBlock(timetag: UInt64, sampleRate: Int) -> Int {
        let inc = UInt64(Double(block) / (Double(sampleRate) / 4_294_967_296))
        return max(0, Int((timetag + inc - 1) / inc) - 1)
    }

    /// The sum of the carriers' outputs, `count` samples at `sampleRate`, f0 the patch's.
    static func render(_ p: Pset, f0: Double, sampleRate: Int, gateTimetag: UInt64, count: Int) -> [Double] {
        let ops = 6, sr = Double(sampleRate)
        let blocks = count / block + 2
        let gate = gateBlock(timetag: gateTimetag, sampleRate: sampleRate)
        let amps = (1...ops).map { i in
            adsrBlocks(attack: p["opAmpA\(i)"], decay: p["opAmpD\(i)"], sustain: p["opAmpS\(i)"], release: p["opAmpR\(i)"],
                       sampleRate: sampleRate, gateBlock: gate, blocks: blocks).map { $0 * p["amp\(i)"] }
        }
        // FM7's phase: an int32 advanced each sample by ⌊freq·cpstoinc⌋ (float32), 2^29 per cycle
        let cpstoinc = Float(8192 * 65536 / sr)
        let increments = (1...ops).map { UInt32(truncatingIfNeeded: Int32(Float(p["hz\($0)"] * f0) * cpstoinc)) }
        let mod = (1...ops).map { i in (1...ops).map { j in p["hz\(j)_to_hz\(i)"] } }
        let carrier = (1...ops).map { p["carrier\($0)"] }
        var mem = [Double](repeating: 0, count: ops), next = mem
        var y = [Double](repeating: 0, count: count)
        for n in 0..<count {
            let b = n / block, k = Double(n % block) / Double(block)
            var sum = 0.0
            for i in 0..<ops {
                var pm = 0.0
                for j in 0..<ops { pm += mod[i][j] * mem[j] }
                let previous = b == 0 ? 0 : amps[i][b - 1]
                let amp = previous + k * (amps[i][b] - previous)
                let phase = Double(increments[i] &* UInt32(truncatingIfNeeded: n + 1) & (1 << 29 - 1)) / Double(1 << 29)
                next[i] = amp * sin(2 * .pi * phase + pm)
                sum += carrier[i] * next[i]
            }
            swap(&mem, &next)
            y[n] = sum
        }
        return y
    }

    /// fmevolve's double-modulator model of the same mapping: ops 1–3 and 4–6 as two units (carrier,
    /// modulator 1, modulator 2; cascade when op 3 modulates op 2), envelopes ampN·ADSR (continuous
    /// time, gate falling at `gateTime`) sampled every millisecond, indices the amounts times their
    /// modulator's ampN·ADSR (index envelopes).
    static func idealPatch(_ p: Pset, f0: Double, sampleRate: Int, samples: Int, gateTime: Double) -> [String: Any] {
        let duration = Double(samples) / Double(sampleRate)
        func adsr(_ op: Int, _ t: Double) -> Double {
            let a = p["opAmpA\(op)"], d = p["opAmpD\(op)"], s = p["opAmpS\(op)"], r = p["opAmpR\(op)"]
            func seg(_ y0: Double, _ y1: Double, _ x: Double) -> Double { y0 + (y1 - y0) * (1 - exp(curve * x)) / (1 - exp(curve)) }
            func held(_ t: Double) -> Double {
                t < a ? seg(0, 1, t / a) : t < a + d ? seg(1, s, (t - a) / d) : s
            }
            return t < gateTime ? held(t) : t < gateTime + r ? seg(held(gateTime), 0, (t - gateTime) / r) : 0
        }
        let times = (Array(stride(from: 0.0, through: duration, by: 0.001)) + [gateTime]).sorted()
        let units: [[String: Any]] = [1, 4].map { c in
            let cascade = p.values["hz\(c + 2)_to_hz\(c + 1)"] != nil
            let i1 = p["hz\(c + 1)_to_hz\(c)"], i2 = cascade ? p["hz\(c + 2)_to_hz\(c + 1)"] : p["hz\(c + 2)_to_hz\(c)"]
            return ["carrier": Int(p["hz\(c)"]), "modulator1": Int(p["hz\(c + 1)"]), "modulator2": Int(p["hz\(c + 2)"]),
                    "index1": i1, "index2": i2, "topology": cascade ? "cascade" : "parallel",
                    "envelope": times.map { [$0, p["amp\(c)"] * adsr(c, $0)] },
                    "index1_envelope": times.map { [$0, i1 * p["amp\(c + 1)"] * adsr(c + 1, $0)] },
                    "index2_envelope": times.map { [$0, i2 * p["amp\(c + 2)"] * adsr(c + 2, $0)] }]
        }
        return ["format": "fmevolve-patch", "version": 2, "name": "fm7-ideal", "f0": f0, "sample_rate": sampleRate,
                "samples": samples, "err": 0, "units": units, "fmevolve_version": "test"]
    }
}
