import Analysis
import AudioIO
import Export
import FMSynthesis
import PitchFit
import Testing

/// AttackHold (issue 13, acceptance 2: err no worse than `--fixed-pitch`'s): a note whose pitch
/// scoops 40 cents up in its first 50 ms, played by a patch of its own spectrum and envelope, with
/// the true scoop and with a scoop on which a wobble faster than the analysis window rides.
@Suite struct AttackHoldTests {
    static let seconds = 1.0, rate = 44100
    static let unit = FMUnit(carrier: 1, modulator1: 1, modulator2: 1, index1: 1.2, index2: 0, topology: .parallel)
    static let scoop = PitchCurve(glide: Envelope(times: [0, 0.05], values: [-40, 0]))
    /// The scoop with ±40 cents swings every 4 ms over its first 16 ms.
    static let wobbly = PitchCurve(glide: Envelope(times: [0, 0.004, 0.008, 0.012, 0.016, 0.05],
                                                   values: [-40, 0, -76, -10, -67, 0]))

    static func patch(_ curve: PitchCurve?) -> Patch {
        Patch(f0: 440, units: [unit], envelopes: [Envelope(times: [0, 0.01, seconds - 0.05, seconds], values: [0, 1, 1, 0])],
              pitch: curve)
    }

    static func played(_ curve: PitchCurve?) -> AttackHold.Played {
        let p = patch(curve)
        let x = PatchRenderer.render(p, sampleRate: rate, count: Int(seconds * Double(rate)))
        return .init(patch: p, render: x, err: analysis.scoredError(of: x))
    }

    /// The scooping note's analysis at 440 Hz, with its pitch track (what evolve matches).
    static let target = PatchRenderer.render(patch(scoop), sampleRate: rate, count: Int(seconds * Double(rate)))
    static let analysis: TargetAnalysis = {
        let fixed = try! TargetAnalysis.analyse(Audio(samples: target, sampleRate: rate), f0: 440)
        return fixed.followingPitch(of: target).analysis
    }()

    /// Playing the note's own curve costs nothing: it is kept as it is.
    @Test func aCurveThatCostsNoErrorIsPlayedAsItIs() throws {
        try #require(Self.analysis.pitchCents != nil, "the scoop has no pitch track")
        let exact = Self.played(Self.scoop)
        #expect(exact.err < 1e-6)                      // the render is the target, sample for sample
        let chosen = AttackHold.choose(exact, analysis: Self.analysis)
        #expect(chosen.patch == exact.patch && chosen.err == exact.err)
    }

    /// The wobble smears the render's harmonics in the first frames, so that its err exceeds the
    /// flat render's; the attack is then held to where the wobble has passed: err no higher than
    /// the flat render's, the pitch much closer to the note's than flat, the glide from the hold
    /// on exactly the one given.
    @Test func aWobblyAttackIsHeldUntilItNoLongerCosts() throws {
        let wobbly = Self.played(Self.wobbly), flat = Self.played(nil)
        try #require(wobbly.err > flat.err, "the wobble does not cost err (\(wobbly.err) against \(flat.err)): nothing to test")
        let chosen = AttackHold.choose(wobbly, analysis: Self.analysis)
        let glide = try #require(chosen.patch.pitch?.glide, "the curve was dropped")
        let hold = glide.times[0]
        print("wobbly attack: err \(wobbly.err), flat \(flat.err), held to \(hold) s: \(chosen.err); pitch error "
              + "\(Self.analysis.pitchError(of: wobbly.render) ?? .nan), flat \(Self.analysis.pitchError(of: flat.render) ?? .nan), "
              + "held \(Self.analysis.pitchError(of: chosen.render) ?? .nan) cents")
        #expect(chosen.err <= flat.err)
        #expect(hold > 0 && hold <= AttackHold.holdSeconds)
        let pitchErr = try #require(Self.analysis.pitchError(of: chosen.render))
        let flatPitchErr = try #require(Self.analysis.pitchError(of: flat.render))
        #expect(pitchErr < 0.5 * flatPitchErr)
        // before the hold the glide is its value at the hold; after it, the breakpoints given
        #expect(abs(glide.values[0] - Self.wobbly.glide.value(at: hold)) < 1e-12)
        let later = Self.wobbly.glide.times.indices.filter { Self.wobbly.glide.times[$0] > hold }
        #expect(Array(glide.times.dropFirst()) == later.map { Self.wobbly.glide.times[$0] })
        #expect(Array(glide.values.dropFirst()) == later.map { Self.wobbly.glide.values[$0] })
        // the render is the chosen patch's, and its err is the render's
        let again = PatchRenderer.render(chosen.patch, sampleRate: Self.rate, count: Self.target.count)
        #expect(again == chosen.render && Self.analysis.scoredError(of: again) == chosen.err)
    }

    /// held(_:before:), by hand: the glide (0, −40) (0.05, 0) held before 0.02 s starts at −24 cents.
    @Test func heldCurveByHand() {
        let vibrato = Vibrato(rate: 5, depth: Envelope(times: [0.3, 0.5], values: [0, 10]), phase: Envelope(times: [0.3, 0.5], values: [0, 0]))
        let h = AttackHold.held(PitchCurve(glide: Self.scoop.glide, vibrato: vibrato), before: 0.02)
        #expect(h.glide.times == [0.02, 0.05])
        #expect(abs(h.glide.values[0] - -24) < 1e-12 && h.glide.values[1] == 0)
        #expect(h.vibrato == vibrato)
        #expect(abs(h.cents(at: 0) - -24) < 1e-12 && abs(h.cents(at: 0.035) - -12) < 1e-12)
    }
}
