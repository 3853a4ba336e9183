/// How a patch's pitch moves: a glide plus, when the note has one, a vibrato, in cents relative
/// to the patch's f0. Every unit follows it together (its ratios kept):
///     f(t) = f0 · 2^(cents(t)/1200),   cents(t) = glide(t) + vibrato(t).
public struct PitchCurve: Sendable, Equatable {
    /// Breakpoints (time s, cents), linear between them and held outside: an attack scoop, a
    /// drift, a drum's fall.
    public var glide: Envelope
    public var vibrato: Vibrato?

    public init(glide: Envelope, vibrato: Vibrato? = nil) {
        self.glide = glide
        self.vibrato = vibrato
    }

    /// cents(t) (cents relative to f0).
    public func cents(at t: Double) -> Double {
        glide.value(at: t) + (vibrato?.cents(at: t) ?? 0)
    }

    /// The highest pitch it reaches (cents): the band limit of an alias-free render.
    public var highest: Double {
        glide.peak + (vibrato?.depth.peak ?? 0)
    }

    /// The lowest pitch it reaches (cents).
    public var lowest: Double {
        (glide.values.min() ?? 0) - (vibrato?.depth.peak ?? 0)
    }

    /// Phase in cycles of f0 at every sample, reduced to [0, 1): a phase accumulator, as synths
    /// run one (Csound's `phasor`, SuperCollider's `SinOsc`): sample n plays the phase reached
    /// before it, φ_n = Σ_{i<n} f(i/sr)/sr — the integral of f up to n/sr less
    /// (f(n/sr) − f(0))/(2·sr) (Euler–Maclaurin), a shift below 10⁻³ cycles for any vibrato.
    public func phases(f0: Double, sampleRate: Int, count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        let sr = Double(sampleRate)
        var phase = 0.0
        for i in 0..<count {
            out[i] = phase
            phase += f0 * ratio(at: Double(i) / sr) / sr
            phase -= phase.rounded(.down)
        }
        return out
    }

    /// 2^(cents(t)/1200).
    @inline(__always)
    public func ratio(at t: Double) -> Double { pow(2, cents(at: t) / 1200) }
}

/// A periodic pitch modulation whose depth and phase may drift (a player's vibrato is not a
/// metronome): vibrato(t) = D(t) · sin(2π (rate·(t − onset) + P(t))) for t ≥ onset, 0 before,
/// with the depth D (cents) and phase offset P (cycles) linear between breakpoints and held after
/// the last. A P that changes by ΔP over Δt plays at rate + ΔP/Δt for that while.
public struct Vibrato: Sendable, Equatable {
    /// Mean rate (Hz).
    public var rate: Double
    /// D(t): breakpoints (time s, cents); the first one's time is the onset, where D is 0.
    public var depth: Envelope
    /// P(t): breakpoints (time s, cycles) at the same times.
    public var phase: Envelope

    public init(rate: Double, depth: Envelope, phase: Envelope) {
        precondition(depth.times == phase.times, "depth and phase share their breakpoints")
        self.rate = rate
        self.depth = depth
        self.phase = phase
    }

    /// When it starts (s).
    public var onset: Double { depth.times.first ?? 0 }

    /// Its typical depth (cents): the median of D over the breakpoints after the onset.
    public var typicalDepth: Double {
        let d = depth.values.dropFirst().sorted()
        guard !d.isEmpty else { return 0 }
        return d.count % 2 == 1 ? d[d.count / 2] : 0.5 * (d[d.count / 2 - 1] + d[d.count / 2])
    }

    public func cents(at t: Double) -> Double {
        guard t >= onset else { return 0 }
        return depth.value(at: t) * sin(2 * Double.pi * (rate * (t - onset) + phase.value(at: t)))
    }
}
