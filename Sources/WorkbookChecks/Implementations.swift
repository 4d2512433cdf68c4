/// The workbook's functions as values, so that the same checks run on the student's
/// workbook (Sources/Workbook), the reference solutions (Sources/WorkbookSolutions) and
/// deliberately wrong versions (Tests/WorkbookTests). Shapes as in the workbook's doc comments.
public struct Implementations {
    /// 1 · ω_j = q·k_j                        (d), (m × d) → (m)
    public var scores: (_ query: [Double], _ keys: [[Double]]) -> [Double]
    /// 2 · ω = Q·Kᵀ                           (n × d), (m × d) → (n × m)
    public var scoreMatrix: (_ queries: [[Double]], _ keys: [[Double]]) -> [[Double]]
    /// 3 · P = X·W                            (n × d_model), (d_model × d_out) → (n × d_out)
    public var project: (_ X: [[Double]], _ W: [[Double]]) -> [[Double]]
    /// 4 · ω / √d_k                           (n × m) → (n × m)
    public var scaled: (_ scores: [[Double]], _ dK: Int) -> [[Double]]
    /// 5 · stable softmax of each row         (n × m) → (n × m)
    public var softmaxRows: (_ scores: [[Double]]) -> [[Double]]
    /// 6 · z = Σ_j α_j v_j                    (m), (m × d_v) → (d_v)
    public var contextVector: (_ weights: [Double], _ values: [[Double]]) -> [Double]
    /// 7 · softmax(Q·Kᵀ/√d_k)·V from X        (n × d_model), W_Q, W_K, W_V → (n × d_v)
    public var attention: (_ X: [[Double]], _ W_Q: [[Double]], _ W_K: [[Double]], _ W_V: [[Double]]) -> [[Double]]
    /// 8 · softmax with −∞ where j > i        (n × n) → (n × n)
    public var causalWeights: (_ scores: [[Double]]) -> [[Double]]
    /// 9 · column blocks                      (n × h·d) → h × (n × d)
    public var splitHeads: (_ matrix: [[Double]], _ heads: Int) -> [[[Double]]]
    /// 10 · [Z_0 | Z_1 | …]                   h × (n × d_v) → (n × h·d_v)
    public var concatenateHeads: (_ heads: [[[Double]]]) -> [[Double]]
    /// 11 · Q from X, K and V from X_src      (n × d_model), (m × d_model), … → (n × d_v)
    public var crossAttention: (_ X: [[Double]], _ source: [[Double]], _ W_Q: [[Double]], _ W_K: [[Double]], _ W_V: [[Double]]) -> [[Double]]
    /// 12 · dω_scaled_j = α_j (dα_j − Σ_k α_k dα_k)   (m), (m) → (m)
    public var softmaxBackwardRow: (_ weights: [Double], _ dWeights: [Double]) -> [Double]
    /// 13 · dV = αᵀ·dZ                         (n × m), (n × d_v) → (m × d_v)
    public var valueGradient: (_ weights: [[Double]], _ dZ: [[Double]]) -> [[Double]]
    /// 14 · dQ = dω_scaled·K/√d_k, dK = dω_scaledᵀ·Q/√d_k   (n × m), (n × d_k), (m × d_k) → (n × d_k), (m × d_k)
    public var queryKeyGradients: (_ dScores: [[Double]], _ queries: [[Double]], _ keys: [[Double]], _ dK: Int) -> (dQ: [[Double]], dK: [[Double]])
    /// 15 · a decode step with a KV cache      (d_k), (d_k), (d_v), (t × d_k), (t × d_v) → (t+1 × d_k), (t+1 × d_v), (d_v)
    public var decodeStep: (_ query: [Double], _ key: [Double], _ value: [Double], _ keys: [[Double]], _ values: [[Double]]) -> (keys: [[Double]], values: [[Double]], z: [Double])
    /// 16 · one tile of the online softmax     m, ℓ, (d_v), (b), (b × d_v) → m, ℓ, (d_v)
    public var onlineSoftmaxStep: (_ m: Double, _ l: Double, _ o: [Double], _ scores: [Double], _ values: [[Double]]) -> (m: Double, l: Double, o: [Double])

