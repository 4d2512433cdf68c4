/// One exercise of the workbook: the function a student writes, where it is taught, a
/// hint, and the check that compares it with the engine on several cases.
public struct WorkbookExercise: Sendable {
    public let number: Int
    /// The function as Swift's `#function` spells it, e.g. `scores(query:keys:)`.
    public let function: String
    public let title: String
    /// The lesson that teaches it: a file in lessons/, without `.md`.
    public let lesson: String
    /// The file in Sources/Workbook (the stub) and in Sources/WorkbookSolutions (the solution).
    public let file: String
    public let hint: String
    /// The NumPy edition's function, e.g. `softmax_rows(scores)`, in `workbook/python/NN_name.py`.
    public let python: String
    /// The hint for the NumPy edition.
    public let pythonHint: String
    /// The earlier exercises whose functions this one may call (the Swift edition compiles
    /// it against their modules; a wrong one among them is blamed first).
    public let calls: [Int]
    let run: @Sendable (Implementations) -> Outcome

    /// The bare names: `softmaxRows`, `softmax_rows`.
    public var swiftName: String { String(function.prefix { $0 != "(" }) }
    public var pythonName: String { String(python.prefix { $0 != "(" }) }
    /// `05_softmax_rows.py`.
    public var pythonFile: String { (number < 10 ? "0" : "") + "\(number)_\(pythonName).py" }

    init(number: Int, function: String, title: String, lesson: String, file: String, hint: String,
         python: String, pythonHint: String, calls: [Int] = [], run: @escaping @Sendable (Implementations) -> Outcome) {
        self.number = number
        self.function = function
        self.title = title
        self.lesson = lesson
        self.file = file
        self.hint = hint
        self.python = python
        self.pythonHint = pythonHint
        self.calls = calls
        self.run = run
    }

    /// Runs every case of this exercise against `implementations`.
    public func check(_ implementations: Implementations) -> Outcome { run(implementations) }

    public static func numbered(_ number: Int) -> WorkbookExercise? {
        all.first { $0.number == number }
    }

