/// Everything the forward pass needs, with every matrix already resolved to numbers.
///
/// Row convention throughout: one row per token, Q = X·W_Q. Shapes, with n query tokens,
/// m key/value tokens (m = n unless there is a `source`), h heads:
///
///     X       (n × d_model)        source.X  (m × d_model)
///     W_Q     (d_model × h·d_k)    b_Q  (h·d_k)
///     W_K     (d_model × g·d_k)    b_K  (g·d_k)     g = kv_heads (default h)
///     W_V     (d_model × g·d_v)    b_V  (g·d_v)
///     W_O     (h·d_v × d_out)      b_O  (d_out)
public struct AttentionSpec: Sendable {
    public var tokens: [String]
    public var X: Matrix
    public var projection: Projection?
    public var heads: Int
    public var scale: Bool
    public var mask: Mask?
    public var source: Source?
    public var positional: PositionalEncoding?
    public var output: OutputProjection?
    /// The backward pass: dO, the gradient of a loss with respect to the output (Backward.swift).
    public var backward: Backward?
    /// Grouped-query attention: the number of key/value heads (nil: one per query head).
    public var kvHeads: Int?
    /// A KV cache: the first tokens at once, then one decode step per token.
    public var decode: Decode?
    /// Tiled attention with the online softmax.
    public var tiles: Tiles?
    /// Dropout on the attention weights, seeded (Dropout.swift); nil: none, as at inference.
    public var dropout: Dropout? = nil

    public init(tokens: [String], X: Matrix, projection: Projection? = nil, heads: Int = 1,
                scale: Bool = true, mask: Mask? = nil, source: Source? = nil,
                positional: PositionalEncoding? = nil, output: OutputProjection? = nil,
                backward: Backward? = nil, kvHeads: Int? = nil, decode: Decode? = nil, tiles: Tiles? = nil) {
        self.tokens = tokens
        self.X = X
        self.projection = projection
        self.heads = heads
        self.scale = scale
        self.mask = mask
        self.source = source
        self.positional = positional
        self.output = output
        self.backward = backward
        self.kvHeads = kvHeads
        self.decode = decode
        self.tiles = tiles
    }

    public struct Projection: Sendable {
        public var W_Q: Matrix
        public var W_K: Matrix
        public var W_V: Matrix
        public var b_Q: [Double]?
        public var b_K: [Double]?
        public var b_V: [Double]?
        public init(W_Q: Matrix, W_K: Matrix, W_V: Matrix,
                    b_Q: [Double]? = nil, b_K: [Double]? = nil, b_V: [Double]? = nil) {
            self.W_Q = W_Q; self.W_K = W_K; self.W_V = W_V
            self.b_Q = b_Q; self.b_K = b_K; self.b_V = b_V
        }
    }

    public struct OutputProjection: Sendable {
        public var W_O: Matrix
        public var b_O: [Double]?
        public init(W_O: Matrix, b_O: [Double]? = nil) { self.W_O = W_O; self.b_O = b_O }
    }

    /// Cross-attention: keys and values come from these tokens instead of the main ones.
    public struct Source: Sendable {
        public var tokens: [String]
        public var X: Matrix
        public init(tokens: [String], X: Matrix) { self.tokens = tokens; self.X = X }
    }

    public enum Mask: Hashable, Sendable {
        /// Query i may look at keys j ≤ i only.
        case causal
        /// `padding[j] == true`: key j is padding and no query may look at it.
        case padding([Bool])
        /// A sliding window of `w` keys: query i may look at keys j ≤ i with i − j < w.
        case window(Int)
    }

    public enum PositionalEncoding: Hashable, Sendable {
        /// "Attention Is All You Need": PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(…).
        case sinusoidal
        /// Rotary position embeddings (RoFormer): each head's q and k turned pair by pair.
        case rotary(Rotary)
    }

    /// RoPE: pair i of a d_k-wide vector at position p is turned by the angle p·θ_i,
    /// θ_i = base^(−2i/d_k).
    public struct Rotary: Hashable, Sendable {
        public enum Pairing: String, Hashable, Sendable {
            /// Columns (2i, 2i+1), as in RoFormer.
            case adjacent
            /// Columns (i, i + d_k/2), as in Llama's Hugging Face code (`rotate_half`).
            case half
        }
        public var pairing: Pairing
        public var base: Double
        public init(pairing: Pairing = .adjacent, base: Double = 10000) { self.pairing = pairing; self.base = base }
    }

    /// `decode: {prefill: p}`: tokens 0..<p in one pass, then tokens p, p+1, … one at a time.
    public struct Decode: Hashable, Sendable {
        public var prefill: Int
        public init(prefill: Int) { self.prefill = prefill }
    }

    /// `tiles: {rows: Br, columns: Bc}`: queries in blocks of Br rows, keys in blocks of Bc.
    public struct Tiles: Hashable, Sendable {
        public var rows: Int
        public var columns: Int
        public init(rows: Int, columns: Int) { self.rows = rows; self.columns = columns }
    }

    // MARK: Derived sizes

