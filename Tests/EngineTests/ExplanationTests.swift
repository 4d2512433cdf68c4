import AttentionEngine
import Foundation
import Testing

@Suite("every number explains itself")
struct ExplanationTests {
    @Test("a score is the dot product of a query and a key, term by term")
    func dotProduct() throws {
        let trace = try run(HandWorkedTests.yaml)
        let omega = trace.event(named: "ω")!
        guard case .dotProduct(let p) = omega.explain(row: 1, column: 2) else {
            Issue.record("ω should explain itself as a dot product"); return
        }
        // ω[am, good] = [2,2,2]·[2,3,1] = 4 + 6 + 2 = 12
        #expect(p.a == [2, 2, 2] && p.b == [2, 3, 1])
        #expect(p.products == [4, 6, 2] && p.partialSums == [4, 10, 12] && p.result == 12)
        #expect(p.left == "Q[am]" && p.right == "K[good]")
    }

    @Test("a projection cell includes its bias")
    func projectionBias() throws {
        let trace = try run(HandWorkedTests.yaml + "\nb_Q: [1, -1, 0.5]\nb_K: [0, 0, 0]\nb_V: [0, 0, 0]")
        guard case .dotProduct(let p) = trace.event(named: "Q")!.explain(row: 0, column: 2) else {
            Issue.record("expected a dot product"); return
        }
        // x_I = [1,0,1,0], W_Q column 2 = [1,0,1,1]: 1 + 0 + 1 + 0 = 2, plus 0.5
        #expect(p.a == [1, 0, 1, 0] && p.b == [1, 0, 1, 1] && p.bias == 0.5)
        #expect(p.partialSums.last == 2.5 && p.result == 2.5)
    }

    @Test("a lesson's products are its worked sums, bit for bit, whatever BLAS the machine has")
    func textbookOrder() throws {
        let trace = try run(randomSpec(n: 5, d: 8, heads: 2, seed: 3, mask: "causal"))
        var checked = 0
        for event in trace.events {
            for i in 0..<event.values.rows {
                for j in 0..<event.values.columns {
                    switch event.explain(row: i, column: j) {
                    case .dotProduct(let p), .weightedSum(let p):
                        #expect(p.partialSums.last! == event.values[i, j], "\(event.name)[\(i), \(j)]")
                        checked += 1
                    default: break
                    }
                }
            }
        }
        #expect(checked > 100)
        // Lesson 5's scores around 800 sit on rounding ties in decimal (20·20 + 19.95·19.85 =
        // 796.0075): a fused multiply-add rounds once where the worked sum rounds twice, and
        // the printed score then depended on the machine's OpenBLAS kernels.
        let big = try run("tokens: [a, b, c]\nX: [[20, 20], [20, 19.95], [20, 19.85]]\nscale: false")
        let (first, second) = (20.0 * 20.0, 19.95 * 19.85)
        #expect(big.event(named: "ω")!.values[1, 2] == 0 + first + second)
    }

    @Test("scaling, softmax and context cells agree with the stored values")
    func restOfThePipeline() throws {
        let trace = try run(randomSpec(n: 5, d: 8, heads: 2, seed: 3, mask: "causal"))
        for event in trace.events {
            for i in 0..<event.values.rows {
                for j in 0..<event.values.columns {
                    let value = event.values[i, j]
                    switch event.explain(row: i, column: j) {
                    case .dotProduct(let p), .weightedSum(let p):
                        #expect(abs(p.partialSums.last! - value) <= 1e-12 * max(1, abs(value)))
                        #expect(p.result == value)
                    case .scaled(let score, let dK, let divisor, let result):
                        #expect(dK == 4 && divisor == 2 && result == value && score / divisor == value)
                    case .masked(_, let reason):
                        #expect(value == -.infinity && reason == .causal(query: i, key: j) && j > i)
                    case .unmasked(let score):
                        #expect(score == value && j <= i)
                    case .softmax(let work, let column, let result):
                        #expect(column == j && result == value)
                        #expect(abs(work.weights[j] - value) < 1e-15)
                        #expect(work.maximum == work.scores.max())
                        #expect(abs(work.exponentials.reduce(0, +) - work.sum) < 1e-12)
                    case .copied(let head, let column, let copied):
                        #expect(copied == value)
                        #expect(trace.event(named: "Z", head: head)!.values[i, column] == value)
                    case .given(let given):
                        #expect(given == value && event.stage == .input)
                    case .positional:
                        Issue.record("no positional encoding in this spec")
                    case .gradient:
                        Issue.record("no backward pass in this spec")
                    case .rotated, .gathered, .online, .divided:
                        Issue.record("no variant (rope, decode, tiles) in this spec")
                    case .dropout:
                        Issue.record("no dropout in this spec")
                    }
                }
            }
        }
    }

    @Test("a context vector is the α-weighted sum of value rows")
    func weightedRows() throws {
        let trace = try run(HandWorkedTests.yaml)
        let z = trace.event(named: "Z")!
        let parts = try #require(z.weightedRows(of: 1))
        #expect(parts.map(\.label) == ["I", "am", "good"])
        #expect(parts.map(\.row) == [[1, 2, 3], [2, 8, 0], [2, 6, 3]])
        let sum = (0..<3).map { c in parts.reduce(0) { $0 + $1.weight * $1.row[c] } }
        #expect(close(sum, Array(z.values.row(1))))
    }

    @Test("a positional cell names its sinusoid")
    func positional() throws {
        let trace = try run("""
            tokens: [a, b, c]
            X: [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]]
            positional: sinusoidal
            """)
        let pos = trace.event(named: "X_pos")!
        // Position 2, column 3 (odd → cos) with exponent (3 − 1)/5: cos(2 / 10000^0.4)
        guard case .positional(let x, let p, let c, let angle, let sine, let pe, let result) = pos.explain(row: 2, column: 3) else {
            Issue.record("expected a positional explanation"); return
        }
        #expect(x == 1 && p == 2 && c == 3 && !sine)
        #expect(abs(angle - 2 / pow(10000, 0.4)) < 1e-15)
        #expect(abs(pe - cos(2 / pow(10000, 0.4))) < 1e-15 && result == 1 + pe)
        // Position 0: sin(0) = 0 on even columns, cos(0) = 1 on odd ones.
        #expect(Array(pos.values.row(0)) == [0, 1, 0, 1, 0])
    }

    @Test("shapes read like the algebra")
    func shapeSummaries() throws {
        let trace = try run(randomSpec(n: 3, d: 4, heads: 2, seed: 1))
        #expect(trace.event(named: "Q", head: 0)!.shapeSummary == "(3×4)·(4×2) → (3×2)")
        #expect(trace.event(named: "ω", head: 0)!.shapeSummary == "(3×2)·(2×3) → (3×3)")
        #expect(trace.event(named: "Z", head: 1)!.shapeSummary == "(3×3)·(3×2) → (3×2)")
        #expect(trace.event(named: "Z_concat")!.shapeSummary == "(3×2) | (3×2) → (3×4)")
        #expect(trace.event(named: "O")!.shapeSummary == "(3×4)·(4×4) → (3×4)")
    }
}
