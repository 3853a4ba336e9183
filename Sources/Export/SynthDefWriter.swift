/// A SuperCollider synth definition in the binary file format version 2 ("SCgf"), written
/// without sclang (SuperCollider's HelpSource/Reference/Synth-Definition-File-Format and
/// server/scsynth/SC_GraphDef.cpp). Big-endian; names are pstrings (length byte + bytes);
/// UGens run in list order and an input may only refer to an earlier UGen.
package struct SynthDefWriter {
    package enum Rate: Int8 { case scalar = 0, control = 1, audio = 2 }

    /// An input: a UGen's output, or a constant.
    package struct Input {
        var ugen: Int32          // −1 for a constant
        var index: Int32         // output index, or constant index
        var rate: Rate
    }

    struct UGen {
        var name: String
        var rate: Rate
        var inputs: [Input]
        var outputs: Int
        var special: Int16
    }

    /// BinaryOpUGen special indices (server/plugins/BinaryOpUGens.cpp).
    package enum BinaryOp: Int16 { case add = 0, subtract = 1, multiply = 2, divide = 4, mod = 5, pow = 25 }

    /// Env segment shapes (Env.shapeNames): linear, and a numeric curve (curvature in `curve`).
    package enum Shape: Float { case linear = 1, curve = 5 }

    let name: String
    private(set) var constants: [Float] = []
    private var constantIndex: [UInt32: Int32] = [:]
    private(set) var parameters: [(name: String, value: Float)] = []
    private(set) var ugens: [UGen] = []

    package init(name: String) { self.name = name }

    package mutating func constant(_ v: Double) -> Input {
        let f = Float(v)
        if let i = constantIndex[f.bitPattern] { return Input(ugen: -1, index: i, rate: .scalar) }
        constants.append(f)
        let i = Int32(constants.count - 1)
        constantIndex[f.bitPattern] = i
        return Input(ugen: -1, index: i, rate: .scalar)
    }

    @discardableResult
    mutating func add(_ name: String, _ rate: Rate, _ inputs: [Input], outputs: Int = 1, special: Int16 = 0) -> Int32 {
        ugens.append(UGen(name: name, rate: rate, inputs: inputs, outputs: outputs, special: special))
        return Int32(ugens.count - 1)
    }

    func output(_ ugen: Int32, _ index: Int32 = 0) -> Input { Input(ugen: ugen, index: index, rate: ugens[Int(ugen)].rate) }

    /// Control-rate named parameters (one `Control` UGen); returns one input per parameter.
    package mutating func controls(_ params: [(String, Double)]) -> [Input] {
        let first = parameters.count
        for (n, v) in params { parameters.append((n, Float(v))) }
        let u = add("Control", .control, [], outputs: params.count, special: Int16(first))
        return (0..<params.count).map { output(u, Int32($0)) }
    }

    // `let u = add(…); return output(u)`: in `output(add(…))` the call would read self before
    // the argument appends the UGen.
    package mutating func sinOsc(freq: Input, phase: Input) -> Input {
        let u = add("SinOsc", .audio, [freq, phase])
        return output(u)
    }

    /// a op b at the highest of the inputs' rates.
    package mutating func binary(_ op: BinaryOp, _ a: Input, _ b: Input) -> Input {
        let u = add("BinaryOpUGen", max(a.rate, b.rate), [a, b], special: op.rawValue)
        return output(u)
    }

    mutating func binary(_ op: BinaryOp, _ a: Input, _ b: Double) -> Input {
        let c = constant(b)
        return binary(op, a, c)
    }

    /// EnvGen: inputs gate, levelScale, levelBias, timeScale, doneAction, then the Env array
    /// [initLevel, numSegments, releaseNode, loopNode, (level, time, shape, curve)…] (−99: none).
    package mutating func envGen(_ rate: Rate, levels: [Double], times: [Double], shape: Shape = .linear, curve: Double = 0,
                         releaseNode: Int? = nil, gate: Input? = nil, doneAction: Int = 2) -> Input {
        precondition(levels.count == times.count + 1)
        var inputs = [Input]()
        for v in [1, 1, 0, 1, Double(doneAction), levels[0], Double(times.count), Double(releaseNode ?? -99), -99] {
            inputs.append(constant(v))
        }
        if let gate { inputs[0] = gate }
        for (i, t) in times.enumerated() {
            for v in [levels[i + 1], t, Double(shape.rawValue), curve] { inputs.append(constant(v)) }
        }
        let u = add("EnvGen", rate, inputs)
        return output(u)
    }

    package mutating func out(bus: Int, _ signal: Input) {
        let b = constant(Double(bus))
        add("Out", .audio, [b, signal], outputs: 0)
    }

    /// The .scsyndef file holding this one definition.
    package func bytes() -> [UInt8] {
        var w = BigEndian()
        w.raw(Array("SCgf".utf8)); w.i32(2); w.i16(1)
        w.pstring(name)
        w.i32(Int32(constants.count)); for c in constants { w.f32(c) }
        w.i32(Int32(parameters.count)); for p in parameters { w.f32(p.value) }
        w.i32(Int32(parameters.count))
        for (i, p) in parameters.enumerated() { w.pstring(p.name); w.i32(Int32(i)) }
        w.i32(Int32(ugens.count))
        for u in ugens {
            w.pstring(u.name)
            w.raw([UInt8(bitPattern: u.rate.rawValue)])
            w.i32(Int32(u.inputs.count)); w.i32(Int32(u.outputs)); w.i16(u.special)
            for i in u.inputs { w.i32(i.ugen); w.i32(i.index) }
            for _ in 0..<u.outputs { w.raw([UInt8(bitPattern: u.rate.rawValue)]) }
        }
        w.i16(0)                                            // no variants
        return w.bytes
    }
}