    public var dModel: Int { X.columns }
    /// Key/query width per head.
    public var dK: Int { (projection?.W_Q.columns ?? dModel) / max(heads, 1) }
    /// Value width per head.
    public var dV: Int { (projection?.W_V.columns ?? dModel) / max(kvHeadCount, 1) }
    public var keyTokens: [String] { source?.tokens ?? tokens }
    /// The number of key/value heads, g: `heads` unless kv_heads says fewer.
    public var kvHeadCount: Int { kvHeads ?? heads }
    /// The key/value head query head `h` reads: h / (heads / g).
    public func kvHead(of h: Int) -> Int { h / max(heads / max(kvHeadCount, 1), 1) }
    /// The query heads that share key/value head `g`.
    public func queryHeads(sharing g: Int) -> Range<Int> {
        let size = heads / max(kvHeadCount, 1)
        return (g * size)..<((g + 1) * size)
    }
    /// The rotary encoding, if the spec has one.
    public var rotary: Rotary? {
        if case .rotary(let r) = positional { return r }
        return nil
    }
}

/// Where in the spec a problem is: a key path such as `W_Q`, `mask.padding` or `X[2]`.
public enum SpecPathComponent: Hashable, Sendable, CustomStringConvertible {
    case key(String)
    case index(Int)
    public var description: String {
        switch self {
        case .key(let k): return k
        case .index(let i): return "[\(i)]"
        }
    }
}

/// A spec that cannot be computed, with the key it is about, so that a loader can point
/// at the right line of the file.
public struct SpecError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: [SpecPathComponent]
    public var message: String
    public init(_ message: String, at path: [SpecPathComponent]) {
        self.path = path
        self.message = message
    }
    public init(_ message: String, at key: String) { self.init(message, at: [.key(key)]) }
    public var description: String { message }
}

/// Documented size limits: beyond them a spec is refused instead of exhausting memory.
public enum Limits {
    public static let maxTokens = 4096
    public static let maxDimension = 4096
    public static let maxHeads = 256
    /// heads · n · m: the cells of one score matrix stage, over all heads.
    public static let maxScoreCells = 1 << 26
    /// Tokens with `tiles`: no score matrix is ever whole, so only n·d-sized ones count.
    public static let maxTiledTokens = 1 << 16
}

