import AttentionEngine

/// One case of one exercise: runs the implementation and judges what it returned.
struct Trial {
    let title: String
    let run: (Implementations) -> (problem: [String], diagnosis: Diagnosis?)?

    init(_ title: String, _ run: @escaping (Implementations) -> (problem: [String], diagnosis: Diagnosis?)?) {
        self.title = title
        self.run = run
    }

    /// The trials in order; the first that fails is the outcome.
    static func outcome(_ trials: [Trial], _ implementations: Implementations) -> Outcome {
        for (index, trial) in trials.enumerated() {
            if let (problem, diagnosis) = trial.run(implementations) {
                return .failed(Failure(caseNumber: index + 1, caseCount: trials.count, caseTitle: trial.title,
                                       problem: problem, diagnosis: diagnosis))
            }
        }
        return .passed(cases: trials.count)
    }

    /// One trial per case, each judged by `judge`; the first that fails is the outcome.
    static func outcome(of cases: [Case], _ implementations: Implementations,
                        _ judge: @escaping (Case, Implementations) -> (problem: [String], diagnosis: Diagnosis?)?) -> Outcome {
        outcome(cases.map { c in Trial(c.title) { judge(c, $0) } }, implementations)
    }
}

extension Case {
    /// The queries and keys ω was made from (Q and K, or X without projections).   (n × d_k), (m × d_k)
    var queries: Matrix { event("ω").operands[0].matrix }
    var keys: Matrix { event("ω").operands[1].matrix }
    /// The values Z was made from.                                                  (m × d_v)
    var values: Matrix { event("Z").operands[1].matrix }
    /// The scores the softmax saw, before any mask: ω_scaled, or ω without scaling.
    var softmaxInput: Matrix { (spec.scale ? event("ω_scaled") : event("ω")).values }
}

extension Matrix {
    var grid: [[Double]] { rowArrays }
}

/// The outputs of known mistakes, computed from the trace's own numbers.
enum Wrong {
    static func rowSoftmax(_ m: Matrix) -> Matrix { Softmax.rows(of: m) }
    static func columnSoftmax(_ m: Matrix) -> Matrix { Softmax.rows(of: m.transposed).transposed }

    /// `m` with `value` wherever `hidden(i, j)`.
    static func replacing(_ m: Matrix, with value: Double, where hidden: (Int, Int) -> Bool) -> Matrix {
        var out = m
        for i in 0..<m.rows { for j in 0..<m.columns where hidden(i, j) { out[i, j] = value } }
        return out
    }

    /// The largest |row sum − 1| and its row, for messages about rows that must sum to 1.
    static func worstRowSum(_ answer: [[Double]]) -> (row: Int, sum: Double)? {
        answer.enumerated().map { ($0.offset, $0.element.reduce(0, +)) }
            .filter { !(abs($0.1 - 1) < 1e-6) }
            .max { abs($0.1 - 1) < abs($1.1 - 1) }
    }
}
