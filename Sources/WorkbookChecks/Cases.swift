import AttentionEngine

/// One input the checks try, with the engine's trace of it: every expected number comes
/// from `Attention.run`, never from the reference solutions.
struct Case: Sendable {
    /// How messages name the case: where it comes from, and whether a lesson shows it.
    let title: String
    let spec: AttentionSpec
    let trace: Trace

    /// Runs the engine. The specs below are valid by construction.
    init(_ title: String, _ spec: AttentionSpec) {
        self.title = title
        self.spec = spec
        do { trace = try Attention.run(spec) } catch { preconditionFailure("check case '\(title)': \(error)") }
    }

    /// The event called `name` in `head` (or the head-less one), e.g. "ω", "α", "Z".
    func event(_ name: String, head: Int = 0) -> TraceEvent {
        guard let event = trace.event(named: name, head: head) ?? trace.event(named: name) else {
            preconditionFailure("check case '\(title)' has no \(name)")
        }
        return event
    }

    /// The same spec changed by `change`, run again (the mistakes' outputs, e.g. without scaling).
    func variant(_ change: (inout AttentionSpec) -> Void) -> Case {
        var spec = self.spec
        change(&spec)
        return Case(title, spec)
    }

    var queryTokens: [String] { spec.tokens }
    var keyTokens: [String] { spec.keyTokens }
    /// The largest score the softmax sees, in absolute value (the large cases make it > 709.78).
    var largestScore: Double {
        let scores = trace.events(spec.scale ? .scaling : .similarity).flatMap(\.values.storage)
        return scores.map(abs).max() ?? 0
    }
}

/// The cases, by where they come from. Lessons' examples first (a student has seen them),
/// then random sentences and large scores that no lesson shows.
enum Cases {
    // MARK: Examples from the lessons

    /// lessons/02-attention-without-weights.md: no weights, no scaling; ω = X·Xᵀ.
    static let journey = Case("“Your journey starts with one step” (lesson 02)", AttentionSpec(
        tokens: ["Your", "journey", "starts", "with", "one", "step"],
        X: Matrix([[0.43, 0.15, 0.89], [0.55, 0.87, 0.66], [0.57, 0.85, 0.64],
                   [0.22, 0.58, 0.33], [0.77, 0.25, 0.10], [0.05, 0.80, 0.55]]),
        scale: false))

    /// lessons/03-learnable-projections.md and examples/i-am-good.yaml: d_model 4, d_k = d_v = 3.
    static let iAmGood = Case("“I am good” (lesson 03)", AttentionSpec(
        tokens: ["I", "am", "good"],
        X: Matrix([[1, 0, 1, 0], [0, 2, 0, 2], [1, 1, 1, 1]]),
        projection: .init(W_Q: Matrix([[1, 0, 1], [1, 0, 0], [0, 0, 1], [0, 1, 1]]),
                          W_K: Matrix([[0, 0, 1], [1, 1, 0], [0, 1, 0], [1, 1, 0]]),
                          W_V: Matrix([[0, 2, 0], [0, 3, 0], [1, 0, 3], [1, 1, 0]]))))

    /// lessons/05-where-to-look.md, "Hello I love you".
    static let love = Case("“Hello I love you” (lesson 05)", AttentionSpec(
        tokens: ["Hello", "I", "love", "you"],
        X: Matrix([[1, 0, 0, 0], [0, 1, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0]]),
        projection: .init(W_Q: Matrix([[0, 0], [0, 1], [2, 0], [0, 0]]),
                          W_K: Matrix([[0, 0], [2, 0], [0, 2], [0, 0]]),
                          W_V: Matrix([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]))))

    /// lessons/05-where-to-look.md, scores around 800 without scaling.
    static let around800 = Case("scores around 800 (lesson 05)", AttentionSpec(
        tokens: ["a", "b", "c"], X: Matrix([[20, 20], [20, 19.95], [20, 19.85]]), scale: false))

    /// lessons/06-masks.md, "the robot lifted it" with a causal mask.
    static let robot = Case("“the robot lifted it”, causal (lesson 06)", AttentionSpec(
        tokens: ["the", "robot", "lifted", "it"],
        X: Matrix([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]),
        projection: .init(W_Q: Matrix([[0, 0], [0, 1], [1, 0], [2, 0]]),
                          W_K: Matrix([[0, 0], [2, 0], [0, 2], [0, 0]]),
                          W_V: Matrix([[0, 0, 1], [3, 1, 0], [0, 2, 0], [0, 0, 1]])),
        mask: .causal))

