import FMSynthesis
import Foundation

/// The DX7's LFO as Dexed runs it, for its pitch modulation (asb2m10/dexed Source/msfa/lfo.cc
/// Lfo::init, reset, getsample, getdelay, keydown; dx7note.cc Dx7Note::init and compute;
/// PluginProcessor.cpp: one LFO for the whole synth, stepped once per 64-sample block before the
/// voices render it, key sync at every note-on). Checked against dexed-py's renders (DX7PitchTests).
///
/// - Speed S (0–99): the phase (Q32 cycles) moves delta = ⌊speedTable[S]·⌊4437500000·64/44100⌋⌋
///   a block, so the rate is delta·(44100/64)/2^32 Hz = 1.0332·speedTable[S] Hz (S 33 = 5.49 Hz).
/// - Key sync: the phase starts at 2^31 − 1 (half a cycle), and the block's value is taken after
///   its step; the sine wave (4) is 1/2 + sin(2π·phase)/2, so the pitch first goes DOWN:
///   −sin(2π·rate·t) about the block centres t.
/// - Delay D (0–99): a = 99 − D; D 0 is full depth at once; otherwise a state climbs from 0 by
///   unit·(16 + a mod 16)·2^(1 + ⌊a/16⌋) a block (unit = round(64·25190424/44100) = 36557), the
///   depth held at 0 until it reaches 2^31, then by unit·max(128, that step's multiplier with its low
///   7 bits cleared) while the depth rises linearly from 0 to 1 as it goes on to 2^32.
/// - Depth: PMD (0–99) becomes P = ⌊165·PMD/64⌋ (0–255), PMS (0–7) S = [0, 10, 20, 33, 55, 92,
///   153, 255][PMS]; the pitch offset is ±|P·delay·S·(lfo − 1/2)·2^48 >> 39| in Q24 octaves, so
///   the peak deviation at full depth is P·S/2^16 octaves = 1200·P·S/65536 cents (PMD 99, PMS 7:
///   1191 cents; PMD 43, PMS 1: 20.1 cents).
/// Waves (lfo.cc): 0 triangle, 1 saw down, 2 saw up, 3 square, 4 sine, 5 sample and hold; only
/// the sine is modelled here.
package struct DX7LFO: Equatable, Sendable {
    package var speed: Int        // 0–99
    package var delay: Int        // 0–99
    package var pmd: Int          // pitch-mod depth 0–99
    package var pms: Int          // pitch-mod sensitivity 0–7
    package var wave: Int         // 0–5 (4 = sine)
    package var sync: Bool        // key sync

    package init(speed: Int, delay: Int, pmd: Int, pms: Int, wave: Int = 4, sync: Bool = true) {
        self.speed = speed; self.delay = delay; self.pmd = pmd; self.pms = pms; self.wave = wave; self.sync = sync
    }

    /// No pitch modulation: the bytes the export wrote before pitch curves (speed 35, delay 0,
    /// PMD 0, triangle, sync, PMS 0).
    package static let off = DX7LFO(speed: 35, delay: 0, pmd: 0, pms: 0, wave: 0, sync: true)

    /// lfoSource (lfo.cc): the nominal rate of each speed.
    package static let speedTable = [
        0.062541, 0.125031, 0.312393, 0.437120, 0.624610, 0.750694, 0.936330, 1.125302, 1.249609, 1.436782,
        1.560915, 1.752081, 1.875117, 2.062494, 2.247191, 2.374451, 2.560492, 2.686728, 2.873976, 2.998950,
        3.188013, 3.369840, 3.500175, 3.682224, 3.812065, 4.000800, 4.186202, 4.310716, 4.501260, 4.623209,
        4.814636, 4.930480, 5.121901, 5.315191, 5.434783, 5.617346, 5.750431, 5.946717, 6.062811, 6.248438,
        6.431695, 6.564264, 6.749460, 6.868132, 7.052186, 7.250580, 7.375719, 7.556294, 7.687577, 7.877738,
        7.993605, 8.181967, 8.372405, 8.504848, 8.685079, 8.810573, 8.986341, 9.122423, 9.300595, 9.500285,
        9.607994, 9.798158, 9.950249, 10.117361, 11.251125, 11.384335, 12.562814, 13.676149, 13.904338, 15.092062,
        16.366612, 16.638935, 17.869907, 19.193858, 19.425019, 20.833333, 21.034918, 22.502250, 24.003841, 24.260068,
        25.746653, 27.173913, 27.578599, 29.052876, 30.693677, 31.191516, 32.658393, 34.317090, 34.674064, 36.416606,
        38.197097, 38.550501, 40.387722, 40.749796, 42.625746, 44.326241, 44.883303, 46.772685, 48.590865, 49.261084,
    ]

    /// pitchmodsenstab (dx7note.cc).
    package static let sensitivityTable = [0, 10, 20, 33, 55, 92, 153, 255]

    /// Lfo::init's lforatio_ at 44.1 kHz (4437500000·64/44100, truncated to an integer).
    static let ratio = UInt32(4_437_500_000.0 * 64 / 44100)
    /// Lfo::init's unit_ at 44.1 kHz: round(64·25190424/44100) = 36557.
    static let delayUnit = UInt32(64.0 * 25_190_424 / 44100 + 0.5)

    /// The phase step a block (Q32 cycles).
    package static func delta(speed s: Int) -> UInt32 { UInt32(speedTable[s] * Double(ratio)) }

    /// The rate of a speed (Hz).
    package static func frequency(speed s: Int) -> Double { Double(delta(speed: s)) * (44100.0 / 64) / 4_294_967_296 }

    /// Dx7Note::init's pitch-mod depth: ⌊165·PMD/64⌋.
    package static func depthScale(pmd: Int) -> Int { (pmd * 165) >> 6 }

    /// The peak deviation at full depth (cents): 1200·P·S/2^16.
    package var peakCents: Double {
        1200 * Double(Self.depthScale(pmd: pmd) * Self.sensitivityTable[pms]) / 65536
    }

    /// The delay's per-block increments before and after the state's half-way point (nil: delay 0,
    /// full depth from the first block).
    var delayIncrements: (UInt32, UInt32)? {
        let a0 = 99 - delay
        guard a0 != 99 else { return nil }
        let a = (16 + (a0 & 15)) << (1 + (a0 >> 4))
        return (Self.delayUnit * UInt32(a), Self.delayUnit * UInt32(max(0x80, a & 0xff80)))
    }

    /// The depth factor of each block (Q24: 2^24 = full depth), Lfo::getdelay from key-on.
    package func blockDepths(count blocks: Int) -> [Int] {
        guard let (inc1, inc2) = delayIncrements else { return [Int](repeating: 1 << 24, count: blocks) }
        var state: UInt64 = 0
        return (0..<blocks).map { _ in
            let d = state + UInt64(state < 1 << 31 ? inc1 : inc2)
            if d > UInt64(UInt32.max) { return 1 << 24 }
            state = d
            return d < 1 << 31 ? 0 : Int((d >> 7) & ((1 << 24) - 1))
        }
    }

    /// The pitch offset of each block (cents) from key-on, as Dx7Note::compute adds it (the mod
    /// wheel's share, pmod_2, is 0 with the wheel at rest).
    package func blockCents(count blocks: Int) -> [Double] {
        let p = Int64(Self.depthScale(pmd: pmd)), s = Int64(Self.sensitivityTable[pms])
        guard p * s > 0 else { return [Double](repeating: 0, count: blocks) }
        precondition(wave == 4, "only the sine LFO is modelled")
        let depths = blockDepths(count: blocks), step = Self.delta(speed: speed)
        var phase: UInt32 = sync ? (1 << 31) - 1 : 0
        return (0..<blocks).map { b in
            phase &+= step
            // the sine wave, 2^23 + sin/2 in Q24 (Sin::lookup's table: interpolated, within 1e-5)
            let sine = Int64((sin(2 * Double.pi * Double(phase) / 4_294_967_296) * 16_777_216).rounded())
            let value = (1 << 23) + (sine >> 1)
            let pmdQ = p * Int64(depths[b])                            // pmd: Q32
            let sens = s * (value - (1 << 23))
            let mod = abs((pmdQ * sens) >> 39)
            return Double(sens < 0 ? -mod : mod) / 16_777_216 * 1200
        }
    }
}