    /// In lesson order. The numbers need not be contiguous: a number is an exercise's name
    /// (its files, `attn check N`), so a gap is never closed by renumbering.
    public static let all: [WorkbookExercise] = [
        .init(number: 1, function: "scores(query:keys:)", title: "dot-product scores for one query",
              lesson: "02-attention-without-weights", file: "01-Scores.swift",
              hint: "For each key row k in keys, add up query[c] * k[c] over every position c, and collect the sums in the order of the keys.",
              python: "scores(query, keys)",
              pythonHint: "keys @ query gives every dot product at once; or, for each key row k, sum query[c] * k[c] over every position c.",
              run: ScoreChecks.scores),
        .init(number: 2, function: "scoreMatrix(queries:keys:)", title: "the score matrix ω = Q·Kᵀ",
              lesson: "02-attention-without-weights", file: "02-ScoreMatrix.swift",
              hint: "Row i of ω is scores(query: queries[i], keys: keys): map your exercise 1 over the queries. The result has one row per query and one column per key.",
              python: "score_matrix(queries, keys)",
              pythonHint: "Row i of omega is scores(queries[i], keys); in one line, queries @ keys.T. The result has one row per query and one column per key.", calls: [1],
              run: ScoreChecks.scoreMatrix),
        .init(number: 3, function: "project(_:_:)", title: "the projections Q = X·W_Q, K = X·W_K, V = X·W_V",
              lesson: "03-learnable-projections", file: "03-Project.swift",
              hint: "Entry [i][c] is the dot product of row i of X with COLUMN c of W: sum X[i][r] * W[r][c] over r. The result has X's rows and W's columns.",
              python: "project(X, W)",
              pythonHint: "Entry [i, c] is the dot product of row i of X with COLUMN c of W: that is X @ W. The result has X's rows and W's columns.",
              run: ScoreChecks.project),
        .init(number: 4, function: "scaled(_:dK:)", title: "scaling the scores by √d_k",
              lesson: "04-why-scale", file: "04-Scaled.swift",
              hint: "Compute the root once, let root = Double(dK).squareRoot(), then divide every score by it: scores.map { row in row.map { $0 / root } }.",
              python: "scaled(scores, d_k)",
              pythonHint: "Divide every score by np.sqrt(d_k): scores / np.sqrt(d_k).",
              run: ScoreChecks.scaled),
        .init(number: 5, function: "softmaxRows(_:)", title: "a numerically stable softmax of each row",
              lesson: "05-where-to-look", file: "05-SoftmaxRows.swift",
              hint: "For each row on its own: find its maximum m, take exp(s - m) of every entry, add those up, "
                  + "and divide each by the sum. exp(-infinity) is 0, so masked scores need no special case.",
              python: "softmax_rows(scores)",
              pythonHint: "Per row: m = scores.max(axis=1, keepdims=True); e = np.exp(scores - m); then divide e by e.sum(axis=1, "
                  + "keepdims=True). exp(-inf) is 0, so masked scores need no special case.",
              run: SoftmaxChecks.softmaxRows),
        .init(number: 6, function: "contextVector(weights:values:)", title: "one context vector z = Σ_j α_j v_j",
              lesson: "02-attention-without-weights", file: "06-ContextVector.swift",
              hint: "Start from a vector of d_v zeros; for each j, add weights[j] * values[j][c] to component c. The result has as many numbers as a value row.",
              python: "context_vector(weights, values)",
              pythonHint: "weights @ values, or start from np.zeros(d_v) and add weights[j] * values[j] for every j. The result has as many numbers as a value row.",
              run: SoftmaxChecks.contextVector),
        .init(number: 7, function: "attention(_:W_Q:W_K:W_V:)", title: "full single-head self-attention",
              lesson: "05-where-to-look", file: "07-Attention.swift",
              hint: "Chain your functions: Q, K, V with project; scoreMatrix(queries: Q, keys: K); scaled(…, dK: W_Q[0].count); "
                  + "softmaxRows; then contextVector(weights: row, values: V) for each row of α.",
              python: "attention(X, W_Q, W_K, W_V)",
              pythonHint: "Chain your functions: Q, K, V with project; score_matrix(Q, K); scaled(..., W_Q.shape[1]); softmax_rows; "
                  + "then alpha @ V (or context_vector for each row of alpha).", calls: [1, 2, 3, 4, 5, 6],
              run: AttentionChecks.attention),
        .init(number: 8, function: "causalWeights(_:)", title: "a causal mask",
              lesson: "06-masks", file: "08-CausalWeights.swift",
              hint: "Copy the scores, set entry [i][j] to -Double.infinity wherever j > i, and only then call softmaxRows. Do not zero weights after the softmax: the rows would no longer sum to 1.",
              python: "causal_weights(scores)",
              pythonHint: "Copy the scores, set entry [i, j] to -np.inf wherever j > i (np.triu(..., k=1) finds them), "
                  + "and only then call softmax_rows. Do not zero weights after the softmax: "
                  + "the rows would no longer sum to 1.", calls: [5],
              run: AttentionChecks.causalWeights),
        .init(number: 9, function: "splitHeads(_:heads:)", title: "splitting into heads",
              lesson: "07-multi-head", file: "09-SplitHeads.swift",
              hint: "Let d = matrix[0].count / heads. Head h is every row cut to the columns h*d ..< (h+1)*d: matrix.map { Array($0[h*d ..< (h+1)*d]) }.",
              python: "split_heads(matrix, heads)",
              pythonHint: "Let d = matrix.shape[1] // heads. Head h is matrix[:, h*d:(h+1)*d], for h in range(heads).",
              run: HeadChecks.splitHeads),
        .init(number: 10, function: "concatenateHeads(_:)", title: "concatenating the heads",
              lesson: "07-multi-head", file: "10-ConcatenateHeads.swift",
              hint: "For each row index i, join heads[0][i], heads[1][i], … into one row (heads.flatMap { $0[i] }). The number of rows does not change.",
              python: "concatenate_heads(heads)",
              pythonHint: "np.concatenate(heads, axis=1): side by side, so the number of rows does not change.",
              run: HeadChecks.concatenateHeads),
        .init(number: 11, function: "crossAttention(_:source:W_Q:W_K:W_V:)", title: "cross-attention",
              lesson: "09-cross-attention", file: "11-CrossAttention.swift",
              hint: "As in exercise 7, but project the queries from X and the keys and values from source. The scores are n × m (target rows, source columns), and Z has one row per target token.",
              python: "cross_attention(X, source, W_Q, W_K, W_V)",
              pythonHint: "As in exercise 7, but project the queries from X and the keys and values from source. "
                  + "The scores are n x m (target rows, source columns), and Z has one row per target token.", calls: [1, 2, 3, 4, 5, 6],
              run: AttentionChecks.crossAttention),
        .init(number: 12, function: "softmaxBackwardRow(weights:dWeights:)", title: "the softmax backward of one row",
              lesson: "12-how-attention-learns", file: "12-SoftmaxBackwardRow.swift",
              hint: "First the weighted average of the row, average = Σ_k weights[k] * dWeights[k] (one number). Then entry j is "
                  + "weights[j] * (dWeights[j] - average): the weight times how far its own dα lies from that average.",
              python: "softmax_backward_row(weights, d_weights)",
              pythonHint: "First the weighted average of the row, average = weights @ d_weights (one number). Then return "
                  + "weights * (d_weights - average): each weight times how far its own dα lies from that average.",
              run: BackwardChecks.softmaxBackwardRow),
        .init(number: 13, function: "valueGradient(weights:dZ:)", title: "the value gradient dV = αᵀ·dZ",
              lesson: "12-how-attention-learns", file: "13-ValueGradient.swift",
              hint: "dV has one row per KEY token: row j is Σ_i weights[i][j] * dZ[i], every query's row of dZ times the weight it gave "
                  + "key j. That is αᵀ·dZ: transpose the weights first (then your project(_:_:) of exercise 3 can multiply).",
              python: "value_gradient(weights, dZ)",
              pythonHint: "dV has one row per KEY token: row j is the sum over i of weights[i, j] * dZ[i]. That is weights.T @ dZ; "
                  + "weights @ dZ has one row per query instead.", calls: [3],
              run: BackwardChecks.valueGradient),
        .init(number: 14, function: "queryKeyGradients(dScores:queries:keys:dK:)", title: "the query and key gradients dQ, dK",
              lesson: "12-how-attention-learns", file: "14-QueryKeyGradients.swift",
              hint: "Let root = Double(dK).squareRoot() (the argument dK is the number d_k). Row i of the query gradient is "
                  + "Σ_j dScores[i][j] * keys[j] / root (dω_scaled·K / √d_k); row j of the key gradient is Σ_i dScores[i][j] * queries[i] / root "
                  + "(dω_scaledᵀ·Q / √d_k, one row per KEY). Return the query gradient first, then the key gradient.",
              python: "query_key_gradients(d_scores, queries, keys, d_k)",
              pythonHint: "root = np.sqrt(d_k); dQ = d_scores @ keys / root; dK = d_scores.T @ queries / root. Return the tuple "
                  + "(dQ, dK) in that order.", calls: [3, 4],
              run: BackwardChecks.queryKeyGradients),
        .init(number: 15, function: "decodeStep(query:key:value:keys:values:)", title: "a decode step with a KV cache",
              lesson: "13-kv-cache", file: "15-DecodeStep.swift",
              hint: "Append first: K = keys + [key], V = values + [value]. Then the scores of the query against every row of K, "
                  + "each divided by √d_k (d_k = query.count), their softmax, and the weighted sum of the rows of V.",
              python: "decode_step(query, key, value, keys, values)",
              pythonHint: "Append first: K = np.vstack([keys, key]), V = np.vstack([values, value]) (keys has shape (0, d_k) when "
                  + "the cache is empty). Then s = K @ query / np.sqrt(len(query)), its softmax, and the weighted sum of the rows "
                  + "of V; return (K, V, z).", calls: [1, 2, 3, 4, 5, 6],
              run: VariantChecks.decodeStep),
        .init(number: 16, function: "onlineSoftmaxStep(m:l:o:scores:values:)", title: "one tile of the online softmax",
              lesson: "14-online-softmax", file: "16-OnlineSoftmaxStep.swift",
              hint: "Let mNew = max(m, scores.max()!). If mNew is -infinity return (m, l, o). Else rescale = exp(m - mNew), "
                  + "p_j = exp(scores[j] - mNew); return (mNew, l * rescale + Σ p_j, o * rescale + Σ p_j * values[j]).",
              python: "online_softmax_step(m, l, o, scores, values)",
              pythonHint: "m_new = max(m, scores.max()). If m_new is -np.inf return (m, l, o) unchanged. Else rescale = "
                  + "np.exp(m - m_new) and p = np.exp(scores - m_new); return (m_new, l * rescale + p.sum(), o * rescale + p @ values).",
              run: VariantChecks.onlineSoftmaxStep),
    ]
}