    /// lessons/07-multi-head.md, "the cat ate fish" with two heads of d_k = 2.
    static let twoHeads = Case("“the cat ate fish”, two heads (lesson 07)", AttentionSpec(
        tokens: ["the", "cat", "ate", "fish"],
        X: Matrix([[1, 0, 0, 0, 0], [0, 1, 1, 0, 0], [-1, 0, 0, 0, 1], [0, -1, 0, 1, 0]]),
        projection: .init(W_Q: Matrix([[0, -3, 0, 0], [3, 0, 0, 0], [0, 0, 0, 3], [0, 0, 0, 3], [0, 0, 3, 0]]),
                          W_K: Matrix([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]),
                          W_V: Matrix([[0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 0, 0]])),
        heads: 2))

    /// lessons/09-cross-attention.md, “I saw the dog” ← “ich habe den Hund gesehen”.
    static let dog = Case("“I saw the dog” ← “ich habe den Hund gesehen” (lesson 09)", AttentionSpec(
        tokens: ["I", "saw", "the", "dog"],
        X: Matrix([[1, 0, 0, 0], [0.5, 1, 0, 0], [0, 0.5, 1, 0], [0, 0, 0.5, 1]]),
        projection: .init(W_Q: Matrix([[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 2, 0], [0, 0, 0, 2]]),
                          W_K: Matrix([[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 2, 0], [0, 0, 0, 2]]),
                          W_V: Matrix([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])),
        source: .init(tokens: ["ich", "habe", "den", "Hund", "gesehen"],
                      X: Matrix([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 1, 0, 0]]))))

    // MARK: Random sentences (in no lesson)

    static let words = ["the", "cat", "sat", "on", "a", "warm", "mat", "and", "then", "slept", "all", "day"]
    static let sourceWords = ["die", "Katze", "saß", "auf", "einer", "warmen", "Matte", "und", "schlief"]

    /// A sentence of `n` tokens with seeded X (values in `range`, two decimals) and
    /// weights in [−1, 1]; with `source`, cross-attention from `source` source tokens.
    static func random(seed: UInt64, tokens n: Int, dModel: Int, dK: Int, dV: Int, heads: Int = 1,
                       source m: Int? = nil, mask: AttentionSpec.Mask? = nil, scale: Bool = true,
                       projected: Bool = true, range: ClosedRange<Double> = -2...2, note: String = "") -> Case {
        let x = { (seed: UInt64, rows: Int) in
            SeededDistribution(seed: seed, low: range.lowerBound, high: range.upperBound, decimals: 2).matrix(rows: rows, columns: dModel)
        }
        let w = { (seed: UInt64, columns: Int) in
            SeededDistribution(seed: seed, low: -1, high: 1, decimals: 2).matrix(rows: dModel, columns: heads * columns)
        }
        let projection = projected ? AttentionSpec.Projection(W_Q: w(seed &+ 1, dK), W_K: w(seed &+ 2, dK), W_V: w(seed &+ 3, dV)) : nil
        let source = m.map { AttentionSpec.Source(tokens: Array(sourceWords.prefix($0)), X: x(seed &+ 4, $0)) }
        var shape = "\(n) tokens"
        if let m { shape += " looking at \(m) source tokens" }
        shape += projected ? ", d_model = \(dModel), d_k = \(dK), d_v = \(dV)" : ", d = \(dModel)"
        if heads > 1 { shape += ", \(heads) heads" }
        if mask == .causal { shape += ", causal mask" }
        return Case("a random sentence of \(shape)\(note) (seed \(seed); in no lesson)", AttentionSpec(
            tokens: Array(words.prefix(n)), X: x(seed, n), projection: projection, heads: heads,
            scale: scale, mask: mask, source: source))
    }

    /// Scores far beyond 709.78, where exp overflows a Double: X in [−60, 60].
    static func large(seed: UInt64, tokens n: Int, dModel: Int = 4, dK: Int = 4, dV: Int = 3,
                      mask: AttentionSpec.Mask? = nil) -> Case {
        let c = random(seed: seed, tokens: n, dModel: dModel, dK: dK, dV: dV, mask: mask, range: -60...60)
        let note = ", scores up to \(Int(c.largestScore.rounded()))"
        return random(seed: seed, tokens: n, dModel: dModel, dK: dK, dV: dV, mask: mask, range: -60...60, note: note)
    }

    /// Unscaled scores near 1800 that differ by a few units, so that α is spread out.
    static let around1800 = Case("scores around 1800, a few units apart (in no lesson)", AttentionSpec(
        tokens: ["a", "b", "c", "d"],
        X: SeededDistribution(seed: 77, low: 29.9, high: 30.1, decimals: 3).matrix(rows: 4, columns: 2),
        scale: false))

    /// Unscaled scores up to about a million.
    static let aroundMillion = Case("scores up to about 10⁶ (in no lesson)", AttentionSpec(
        tokens: ["a", "b", "c"],
        X: SeededDistribution(seed: 78, low: -700, high: 700, decimals: 0).matrix(rows: 3, columns: 2),
        scale: false))
}
