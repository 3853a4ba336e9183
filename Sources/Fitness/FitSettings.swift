/// How unit amplitudes are fitted to a frame (method.md, "Envelopes by least squares").
public struct FitSettings: Sendable, Equatable, Codable {
    /// Sign-refinement refits after each start's first NNLS fit. Each refit cannot increase the
    /// frame's error (see SignedFrameFit); 3 lets almost every frame reach its fixpoint.
    public var signRefits: Int

    public init(signRefits: Int = 3) {
        precondition(signRefits >= 0)
        self.signRefits = signRefits
    }

    public static let standard = FitSettings()
}