extension AttentionSpec {
    /// Checks shapes, values and limits. Every error names the key it is about.
    public func validate() throws(SpecError) {
        let n = tokens.count
        if n == 0 { throw SpecError("tokens is empty: give at least one token, e.g. tokens: [I, am, good]", at: "tokens") }
        let maxTokens = tiles == nil ? Limits.maxTokens : Limits.maxTiledTokens
        if n > maxTokens { throw SpecError("\(n) tokens is more than the limit of \(maxTokens)\(tiles == nil ? " (with tiles: \(Limits.maxTiledTokens))" : "")", at: "tokens") }
        if X.rows != n {
            throw SpecError("X has \(X.rows) row\(X.rows == 1 ? "" : "s") but there \(n == 1 ? "is 1 token" : "are \(n) tokens"): give one row of X per token", at: "X")
        }
        let d = X.columns
        if d == 0 { throw SpecError("X has no columns: each row needs at least one number", at: "X") }
        if d > Limits.maxDimension { throw SpecError("d_model = \(d) is more than the limit of \(Limits.maxDimension)", at: "X") }
        try Self.checkFinite(X, "X")
        if heads < 1 { throw SpecError("heads must be at least 1, not \(heads)", at: "heads") }
        if heads > Limits.maxHeads { throw SpecError("heads = \(heads) is more than the limit of \(Limits.maxHeads)", at: "heads") }
        if let g = kvHeads {
            if g < 1 { throw SpecError("kv_heads must be at least 1, not \(g)", at: "kv_heads") }
            if heads % g != 0 {
                throw SpecError("kv_heads = \(g) does not divide heads = \(heads): each key/value head serves the same number of query heads", at: "kv_heads")
            }
            if projection == nil {
                throw SpecError("kv_heads needs W_Q, W_K and W_V: without projections the heads' keys and values are X's own columns", at: "kv_heads")
            }
        }

        if let projection {
            let g = kvHeadCount
            for (name, W, blocks) in [("W_Q", projection.W_Q, heads), ("W_K", projection.W_K, g), ("W_V", projection.W_V, g)] {
                if W.rows != d {
                    throw SpecError("\(name) has \(W.rows) rows but X has \(d) columns: \(name) needs one row per column of X (d_model = \(d))", at: name)
                }
                if W.columns == 0 { throw SpecError("\(name) has no columns", at: name) }
                if W.columns > Limits.maxDimension * 4 { throw SpecError("\(name) has \(W.columns) columns, more than the limit of \(Limits.maxDimension * 4)", at: name) }
                if W.columns % blocks != 0 {
                    throw SpecError("\(name) has \(W.columns) columns, which \(blocks) \(blocks == heads ? "" : "key/value ")heads cannot split into equal blocks", at: name)
                }
                try Self.checkFinite(W, name)
            }
            if g == heads, projection.W_K.columns != projection.W_Q.columns {
                throw SpecError("W_K has \(projection.W_K.columns) columns but W_Q has \(projection.W_Q.columns): queries and keys must have the same width to take dot products", at: "W_K")
            }
            if g != heads, projection.W_K.columns / g != projection.W_Q.columns / heads {
                throw SpecError("W_K has \(projection.W_K.columns) columns but kv_heads·d_k = \(g)·\(projection.W_Q.columns / heads) "
                    + "= \(g * (projection.W_Q.columns / heads)): each key head must be as wide as a query head", at: "W_K")
            }
            for (name, bias, width) in [("b_Q", projection.b_Q, projection.W_Q.columns),
                                        ("b_K", projection.b_K, projection.W_K.columns),
                                        ("b_V", projection.b_V, projection.W_V.columns)] {
                guard let bias else { continue }
                let weight = "W_" + name.dropFirst(2)
                if bias.count != width {
                    throw SpecError("\(name) has \(bias.count) values but \(weight) has \(width) columns: give one bias per column", at: name)
                }
                try Self.checkFinite(bias, name)
            }
        } else if d % heads != 0 {
            throw SpecError("heads = \(heads) does not divide d_model = \(d): without W_Q, W_K, W_V the \(d) columns of X are split into \(heads) equal blocks", at: "heads")
        }

        if let source {
            let m = source.tokens.count
            if m == 0 { throw SpecError("source.tokens is empty: give at least one token", at: [.key("source"), .key("tokens")]) }
            if m > Limits.maxTokens { throw SpecError("\(m) source tokens is more than the limit of \(Limits.maxTokens)", at: [.key("source"), .key("tokens")]) }
            if source.X.rows != m {
                throw SpecError("source.X has \(source.X.rows) rows but there are \(m) source tokens: give one row per token", at: [.key("source"), .key("X")])
            }
            if source.X.columns != d {
                throw SpecError("source.X has \(source.X.columns) columns but X has \(d): both sentences must use the same d_model", at: [.key("source"), .key("X")])
            }
            try Self.checkFinite(source.X, [.key("source"), .key("X")])
        }

        let m = keyTokens.count
        if tiles == nil, heads * n * m > Limits.maxScoreCells {
            throw SpecError("heads·n·m = \(heads)·\(n)·\(m) score cells is more than the limit of \(Limits.maxScoreCells)", at: "tokens")
        }

        switch mask {
        case .padding(let padding):
            if padding.count != m {
                throw SpecError("mask.padding has \(padding.count) entries but there are \(m) key tokens: give one true/false per key", at: [.key("mask"), .key("padding")])
            }
            if padding.allSatisfy({ $0 }) {
                throw SpecError("mask.padding marks every key as padding, so no query has anything to attend to (its softmax would be "
                    + "0/0): leave at least one key false", at: [.key("mask"), .key("padding")])
            }
        case .window(let w):
            if w < 1 { throw SpecError("mask.window must be at least 1 (the token itself), not \(w)", at: [.key("mask"), .key("window")]) }
            if source != nil { throw SpecError("mask.window needs self-attention: a sliding window counts back from each query's own "
                + "position, which a separate source does not share", at: [.key("mask"), .key("window")]) }
        case .causal, nil:
            break
        }
        try validateVariants()

        if let output {
            let width = heads * dV
            if output.W_O.rows != width {
                throw SpecError("W_O has \(output.W_O.rows) rows but the concatenated heads have \(width) columns (heads·d_v = \(heads)·\(dV))", at: "W_O")
            }
            if output.W_O.columns == 0 { throw SpecError("W_O has no columns", at: "W_O") }
            if output.W_O.columns > Limits.maxDimension * 4 { throw SpecError("W_O has \(output.W_O.columns) columns, more than the limit of \(Limits.maxDimension * 4)", at: "W_O") }
            try Self.checkFinite(output.W_O, "W_O")
            if let b = output.b_O {
                if b.count != output.W_O.columns {
                    throw SpecError("b_O has \(b.count) values but W_O has \(output.W_O.columns) columns: give one bias per column", at: "b_O")
                }
                try Self.checkFinite(b, "b_O")
            }
        }
    }

    private static func checkFinite(_ m: Matrix, _ key: String) throws(SpecError) {
        try checkFinite(m, [.key(key)])
    }

    private static func checkFinite(_ m: Matrix, _ path: [SpecPathComponent]) throws(SpecError) {
        if let index = m.storage.firstIndex(where: { !$0.isFinite }) {
            let (i, j) = (index / m.columns, index % m.columns)
            let name = path.map(\.description).joined(separator: ".")
            throw SpecError("\(name)[\(i)][\(j)] is \(m.storage[index]): every value must be a finite number", at: path + [.index(i), .index(j)])
        }
    }

    private static func checkFinite(_ v: [Double], _ key: String) throws(SpecError) {
        if let j = v.firstIndex(where: { !$0.isFinite }) {
            throw SpecError("\(key)[\(j)] is \(v[j]): every value must be a finite number", at: [.key(key), .index(j)])
        }
    }
}
