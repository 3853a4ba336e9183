import Export
import Testing

/// The .scsyndef bytes against SuperCollider's "Synth Definition File Format" (HelpSource/
/// Reference/Synth-Definition-File-Format.schelp, SynthDef2): big-endian; "SCgf", int32 version 2,
/// int16 number of defs; per def: pstring name, int32 K + K float32 constants, int32 P + P float32
/// parameter values, int32 N + N (pstring name, int32 index), int32 U + U ugen-specs (pstring
/// class, int8 rate, int32 inputs, int32 outputs, int16 special index, inputs as int32 pairs
/// (ugen or −1, output or constant index), int8 rate per output), int16 V variants.
/// Rates: 0 scalar, 1 control, 2 audio. BinaryOpUGen '*' has special index 2.
@Suite struct SynthDefWriterTests {
    static func pstring(_ s: String) -> [UInt8] { [UInt8(s.utf8.count)] + Array(s.utf8) }

    /// { |amp = 0.1| Out.ar(0, SinOsc.ar(440, 0) * amp) }
    @Test func aTinySynthDefByteForByte() {
        var w = SynthDefWriter(name: "tiny")
        let amp = w.controls([("amp", 0.1)])[0]
        let sine = w.sinOsc(freq: w.constant(440), phase: w.constant(0))
        w.out(bus: 0, w.binary(.multiply, sine, amp))             // the bus reuses constant 0

        var expected: [UInt8] = [0x53, 0x43, 0x67, 0x66, 0, 0, 0, 2, 0, 1]     // "SCgf", version 2, 1 def
        expected += Self.pstring("tiny")
        expected += [0, 0, 0, 2, 0x43, 0xDC, 0x00, 0x00, 0, 0, 0, 0]           // K = 2: 440.0f, 0.0f
        expected += [0, 0, 0, 1, 0x3D, 0xCC, 0xCC, 0xCD]                       // P = 1: 0.1f
        expected += [0, 0, 0, 1] + Self.pstring("amp") + [0, 0, 0, 0]          // N = 1: "amp" → parameter 0
        expected += [0, 0, 0, 4]                                               // U = 4
        // 0: Control.kr, no inputs, 1 output, special index 0 (first parameter); output rate 1
        expected += Self.pstring("Control") + [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0] + [1]
        // 1: SinOsc.ar(constant 0, constant 1), 1 output; output rate 2
        expected += Self.pstring("SinOsc") + [2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0]
        expected += [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1] + [2]
        // 2: BinaryOpUGen.ar '*' (special 2) of (ugen 1 output 0, ugen 0 output 0); output rate 2
        expected += Self.pstring("BinaryOpUGen") + [2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 2]
        expected += [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] + [2]
        // 3: Out.ar(constant 1, ugen 2 output 0), no outputs
        expected += Self.pstring("Out") + [2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0]
        expected += [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0]
        expected += [0, 0]                                                     // V = 0
        #expect(w.bytes() == expected)
    }

    /// EnvGen.kr(Env([0, 1, 0], [0.1, 0.2]), doneAction: 2): inputs gate, levelScale, levelBias,
    /// timeScale, doneAction, then Env's array (Env.sc prAsArray): initial level, segments,
    /// releaseNode and loopNode (−99: none), and per segment level, time, shape (lin = 1), curve.
    @Test func envGenInputsFollowEnvsArray() {
        var w = SynthDefWriter(name: "e")
        _ = w.envGen(.control, levels: [0, 1, 0], times: [0.1, 0.2], doneAction: 2)
        let b = w.bytes()
        // constants in order of first use: 1, 0, 2, −99, 0.1, 0.2
        var expected: [UInt8] = [0x53, 0x43, 0x67, 0x66, 0, 0, 0, 2, 0, 1] + Self.pstring("e")
        expected += [0, 0, 0, 6, 0x3F, 0x80, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0xC2, 0xC6, 0, 0,
                     0x3D, 0xCC, 0xCC, 0xCD, 0x3E, 0x4C, 0xCC, 0xCD]
        expected += [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]                       // P = 0, N = 0, U = 1
        expected += Self.pstring("EnvGen") + [1, 0, 0, 0, 17, 0, 0, 0, 1, 0, 0]
        //            gate lvScale bias tScale done init segs rel loop  (1, .1, lin, 0) (0, .2, lin, 0)
        let constants: [UInt8] = [0, 0, 1, 0, 2, 1, 2, 3, 3, 0, 4, 0, 1, 1, 5, 0, 1]
        for c in constants { expected += [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, c] }
        expected += [1, 0, 0]                                                  // output rate 1; V = 0
        #expect(b == expected)
    }
}
