import Analysis
import Fitness
import FMSynthesis

/// The whole stage after the GA, anticipating what refinement does to each structure: the best
/// static structure is not always the best dynamic one (on the French horn the GA's fourth
/// structure refines to 0.059 where its champion refines to 0.069). So:
/// 1. Screen: each candidate structure (the GA's best distinct ones, champion first) gets its
///    static start and `screenLegs` legs of the free phase; one candidate per step.
/// 2. Refine: the `finalists` candidates with the lowest screened objectives are refined
///    (Refiner) to the end in turn, and the lowest final objective wins: two legs rank structures
///    only roughly (on the trumpet the runner-up screened 0.2 % below the champion's structure
///    and refined to 0.0217 where the champion's reaches 0.0209, worse in every sustained frame).
/// Every step is a checkpoint; the stage's result depends on the candidates and settings only.
public final class RefinementStage: @unchecked Sendable {
    public struct Settings: Sendable, Equatable, Codable {
        public var refinement: RefinementSettings
        /// Candidate structures screened (1: refine the champion only).
        public var candidates: Int
        /// Free-phase legs each candidate gets in the screen.
        public var screenLegs: Int
        /// Share of a run's time limit the stage gets (the GA gets the rest).
        public var timeShare: Double
        /// Best screened candidates refined to the end (runs stored before it: 1).
        public var finalists: Int

        public init(refinement: RefinementSettings = .standard, candidates: Int = 12, screenLegs: Int = 2,
                    timeShare: Double = 0.3, finalists: Int = 2) {
            self.refinement = refinement; self.candidates = candidates; self.screenLegs = screenLegs
            self.timeShare = timeShare; self.finalists = finalists
        }

        public static let standard = Settings()

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            refinement = try c.decode(RefinementSettings.self, forKey: .refinement)
            candidates = try c.decode(Int.self, forKey: .candidates)
            screenLegs = try c.decode(Int.self, forKey: .screenLegs)
            timeShare = try c.decode(Double.self, forKey: .timeShare)
            finalists = try c.decodeIfPresent(Int.self, forKey: .finalists) ?? 1
        }
    }

    public let analysis: TargetAnalysis
    public let settings: Settings
    let fit: FitSettings
    let threads: Int
    private var refiner: (units: [FMUnit], refiner: Refiner)?

    public init(analysis: TargetAnalysis, settings: Settings = .standard, fit: FitSettings = .standard, threads: Int = 1) {
        self.analysis = analysis
        self.settings = settings
        self.fit = fit
        self.threads = threads
    }

    /// A new stage for these candidate structures (best first).
    public func start(candidates: [[FMUnit]]) -> RefinementStageState {
        precondition(!candidates.isEmpty)
        return RefinementStageState(candidates: Array(candidates.prefix(max(settings.candidates, 1))), screened: [],
                                    chosen: 0, refinement: nil)
    }

    /// One step: screen the next candidate, or one leg of the chosen one's refinement. Returns
    /// false once the stage is done.
    @discardableResult
    public func step(_ s: inout RefinementStageState) -> Bool {
        if s.screening {
            let i = s.screened.count
            let r = refiner(for: s.candidates[i])
            var state = r.start()
            while state.phase == .free && state.legs < settings.screenLegs { r.step(&state) }
            s.screened.append(state.objective)
            if s.refinement == nil || state.objective < s.screened[s.chosen] {
                s.chosen = i
                s.refinement = state
            }
            return true
        }
        if s.finalists.isEmpty { s.finalists = finalistOrder(s) }
        guard var state = s.refinement, state.phase != .done else { return false }
        refiner(for: s.candidates[s.chosen]).step(&state)
        s.refinement = state
        if state.phase == .done { nextFinalist(&s) }
        return !s.done
    }

    /// The candidates refined to the end: the `finalists` best screened, best first (ties: the
    /// earlier candidate).
    private func finalistOrder(_ s: RefinementStageState) -> [Int] {
        let order = s.screened.indices.sorted { s.screened[$0] < s.screened[$1] || (s.screened[$0] == s.screened[$1] && $0 < $1) }
        return Array(order.prefix(max(settings.finalists, 1)))
    }

    /// The current finalist is done: keep it if it is the best so far, then start the next one,
    /// or end with the best.
    private func nextFinalist(_ s: inout RefinementStageState) {
        guard let done = s.refinement else { return }
        if s.best == nil || done.objective < s.best!.state.objective { s.best = (s.chosen, done) }
        s.position += 1
        if s.position < s.finalists.count {
            s.chosen = s.finalists[s.position]
            s.refinement = refiner(for: s.candidates[s.chosen]).start()
        } else {
            s.chosen = s.best!.candidate
            s.refinement = s.best!.state
        }
    }

    /// Ends the stage early (its time is up), so that the result is always a playable patch:
    /// the screen stops at the candidates screened so far, and free per-frame index curves are
    /// simplified to breakpoints and refitted for one leg. One step; returns false once done.
    @discardableResult
    public func conclude(_ s: inout RefinementStageState) -> Bool {
        if s.refinement == nil { step(&s) }                     // out of time before any screen: the champion's
        if s.screening { s.candidates = Array(s.candidates.prefix(max(s.screened.count, 1))) }
        guard var state = s.refinement, state.phase != .done else { return false }
        let r = refiner(for: s.candidates[s.chosen])
        if state.phase == .free { r.simplify(&state) }
        r.step(&state)
        state.phase = .done
        s.refinement = state
        if s.finalists.isEmpty { s.finalists = [s.chosen] }
        s.finalists = Array(s.finalists.prefix(s.position + 1))       // no time for the others
        nextFinalist(&s)
        return false
    }

    /// The chosen structure and its envelopes (the best so far while the stage runs).
    public func result(_ s: RefinementStageState) -> (units: [FMUnit], fit: RefinedFit)? {
        guard let state = s.refinement else { return nil }
        let units = s.candidates[s.chosen]
        return (units, refiner(for: units).result(state))
    }

    private func refiner(for units: [FMUnit]) -> Refiner {
        if let r = refiner, r.units == units { return r.refiner }
        let r = Refiner(analysis: analysis, units: units, settings: settings.refinement, threads: threads, fit: fit)
        refiner = (units, r)
        return r
    }
}

