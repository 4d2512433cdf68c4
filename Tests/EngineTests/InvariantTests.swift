import AttentionEngine
import Foundation
import Testing

@Suite("invariants")
struct InvariantTests {
    static let cases: [(n: Int, d: Int, heads: Int, seed: UInt64)] = [(1, 2, 1, 1), (3, 4, 1, 2), (7, 12, 3, 3), (16, 8, 2, 4), (33, 16, 4, 5)]

    @Test("every row of α sums to 1 and lies in [0, 1]", arguments: cases.indices)
    func rowsSumToOne(index: Int) throws {
        let c = Self.cases[index]
        for mask in [nil, "causal"] {
            let trace = try run(randomSpec(n: c.n, d: c.d, heads: c.heads, seed: c.seed, mask: mask))
            for alpha in trace.events(.normalization) {
                for i in 0..<alpha.values.rows {
                    let row = alpha.values.row(i)
                    #expect(abs(row.reduce(0, +) - 1) < 1e-12)
                    #expect(row.allSatisfy { $0 >= 0 && $0 <= 1 })
                }
            }
        }
    }

    @Test("masked weights are exactly 0, unmasked ones positive")
    func maskedWeightsAreZero() throws {
        let yaml = randomSpec(n: 6, d: 4, heads: 2, seed: 8, mask: "{padding: [false, true, false, false, true, false]}")
        let trace = try run(yaml)
        for alpha in trace.events(.normalization) {
            for i in 0..<6 {
                #expect(alpha.values[i, 1] == 0 && alpha.values[i, 4] == 0)
                #expect(alpha.values[i, 0] > 0)
            }
        }
        let causal = try run(randomSpec(n: 6, d: 4, seed: 9, mask: "causal"))
        let alpha = causal.event(named: "α")!.values
        for i in 0..<6 { for j in 0..<6 { #expect((alpha[i, j] == 0) == (j > i)) } }
    }

    @Test("permuting the tokens permutes the rows of Z the same way")
    func permutationEquivariance() throws {
        let spec = try loadSpec(randomSpec(n: 5, d: 6, heads: 2, seed: 21))
        let order = [3, 0, 4, 1, 2]
        var permuted = spec
        permuted.tokens = order.map { spec.tokens[$0] }
        permuted.X = spec.X.rows(order)
        let z = try Attention.run(spec).output
        let zp = try Attention.run(permuted).output
        #expect(close(zp.storage, z.rows(order).storage))
    }

    @Test("with positional encoding, permuting the tokens does change Z")
    func positionalBreaksSymmetry() throws {
        var spec = try loadSpec(randomSpec(n: 5, d: 6, seed: 21))
        spec.positional = .sinusoidal
        let order = [3, 0, 4, 1, 2]
        var permuted = spec
        permuted.X = spec.X.rows(order)
        let z = try Attention.run(spec).output
        let zp = try Attention.run(permuted).output
        #expect(!close(zp.storage, z.rows(order).storage, relative: 1e-6, absolute: 1e-6))
    }

    @Test("swapping rows of K and V together leaves Z unchanged")
    func keyValuePermutationInvariance() throws {
        // Cross-attention makes K and V rows independent of the queries: permute the source.
        let yaml = """
            tokens: [a, b, c]
            d_model: 4
            X: {seed: 1}
            W_Q: {seed: 2}
            W_K: {seed: 3}
            W_V: {seed: 4}
            source: {tokens: [p, q, r, s], X: {seed: 5}}
            """
        let spec = try loadSpec(yaml)
        var swapped = spec
        let order = [2, 3, 0, 1]
        swapped.source = .init(tokens: order.map { spec.source!.tokens[$0] }, X: spec.source!.X.rows(order))
        let (a, b) = (try Attention.run(swapped).output, try Attention.run(spec).output)
        #expect(close(a.storage, b.storage))
    }

    @Test("a huge score gives finite weights", arguments: [1e6, 1e150, -1e6])
    func hugeScores(value: Double) throws {
        let trace = try run("""
            tokens: [a, b]
            X: [[\(value), 0], [0, 1]]
            scale: false
            """)
        let alpha = trace.event(named: "α")!.values
        #expect(alpha.storage.allSatisfy { $0.isFinite })
        #expect(abs(alpha.row(0).reduce(0, +) - 1) < 1e-12)
        #expect(trace.output.storage.allSatisfy { $0.isFinite } || abs(value) > 1e100)
    }

    @Test("the stable softmax equals the textbook softmax where the textbook one does not overflow")
    func stableSoftmax() {
        let scores = Matrix([[1, 2, 3], [-5, 0, 5], [0.5, 0.5, 0.5]])
        let alpha = Softmax.rows(of: scores)
        for i in 0..<3 {
            let e = scores.row(i).map { exp($0) }
            #expect(close(Array(alpha.row(i)), e.map { $0 / e.reduce(0, +) }))
        }
        // Adding a constant to a row changes nothing: the max subtraction is exact in spirit.
        let shifted = Softmax.rows(of: scores.map { $0 + 700 })
        #expect(close(shifted.storage, alpha.storage, relative: 1e-9))
    }

    @Test("BLAS products agree with the textbook triple loop")
    func blasMatchesReference() {
        // All above Matrix.textbookProductLimit, so that BLAS computes them.
        for (n, k, m, seed) in [(1, 300, 300, 1), (41, 40, 40, 2), (17, 330, 90, 3), (64, 64, 64, 4)] as [(Int, Int, Int, UInt64)] {
            #expect(n * k * m > Matrix.textbookProductLimit)
            let a = SeededDistribution(seed: seed, low: -1, high: 1).matrix(rows: n, columns: k)
            let b = SeededDistribution(seed: seed + 100, low: -1, high: 1).matrix(rows: k, columns: m)
            #expect(close((a * b).storage, a.referenceProduct(b).storage))
            #expect(close(a.timesTranspose(of: b.transposed).storage, a.referenceProduct(b).storage))
        }
    }

    @Test("multi-head: concat joins the heads' Z in order and O = concat·W_O")
    func multiHead() throws {
        let trace = try run(randomSpec(n: 4, d: 6, heads: 3, seed: 30))
        let contexts = trace.events(.context)
        #expect(contexts.map(\.head) == [0, 1, 2])
        let concat = try #require(trace.event(named: "Z_concat"))
        #expect(concat.values == Matrix.concatenatingColumns(contexts.map(\.values)))
        let spec = try loadSpec(randomSpec(n: 4, d: 6, heads: 3, seed: 30))
        #expect(close(trace.output.storage, concat.values.referenceProduct(spec.output!.W_O).storage))
        // Each head uses its own consecutive block of W_Q's columns.
        let q1 = trace.event(named: "Q", head: 1)!.values
        #expect(close(q1.storage, spec.X.referenceProduct(spec.projection!.W_Q.columns(2..<4)).storage))
    }
}

@Suite("overflow")
struct OverflowTests {
    static let cases: [(yaml: String, message: String)] = [
        ("tokens: [a, b]\nX: [[1e200, 0], [0, 1e200]]",
         "test.yaml:2:1: the scores ω of head 0 overflow: a dot product q·k is beyond the largest Double (about 1.8e308), so its softmax is undefined; use smaller numbers in the inputs or the weights"),
        ("tokens: [a, b]\nX: [[1e200, 0], [0, 1]]\nW_Q: [[1e200], [1]]\nW_K: [[1], [1]]\nW_V: [[1], [1]]",
         "test.yaml:2:1: Q = X·W_Q overflows: some of its values are beyond the largest Double (about 1.8e308); use smaller numbers in the inputs or W_Q"),
        ("tokens: [a, b]\nX: [[1, 1], [1, 1]]\nW_O: [[1e308, 0], [1e308, 0]]",
         "test.yaml:3:1: O = Z_concat·W_O overflows: some of its values are beyond the largest Double (about 1.8e308); use smaller numbers in W_O"),
    ]

    @Test("values that overflow a Double are input errors, never NaN in a trace", arguments: cases.indices)
    func overflow(index: Int) {
        do {
            let trace = try run(Self.cases[index].yaml)
            Issue.record("expected an overflow error, got \(trace.events.count) events")
        } catch {
            #expect("\(error)" == Self.cases[index].message)
        }
    }
}

@Suite("row-parallel products")
struct RowParallelProductTests {
    @Test("a big product split by rows over the cores equals the plain product and the reference")
    func sameAsPlain() throws {
        let yaml = "tokens: [\((0..<300).map { "t\($0)" }.joined(separator: ", "))]\nd_model: 200\nX: {seed: 4}\n"
        let x = try loadSpec(yaml).X
        let w = try loadSpec("tokens: [\((0..<200).map { "t\($0)" }.joined(separator: ", "))]\nd_model: 170\nX: {seed: 5}\n").X
        let parallel = x.rowParallelProduct(w), plain = x * w, reference = x.referenceProduct(w)
        #expect(parallel.shape == plain.shape)
        #expect(close(parallel.storage, plain.storage, relative: 1e-13, absolute: 1e-13))
        #expect(close(parallel.storage, reference.storage, relative: 1e-12, absolute: 1e-12))
        // Small products are not split: a lesson's numbers never move.
        let small = try loadSpec("tokens: [a, b]\nX: [[1, 2], [3, 4]]\n").X
        #expect(small.rowParallelProduct(small).storage == (small * small).storage)
    }
}
