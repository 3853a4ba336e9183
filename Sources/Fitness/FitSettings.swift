/// How unit amplitudes are fitted to a frame (method.md, "Envelopes by least squares"; the
/// starts and the warm start are described in FitnessEvaluator).
public struct FitSettings: Sendable, Equatable, Codable {
    /// Sign-refinement refits after each start's first NNLS fit. Each refit cannot increase the
    /// frame's error; 3 lets almost every frame reach its fixpoint.
    public var signRefits: Int
    /// Also fit −b (for units whose strong partials are negative); else +b only.
    public var negativeStart: Bool
    /// 0: every frame is fitted from the cold starts +b and −b alone (method.md). n ≥ 1: every
    /// frame also starts from the signs of the previous frame's fit (the warm start), and the
    /// cold starts are tried only on the first frame of each run of frames and on every n-th.
    public var coldStartInterval: Int

    public init(signRefits: Int = 3, negativeStart: Bool = true, coldStartInterval: Int = 12) {
        precondition(signRefits >= 0 && coldStartInterval >= 0)
        self.signRefits = signRefits
        self.negativeStart = negativeStart
        self.coldStartInterval = coldStartInterval
    }

    /// The settings of evolution runs.
    public static let standard = FitSettings()

    // Settings stored by an older fmevolve lack newer fields: they decode to the old behaviour
    // (both starts; cold starts only).
    enum CodingKeys: String, CodingKey { case signRefits, negativeStart, coldStartInterval }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        signRefits = try c.decode(Int.self, forKey: .signRefits)
        negativeStart = try c.decodeIfPresent(Bool.self, forKey: .negativeStart) ?? true
        coldStartInterval = try c.decodeIfPresent(Int.self, forKey: .coldStartInterval) ?? 0
        if signRefits < 0 || coldStartInterval < 0 {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "negative fit setting"))
        }
    }
}
