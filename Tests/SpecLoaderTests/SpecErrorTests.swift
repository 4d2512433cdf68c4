import AttentionEngine
import Diagnostics
import SpecLoader
import Testing

/// Bad specs give `path:line:column: message`, never a trap. The exact texts are tested:
/// they are the user interface.
@Suite("spec errors")
struct SpecErrorTests {
    static let good2 = "tokens: [a, b]\nX: [[1, 2], [3, 4]]\n"
    static let weights3 = "W_Q: [[1],[2],[3]]\nW_K: [[1],[2],[3]]\nW_V: [[1],[2],[3]]\n"

    static let cases: [(yaml: String, message: String)] = [
        ("tokens: [a, b]", "s.yaml:1:1: missing key 'X': give one row of numbers per token, or X: {seed: 1} with d_model"),
        ("X: [[1]]", "s.yaml:1:1: missing key 'tokens': list the tokens, e.g. tokens: [I, am, good]"),
        (good2 + "W_Q: [[1],[2]]", "s.yaml:3:1: W_K and W_V are missing: give all of W_Q, W_K and W_V, or none of them for attention without projections (Q = K = V = X)"),
        (good2 + "WQ: [[1],[2]]", "s.yaml:3:1: unknown key 'WQ': did you mean 'W_Q'? allowed keys are tokens, X, d_model, heads, d_k, d_v, W_Q, W_K, W_V, b_Q, b_K, b_V, W_O, b_O, scale, mask, source, positional, kv_heads, decode, tiles, backward, dropout"),
        (good2 + "maks: causal", "s.yaml:3:1: unknown key 'maks': did you mean 'mask'? allowed keys are tokens, X, d_model, heads, d_k, d_v, W_Q, W_K, W_V, b_Q, b_K, b_V, W_O, b_O, scale, mask, source, positional, kv_heads, decode, tiles, backward, dropout"),
        (good2 + weights3, "s.yaml:3:1: W_Q has 3 rows but X has 2 columns: W_Q needs one row per column of X (d_model = 2)"),
        ("tokens: [a, b]\nX: [[1, 2], [3]]", "s.yaml:2:13: X row 1 has 1 number but row 0 has 2: every row needs the same length"),
        ("tokens: [a, b]\nX: [[1, 2], [3, x]]", "s.yaml:2:17: X[1][1] is 'x', which is not a number"),
        ("tokens: [a, b]\nX: [[1, 2], [3, .nan]]", "s.yaml:2:17: X[1][1] is .nan: every value must be a finite number"),
        ("tokens: [a, b]\nX: [[1, 2], [3, -.inf]]", "s.yaml:2:17: X[1][1] is -.inf: every value must be a finite number"),
        ("tokens: [a, b]\nX: [[1, 2], [3, 1e999]]", "s.yaml:2:17: X[1][1] is 1e999, too large to be a finite number"),
        ("tokens: [a, b]\nX: [[1, 2], [3, [4]]]", "s.yaml:2:17: X[1][1] must be a number, not a list"),
        ("tokens: []\nX: []", "s.yaml:1:9: tokens is empty: give at least one token, e.g. tokens: [I, am, good]"),
        ("tokens: [a, '']\nX: [[1], [2]]", "s.yaml:1:13: tokens[1] is an empty label: give every token a visible name"),
        ("tokens: [a, b, c]\nX: [[1, 2], [3, 4]]", "s.yaml:2:1: X has 2 rows but there are 3 tokens: give one row of X per token"),
        ("tokens: [a, b]\nX: [[1, 2], [3, 4]]\nheads: 3", "s.yaml:3:8: heads = 3 does not divide d_model = 2: set d_k explicitly, or choose a number of heads that divides 2"),
        ("tokens: [a, b]\nX: [[1, 2], [3, 4]]\nheads: 0", "s.yaml:3:8: heads must be a whole number of at least 1, not '0'"),
        ("tokens: [a, b]\nd_model: 99999\nX: {seed: 1}", "s.yaml:2:10: d_model = 99999 is more than the limit of 4096"),
        ("tokens: [a, b]\nX: {seed: 1}", "s.yaml:2:4: a seeded X needs its width: add d_model: N"),
        ("tokens: [a, b]\nd_model: 2\nX: {seed: -1}", "s.yaml:3:11: X.seed must be a whole number from 0 to 18446744073709551615, not '-1'"),
        ("tokens: [a, b]\nd_model: 2\nX: {sead: 1}", "s.yaml:3:5: unknown key 'sead' in X: did you mean 'seed'? a seeded matrix takes seed, low, high and decimals"),
        (good2 + "mask: {padding: [true, true]}", "s.yaml:3:8: mask.padding marks every key as padding, so no query has anything to attend to (its softmax would be 0/0): leave at least one key false"),
        (good2 + "mask: {padding: [true]}", "s.yaml:3:8: mask.padding has 1 entries but there are 2 key tokens: give one true/false per key"),
        (good2 + "mask: sideways", "s.yaml:3:7: mask must be causal, none, {window: w} (causal, and at most w keys back) or {padding: [false, false, true]} (true marks a padding key), not 'sideways'"),
        (good2 + "scale: maybe", "s.yaml:3:8: scale must be true or false, not 'maybe'"),
        (good2 + "positional: learned", "s.yaml:3:13: positional must be sinusoidal, rope, none, or {rope: adjacent | half, base: 10000}, not 'learned'"),
        ("tokens: [a, b]\nX: [[1, 2], [3, 4]\n", "s.yaml:3:1: this is not valid YAML: did not find expected ',' or ']'"),
        (good2 + "X: [[1, 2], [3, 4]]", "s.yaml:3:1: duplicate key 'X': it was already given at line 2"),
        ("tokens: [a, b]\nX: [[1, 2], [3, 4]]\nscale: true\nmask: causal\n\nscale: false\n", "s.yaml:6:1: duplicate key 'scale': it was already given at line 3"),
        ("tokens: [a, b]\nd_model: 2\nX: {seed: 1, low: 0, seed: 2}", "s.yaml:3:22: duplicate key 'seed': it was already given at column 5 of this line"),
        ("tokens: [a, b]\nd_model: 2\nX:\n  seed: 1\n  low: 0\n  seed: 2\n", "s.yaml:6:3: duplicate key 'seed': it was already given at line 4"),
        ("\"X\": [[1, 2], [3, 4]]\ntokens: [a, b]\nX: [[1, 2], [3, 4]]", "s.yaml:3:1: duplicate key 'X': it was already given at line 1"),
        ("tokens: [a, b]\nheads: 1\nheads: 1\nX: [[1, 2], [3, 4]]\nheads: 1\n", "s.yaml:3:1: duplicate key 'heads': it was already given at line 2"),
        ("tokens: [a, b]\nmask: causal\nX: [[1, 2], [3, 4]]\nscale: true\nscale: false\nmask: none\n", "s.yaml:5:1: duplicate key 'scale': it was already given at line 4"),
        ("- 1\n- 2", "s.yaml:1:1: a spec is a YAML mapping of keys such as tokens: and X:, not a list"),
        ("", "s.yaml:1:1: the spec is empty: give at least tokens and X (see docs/spec.md)"),
        ("# only a comment\n", "s.yaml:1:1: the spec is empty: give at least tokens and X (see docs/spec.md)"),
        (good2 + "source: {tokens: [p], X: [[1, 2, 3]]}", "s.yaml:3:23: source.X has 3 columns but X has 2: both sentences must use the same d_model"),
        (good2 + "source: [p]", "s.yaml:3:9: source must be a mapping with tokens and X, e.g. source: {tokens: [Ich, bin], X: [[1, 0], [0, 1]]}"),
        (good2 + "W_Q: [[1],[2]]\nW_K: [[1, 1],[2, 2]]\nW_V: [[1],[2]]", "s.yaml:4:1: W_K has 2 columns but W_Q has 1: queries and keys must have the same width to take dot products"),
        (good2 + "W_Q: [[1],[2]]\nW_K: [[1],[2]]\nW_V: [[1],[2]]\nb_Q: [1, 2]", "s.yaml:6:1: b_Q has 2 values but W_Q has 1 columns: give one bias per column"),
        (good2 + "b_Q: [1, 2]", "s.yaml:3:1: b_Q needs W_Q, W_K and W_V: a bias is added after a projection"),
        (good2 + "W_O: [[1, 2, 3]]", "s.yaml:3:1: W_O has 1 rows but the concatenated heads have 2 columns (heads·d_v = 1·2)"),
        ("tokens: [a]\nX: [[1, 2]]\nheads: 2\nW_Q: [[1, 2, 3], [4, 5, 6]]\nW_K: [[1, 2, 3], [4, 5, 6]]\nW_V: [[1, 2], [3, 4]]", "s.yaml:4:1: W_Q has 3 columns, which 2 heads cannot split into equal blocks"),
        // The variants of issue 17.
        (good2 + "heads: 2\nkv_heads: 3\n", "s.yaml:4:11: kv_heads = 3 does not divide heads = 2: each key/value head serves the same number of query heads"),
        (good2 + "heads: 2\nkv_heads: 1\n", "s.yaml:4:1: kv_heads needs W_Q, W_K and W_V: without projections the heads' keys and values are X's own columns"),
        (good2 + "mask: {window: 0}\n", "s.yaml:3:16: mask.window must be a whole number of at least 1, not '0'"),
        (good2 + "positional: {rope: middle}\n", "s.yaml:3:20: positional.rope must be adjacent (pairs of columns 2i, 2i+1, as in RoFormer) or half (columns i and i + d_k/2, as in Llama), not 'middle'"),
        (good2 + "d_k: 1\nW_Q: {seed: 1}\nW_K: {seed: 2}\nW_V: {seed: 3}\npositional: rope\n", "s.yaml:7:1: positional: rope turns pairs of columns, so d_k must be even, not 1"),
        (good2 + "decode: {prefill: 1}\n", "s.yaml:3:1: decode needs mask: causal (or a window): a token being generated cannot see the tokens after it, and a cache only ever holds earlier tokens"),
        (good2 + "mask: causal\ndecode: {prefill: 3}\n", "s.yaml:4:19: decode.prefill must be from 0 to the number of tokens (2), not 3"),
        (good2 + "tiles: {rows: 2, cols: 2}\n", "s.yaml:3:18: unknown key 'cols' in tiles: tiles must be a mapping {rows: Br, columns: Bc}: queries in blocks of Br, keys in blocks of Bc"),
    ]

