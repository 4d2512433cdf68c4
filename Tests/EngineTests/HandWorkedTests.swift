import AttentionEngine
import Foundation
import Testing

/// "I am good" with small integers, every number worked out by hand in the comments.
@Suite("hand-worked integer example")
struct HandWorkedTests {
    static let yaml = """
        tokens: [I, am, good]
        X: [[1, 0, 1, 0], [0, 2, 0, 2], [1, 1, 1, 1]]
        W_Q: [[1, 0, 1], [1, 0, 0], [0, 0, 1], [0, 1, 1]]
        W_K: [[0, 0, 1], [1, 1, 0], [0, 1, 0], [1, 1, 0]]
        W_V: [[0, 2, 0], [0, 3, 0], [1, 0, 3], [1, 1, 0]]
        """

    @Test("Q, K and V are X times the weights")
    func projections() throws {
        let trace = try run(Self.yaml)
        // Q row I = x_I·W_Q = W_Q row 0 + W_Q row 2 = [1,0,1] + [0,0,1] = [1,0,2]
        // Q row am = 2·(W_Q row 1 + W_Q row 3) = 2·[1,1,1] = [2,2,2]
        // Q row good = sum of all rows = [2,1,3]
        #expect(trace.event(named: "Q")!.values == Matrix([[1, 0, 2], [2, 2, 2], [2, 1, 3]]))
        // K: I = [0,0,1]+[0,1,0] = [0,1,1]; am = 2·([1,1,0]+[1,1,0]) = [4,4,0]; good = [2,3,1]
        #expect(trace.event(named: "K")!.values == Matrix([[0, 1, 1], [4, 4, 0], [2, 3, 1]]))
        // V: I = [0,2,0]+[1,0,3] = [1,2,3]; am = 2·([0,3,0]+[1,1,0]) = [2,8,0]; good = [2,6,3]
        #expect(trace.event(named: "V")!.values == Matrix([[1, 2, 3], [2, 8, 0], [2, 6, 3]]))
    }

    @Test("ω is every query dotted with every key")
    func scores() throws {
        let trace = try run(Self.yaml)
        // ω[I, am] = [1,0,2]·[4,4,0] = 4; ω[am, am] = [2,2,2]·[4,4,0] = 16; ω[good, good] = [2,1,3]·[2,3,1] = 10
        #expect(trace.event(named: "ω")!.values == Matrix([[2, 4, 4], [4, 16, 12], [4, 12, 10]]))
        let scaled = trace.event(named: "ω_scaled")!.values
        #expect(close(scaled, [[2, 4, 4], [4, 16, 12], [4, 12, 10]].map { $0.map { $0 / 3.0.squareRoot() } }))
    }

    @Test("α is the softmax of each scaled row, and Z the α-weighted sum of V rows")
    func weightsAndContext() throws {
        let trace = try run(Self.yaml)
        let r = 3.0.squareRoot()
        // Row am: scores 4/√3, 16/√3, 12/√3. Softmax by its definition, no max trick:
        let e = [exp(4 / r), exp(16 / r), exp(12 / r)]
        let alphaAm = e.map { $0 / e.reduce(0, +) }
        let alpha = trace.event(named: "α")!.values
        #expect(close(Array(alpha.row(1)), alphaAm))
        // z_am = α_I·[1,2,3] + α_am·[2,8,0] + α_good·[2,6,3]
        let z = (0..<3).map { c in alphaAm[0] * [1, 2, 3][c] + alphaAm[1] * [2, 8, 0][c] + alphaAm[2] * [2, 6, 3][c] }
        #expect(close(Array(trace.event(named: "Z")!.values.row(1)), z))
        #expect(trace.events.map(\.stage) == [.input, .projection, .projection, .projection, .similarity, .scaling, .normalization, .context])
    }

    @Test("basic self-attention without weights uses X for Q, K and V")
    func basic() throws {
        let trace = try run("""
            tokens: [a, b]
            X: [[1, 2], [3, 0]]
            scale: false
            """)
        // ω = X·Xᵀ: [1,2]·[1,2] = 5, [1,2]·[3,0] = 3, [3,0]·[3,0] = 9
        #expect(trace.event(named: "ω")!.values == Matrix([[5, 3], [3, 9]]))
        #expect(trace.events.map(\.stage) == [.input, .similarity, .normalization, .context])
        // α row a = softmax(5, 3) = [1/(1+e⁻²), e⁻²/(1+e⁻²)]
        let a0 = 1 / (1 + exp(-2.0))
        #expect(close(Array(trace.event(named: "α")!.values.row(0)), [a0, 1 - a0]))
        // z_a = a0·[1,2] + (1−a0)·[3,0]
        #expect(close(Array(trace.event(named: "Z")!.values.row(0)), [a0 + 3 * (1 - a0), 2 * a0]))
    }

    @Test("a causal mask puts −∞ above the diagonal and zero weight there")
    func causal() throws {
        let trace = try run(Self.yaml + "\nmask: causal")
        let masked = trace.event(named: "ω_masked")!.values
        #expect(masked[0, 1] == -.infinity && masked[0, 2] == -.infinity && masked[1, 2] == -.infinity)
        #expect(masked[1, 0] == 4 / 3.0.squareRoot())
        let alpha = trace.event(named: "α")!.values
        #expect(alpha[0, 0] == 1 && alpha[0, 1] == 0 && alpha[0, 2] == 0)
        // Row am sees I and am only: softmax(4/√3, 16/√3)
        let r = 3.0.squareRoot()
        let a = 1 / (1 + exp(12 / r))
        #expect(close(Array(alpha.row(1)), [a, 1 - a, 0]))
    }

    @Test("biases are added to every row")
    func biases() throws {
        let trace = try run(Self.yaml + "\nb_Q: [1, -1, 0.5]\nb_K: [0, 0, 0]\nb_V: [10, 20, 30]")
        #expect(trace.event(named: "Q")!.values == Matrix([[2, -1, 2.5], [3, 1, 2.5], [3, 0, 3.5]]))
        #expect(trace.event(named: "V")!.values == Matrix([[11, 22, 33], [12, 28, 30], [12, 26, 33]]))
        #expect(trace.event(named: "Q")!.formula == "Q = X·W_Q + b_Q")
    }
}