    public init(
        scores: @escaping ([Double], [[Double]]) -> [Double],
        scoreMatrix: @escaping ([[Double]], [[Double]]) -> [[Double]],
        project: @escaping ([[Double]], [[Double]]) -> [[Double]],
        scaled: @escaping ([[Double]], Int) -> [[Double]],
        softmaxRows: @escaping ([[Double]]) -> [[Double]],
        contextVector: @escaping ([Double], [[Double]]) -> [Double],
        attention: @escaping ([[Double]], [[Double]], [[Double]], [[Double]]) -> [[Double]],
        causalWeights: @escaping ([[Double]]) -> [[Double]],
        splitHeads: @escaping ([[Double]], Int) -> [[[Double]]],
        concatenateHeads: @escaping ([[[Double]]]) -> [[Double]],
        crossAttention: @escaping ([[Double]], [[Double]], [[Double]], [[Double]], [[Double]]) -> [[Double]],
        softmaxBackwardRow: @escaping ([Double], [Double]) -> [Double],
        valueGradient: @escaping ([[Double]], [[Double]]) -> [[Double]],
        queryKeyGradients: @escaping ([[Double]], [[Double]], [[Double]], Int) -> (dQ: [[Double]], dK: [[Double]]),
        decodeStep: @escaping ([Double], [Double], [Double], [[Double]], [[Double]]) -> (keys: [[Double]], values: [[Double]], z: [Double]),
        onlineSoftmaxStep: @escaping (Double, Double, [Double], [Double], [[Double]]) -> (m: Double, l: Double, o: [Double])
    ) {
        self.scores = scores
        self.scoreMatrix = scoreMatrix
        self.project = project
        self.scaled = scaled
        self.softmaxRows = softmaxRows
        self.contextVector = contextVector
        self.attention = attention
        self.causalWeights = causalWeights
        self.splitHeads = splitHeads
        self.concatenateHeads = concatenateHeads
        self.crossAttention = crossAttention
        self.softmaxBackwardRow = softmaxBackwardRow
        self.valueGradient = valueGradient
        self.queryKeyGradients = queryKeyGradients
        self.decodeStep = decodeStep
        self.onlineSoftmaxStep = onlineSoftmaxStep
    }

    /// These functions, with exercise `number`'s taken from `other`.
    public func replacing(_ number: Int, from other: Implementations) -> Implementations {
        var result = self
        switch number {
        case 1: result.scores = other.scores
        case 2: result.scoreMatrix = other.scoreMatrix
        case 3: result.project = other.project
        case 4: result.scaled = other.scaled
        case 5: result.softmaxRows = other.softmaxRows
        case 6: result.contextVector = other.contextVector
        case 7: result.attention = other.attention
        case 8: result.causalWeights = other.causalWeights
        case 9: result.splitHeads = other.splitHeads
        case 10: result.concatenateHeads = other.concatenateHeads
        case 11: result.crossAttention = other.crossAttention
        case 12: result.softmaxBackwardRow = other.softmaxBackwardRow
        case 13: result.valueGradient = other.valueGradient
        case 14: result.queryKeyGradients = other.queryKeyGradients
        case 15: result.decodeStep = other.decodeStep
        case 16: result.onlineSoftmaxStep = other.onlineSoftmaxStep
        default: break
        }
        return result
    }

    /// Every function doing `act` (which never returns) instead of its work: a set of
    /// implementations that trap or hang, to prove a check run survives them.
    public static func every(_ act: @escaping () -> Never) -> Implementations {
        Implementations(
            scores: { _, _ in act() }, scoreMatrix: { _, _ in act() }, project: { _, _ in act() },
            scaled: { _, _ in act() }, softmaxRows: { _ in act() }, contextVector: { _, _ in act() },
            attention: { _, _, _, _ in act() }, causalWeights: { _ in act() }, splitHeads: { _, _ in act() },
            concatenateHeads: { _ in act() }, crossAttention: { _, _, _, _, _ in act() },
            softmaxBackwardRow: { _, _ in act() }, valueGradient: { _, _ in act() }, queryKeyGradients: { _, _, _, _ in act() },
            decodeStep: { _, _, _, _, _ in act() }, onlineSoftmaxStep: { _, _, _, _, _ in act() })
    }
}