    @Test("each bad spec gives its exact message", arguments: cases.indices)
    func message(index: Int) {
        let (yaml, expected) = Self.cases[index]
        #expect(throws: Diagnostic.self) {
            _ = try SpecLoader.load(yaml, path: "s.yaml").loaded.trace()
        }
        do {
            _ = try SpecLoader.load(yaml, path: "s.yaml").loaded.trace()
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test("a block inside a lesson reports lines of the lesson, not of the block")
    func embeddedBlock() {
        // The block's first line is line 12 of the lesson, indented by nothing.
        do {
            _ = try SpecLoader.load("tokens: [a]\nX: [[1, nope]]", path: "lessons/03-q.md", line: 12).loaded.trace()
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "lessons/03-q.md:13:9: X[0][1] is 'nope', which is not a number")
        }
    }

    @Test("a key repeated in a lesson's block is reported at the repeat, in the lesson's lines")
    func embeddedDuplicate() {
        do {
            _ = try SpecLoader.load("tokens: [a]\nfocus: a\nX: [[1]]\nfocus: a", path: "lessons/03-q.md", line: 12, extraKeys: ["focus"])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "lessons/03-q.md:15:1: duplicate key 'focus': it was already given at line 13")
        }
    }

    @Test("labels may be any text: markup, quotes and other scripts stay as written")
    func hostileLabels() throws {
        let loaded = try SpecLoader.load("tokens: ['<script>', '&', '\"', 我, 酸菜, \"a'b\"]\nd_model: 2\nX: {seed: 3}", path: "s.yaml").loaded
        #expect(loaded.spec.tokens == ["<script>", "&", "\"", "我", "酸菜", "a'b"])
        #expect(loaded.spec.X.rows == 6)
    }

    @Test("shapes of seeded matrices follow d_model, heads, d_k and d_v")
    func seededShapes() throws {
        let spec = try SpecLoader.load("""
            tokens: [a, b, c]
            d_model: 8
            heads: 2
            d_v: 3
            X: {seed: 1}
            W_Q: {seed: 2}
            W_K: {seed: 3}
            W_V: {seed: 4}
            b_V: {seed: 5}
            W_O: {seed: 6}
            source: {tokens: [p, q], X: {seed: 7}}
            """, path: "s.yaml").loaded.spec
        #expect(spec.X.shape == Shape(rows: 3, columns: 8))
        #expect(spec.projection!.W_Q.shape == Shape(rows: 8, columns: 8))   // heads·d_k = 2·4
        #expect(spec.projection!.W_V.shape == Shape(rows: 8, columns: 6))   // heads·d_v = 2·3
        #expect(spec.projection!.b_V!.count == 6)
        #expect(spec.output!.W_O.shape == Shape(rows: 6, columns: 8))
        #expect(spec.source!.X.shape == Shape(rows: 2, columns: 8))
        #expect((spec.dK, spec.dV) == (4, 3))
    }

    @Test("lesson display options pass through untouched")
    func extras() throws {
        let (_, extras) = try SpecLoader.load("tokens: [a]\nX: [[1]]\nfocus: a\nstages: [similarity, normalization]",
                                              path: "l.md", line: 5, extraKeys: ["focus", "stages"])
        #expect(extras["focus"]?.scalar == "a")
        #expect(extras["stages"]?.list == ["similarity", "normalization"])
        #expect(extras["focus"]?.location.description == "l.md:7:8")
    }
}
