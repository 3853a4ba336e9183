/// How unit amplitudes are fitted to a frame (method.md, "Envelopes by least squares").
public struct FitSettings: Sendable, Equatable, Codable {
    /// Sign-refinement refits after each start's first NNLS fit. Each refit cannot increase the
    /// frame's error (see SignedFrameFit); 3 lets almost every frame reach its fixpoint.
    public var signRefits: Int
    /// Also fit −b (for units whose strong partials are negative); else +b only.
    public var negativeStart: Bool

    public init(signRefits: Int = 3, negativeStart: Bool = true) {
        precondition(signRefits >= 0)
        self.signRefits = signRefits
        self.negativeStart = negativeStart
    }

    public static let standard = FitSettings()

    // Settings stored by an older fmevolve lack newer fields: they decode to the old behaviour.
    enum CodingKeys: String, CodingKey { case signRefits, negativeStart }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        signRefits = try c.decode(Int.self, forKey: .signRefits)
        negativeStart = try c.decodeIfPresent(Bool.self, forKey: .negativeStart) ?? true
    }
}