/// Where the stage is (checkpointed after every step).
public struct RefinementStageState: Sendable, Equatable {
    /// The candidate structures, best static err first.
    public var candidates: [[FMUnit]]
    /// Objective of each screened candidate, in order.
    public var screened: [Double]
    /// The best screened candidate so far.
    public var chosen: Int
    /// Its refinement state.
    public var refinement: RefinementState?
    /// After the screen: the candidates refined to the end, in order, and which of them is
    /// being refined (`chosen`, `refinement`); `position` = finalists.count once all are done.
    public var finalists: [Int]
    public var position: Int
    /// The finished finalist with the lowest objective so far.
    public var best: (candidate: Int, state: RefinementState)?

    public init(candidates: [[FMUnit]], screened: [Double], chosen: Int, refinement: RefinementState?,
                finalists: [Int] = [], position: Int = 0, best: (candidate: Int, state: RefinementState)? = nil) {
        self.candidates = candidates; self.screened = screened; self.chosen = chosen; self.refinement = refinement
        self.finalists = finalists; self.position = position; self.best = best
    }

    public var screening: Bool { screened.count < candidates.count }
    public var done: Bool { !screening && !finalists.isEmpty && position >= finalists.count && refinement?.phase == .done }

    public static func == (a: Self, b: Self) -> Bool {
        a.candidates == b.candidates && a.screened == b.screened && a.chosen == b.chosen && a.refinement == b.refinement
            && a.finalists == b.finalists && a.position == b.position && a.best?.candidate == b.best?.candidate
            && a.best?.state == b.best?.state
    }
    /// Steps taken: candidates screened plus legs of the chosen refinement after the screen.
    public var phaseDescription: String {
        if screening { return "screening \(screened.count + 1)/\(candidates.count)" }
        let phase = refinement?.phase.description ?? ""
        return finalists.count > 1 && position < finalists.count ? "finalist \(position + 1)/\(finalists.count), \(phase)" : phase
    }
}