extension SynthDefWriter.Rate: Comparable {
    package static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Big-endian byte writer for SuperCollider's binary formats.
struct BigEndian {
    private(set) var bytes: [UInt8] = []
    mutating func raw(_ b: [UInt8]) { bytes += b }
    mutating func i16(_ v: Int16) { let u = UInt16(bitPattern: v); bytes += [UInt8(u >> 8), UInt8(u & 0xFF)] }
    mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    mutating func u32(_ u: UInt32) { bytes += [UInt8(u >> 24), UInt8((u >> 16) & 0xFF), UInt8((u >> 8) & 0xFF), UInt8(u & 0xFF)] }
    mutating func u64(_ u: UInt64) { u32(UInt32(u >> 32)); u32(UInt32(u & 0xFFFF_FFFF)) }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func pstring(_ s: String) {
        let b = Array(s.utf8.prefix(255))
        bytes.append(UInt8(b.count)); bytes += b
    }
}

/// OSC messages and a non-real-time score (SuperCollider's Non-Realtime-Synthesis guide): each
/// bundle is preceded by its int32 size; a bundle is "#bundle\0", a 64-bit timetag (seconds × 2³²
/// from the start, no epoch), then [int32 size][message] elements; messages pad every string and
/// blob to a multiple of 4 bytes.
package enum OSC {
    package enum Argument {
        case int(Int32), float(Float), string(String), blob([UInt8])
    }

    package static func message(_ address: String, _ args: [Argument]) -> [UInt8] {
        var w = BigEndian()
        func padded(_ s: String) -> [UInt8] {
            var b = Array(s.utf8) + [0]
            while b.count % 4 != 0 { b.append(0) }
            return b
        }
        w.raw(padded(address))
        w.raw(padded("," + args.map { a -> String in
            switch a { case .int: return "i"; case .float: return "f"; case .string: return "s"; case .blob: return "b" }
        }.joined()))
        for a in args {
            switch a {
            case .int(let v): w.i32(v)
            case .float(let v): w.f32(v)
            case .string(let s): w.raw(padded(s))
            case .blob(let b):
                w.i32(Int32(b.count)); w.raw(b)
                var pad = (4 - b.count % 4) % 4
                while pad > 0 { w.raw([0]); pad -= 1 }
            }
        }
        return w.bytes
    }

    /// A score: bundles at non-decreasing times (s), each a list of messages.
    package static func score(_ bundles: [(time: Double, messages: [[UInt8]])]) -> [UInt8] {
        var file = BigEndian()
        for (time, messages) in bundles {
            var b = BigEndian()
            b.raw(Array("#bundle".utf8) + [0])
            b.u64(UInt64((time * 4_294_967_296).rounded()))
            for m in messages { b.i32(Int32(m.count)); b.raw(m) }
            file.i32(Int32(b.bytes.count)); file.raw(b.bytes)
        }
        return file.bytes
    }
}
