import Foundation

/// What an answer should be: one matrix (a vector is one row), or several (heads), with
/// the labels that messages name cells by.
struct Expected {
    struct Part {
        /// How cells are named: `ω` gives `ω[am, good]`.
        var name: String
        var values: [[Double]]
        var rowLabels: [String]
        var columnLabels: [String]
        /// What this part's rows stand for, when the parts differ (dQ: query tokens, dK: key tokens).
        var rowsAre: String? = nil
    }
    var parts: [Part]
    /// What rows and columns stand for, for shape messages: "query token", "key token".
    var rowsAre: String
    var columnsAre: String
    /// The answer is a vector (one row): messages count numbers, not rows.
    var isVector = false
    /// The answer is a list of matrices (heads): messages count them first.
    var isList = false

    init(_ name: String, _ values: [[Double]], rows: [String], columns: [String], rowsAre: String, columnsAre: String) {
        parts = [Part(name: name, values: values, rowLabels: rows, columnLabels: columns)]
        self.rowsAre = rowsAre
        self.columnsAre = columnsAre
    }

    static func vector(_ name: String, _ values: [Double], row: String, columns: [String], columnsAre: String) -> Expected {
        var e = Expected(name, [values], rows: [row], columns: columns, rowsAre: "", columnsAre: columnsAre)
        e.isVector = true
        return e
    }

    static func list(_ parts: [Part], rowsAre: String, columnsAre: String) -> Expected {
        var e = Expected(parts[0].name, parts[0].values, rows: [], columns: [], rowsAre: rowsAre, columnsAre: columnsAre)
        e.parts = parts
        e.isList = true
        return e
    }
}

/// A mistake the checks can recognise: either what it would have returned (`output`), or
/// a property of what was returned (`test`).
struct Mistake {
    let kind: Diagnosis.Kind
    let text: String
    let recognises: ([[[Double]]]) -> Bool
    /// Recognised by a property, which is less certain than a matching output: tried after
    /// every output and after "all zeros" and "the input unchanged".
    let isProperty: Bool

    /// The mistake that returns `output`.
    init(_ kind: Diagnosis.Kind, _ text: String, output: [[[Double]]]) {
        self.kind = kind
        self.text = text
        recognises = { Judge.same($0, output, nanMatchesNaN: true) }
        isProperty = false
    }
    init(_ kind: Diagnosis.Kind, _ text: String, output: [[Double]]) {
        self.init(kind, text, output: [output])
    }
    init(_ kind: Diagnosis.Kind, _ text: String, when test: @escaping ([[[Double]]]) -> Bool) {
        self.kind = kind
        self.text = text
        recognises = test
        isProperty = true
    }
}

/// Compares answers with the engine's numbers.
///
/// Tolerance: a number passes when |got − expected| ≤ 10⁻⁹ · max(1, |expected|). Adding the
/// same products in another order changes a result by about 10⁻¹⁵ of its size, far below;
/// every mistake the checks know changes it far above. −∞ matches only −∞; NaN never matches.
enum Judge {
    static let tolerance = 1e-9

    static func close(_ got: Double, _ expected: Double, tolerance: Double = tolerance) -> Bool {
        // An infinity matches only itself (the tolerance of an infinite value would be infinite).
        if got.isInfinite || expected.isInfinite { return got == expected }
        return got == expected || abs(got - expected) <= tolerance * max(1, abs(expected))
    }

    /// Same shape and every number close (NaN matching NaN only when asked: for mistakes'
    /// outputs, which can hold NaN themselves).
    static func same(_ a: [[[Double]]], _ b: [[[Double]]], nanMatchesNaN: Bool = false, tolerance: Double = tolerance) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.count == y.count else { return false }
            for (u, v) in zip(x, y) {
                guard u.count == v.count else { return false }
                for (p, q) in zip(u, v) where !close(p, q, tolerance: tolerance) && !(nanMatchesNaN && p.isNaN && q.isNaN) {
                    return false
                }
            }
        }
        return true
    }

    /// nil when `got` is right; else what is wrong and, if recognised, why.
    /// `inputs` are the arguments (to recognise an input returned unchanged); `inputRows`,
    /// when given, is shown next to the wrong row (the scores a softmax row came from).
    static func judge(_ got: [[[Double]]], _ expected: Expected, mistakes: [Mistake], inputs: [[[Double]]] = [],
                      inputRows: [[Double]]? = nil) -> (problem: [String], diagnosis: Diagnosis?)? {
        guard let problem = describe(got, expected, inputRows: inputRows) else { return nil }
        let want = expected.parts.map(\.values)
        let numbers = got.joined().joined()
        let diagnoses: [() -> Diagnosis?] = [
            { mistakes.first { !$0.isProperty && $0.recognises(got) }.map { Diagnosis(kind: $0.kind, text: $0.text) } },
            { !numbers.isEmpty && numbers.allSatisfy { $0 == 0 }
                ? Diagnosis(kind: .allZeros, text: "every number you returned is 0: the result looks like a placeholder that was never "
                    + "filled in. Compute each entry with the formula in the doc comment.") : nil },
            { inputs.contains { same(got, [$0]) }
                ? Diagnosis(kind: .returnedInput, text: "this is an input, returned unchanged: the function must compute a new result from it.") : nil },
            { same(got, want, tolerance: 1e-4)
                ? Diagnosis(kind: .nearlyRight, text: "every number is within 10⁻⁴ of the right one, "
                    + "but not within the tolerance (10⁻⁹ of its size): are you computing in Float instead of Double, rounding, "
                    + "or using an approximate exp?") : nil },
            { mistakes.first { $0.isProperty && $0.recognises(got) }.map { Diagnosis(kind: $0.kind, text: $0.text) } },
        ]
        let found = diagnoses.lazy.compactMap { $0() }.first
        // A recognised mistake explains the shape better than the guess that it is transposed.
        let lines = problem.flatMap { $0.split(separator: "\n").map(String.init) }
            .filter { found == nil || !$0.hasPrefix(transposedShape) }
        return (lines, found)
    }

    /// The first thing wrong: the count of matrices, the shape, or the first wrong cell.
    static func describe(_ got: [[[Double]]], _ expected: Expected, inputRows: [[Double]]?) -> [String]? {
        if expected.isList, got.count != expected.parts.count {
            return ["you returned \(got.count) matri\(got.count == 1 ? "x" : "ces"), but there are \(expected.parts.count) heads: return one matrix per head"]
        }
        var wrongCells = 0, totalCells = 0
        var first: [String]?
        for (part, answer) in zip(expected.parts, got) {
            if let shape = shapeProblem(answer, part, expected) { return [shape] }
            for (i, row) in part.values.enumerated() {
                for (j, value) in row.enumerated() {
                    totalCells += 1
                    guard !close(answer[i][j], value) else { continue }
                    wrongCells += 1
                    if first == nil { first = cellProblem(answer, part, expected, i, j, inputRows: inputRows) }
                }
            }
        }
        guard var lines = first else { return nil }
        lines.append("\(wrongCells) of \(totalCells) numbers \(wrongCells == 1 ? "is" : "are") off.")
        return lines
    }

    static let transposedShape = "That is the transposed shape,"

    static func shapeProblem(_ answer: [[Double]], _ part: Expected.Part, _ expected: Expected) -> String? {
        let rows = part.values.count, columns = part.values.first?.count ?? 0
        let whose = expected.isList ? "\(part.name) has" : "your result has"
        if expected.isVector {
            let count = answer.first?.count ?? 0
            guard count != columns else { return nil }
            return "you returned \(count) number\(count == 1 ? "" : "s"), but it needs \(columns): one per \(expected.columnsAre) (\(list(part.columnLabels)))"
        }
        if answer.count != rows {
            var text = "\(whose) \(answer.count) row\(answer.count == 1 ? "" : "s"), but it needs \(rows): one per \(part.rowsAre ?? expected.rowsAre) "
                + "(\(list(part.rowLabels)))"
            if answer.count == columns, answer.allSatisfy({ $0.count == rows }), rows != columns {
                text += "\n" + transposedShape + " \(columns) × \(rows) instead of \(rows) × \(columns): are rows and columns swapped?"
            }
            return text
        }
        if let i = answer.firstIndex(where: { $0.count != columns }) {
            return "row \(i) (\(part.rowLabels[i])) of \(whose == "your result has" ? "your result" : part.name) has \(answer[i].count) "
                + "number\(answer[i].count == 1 ? "" : "s"), but it needs \(columns): one per \(expected.columnsAre) "
                + "(\(list(part.columnLabels)))"
        }
        return nil
    }

    static func cellProblem(_ answer: [[Double]], _ part: Expected.Part, _ expected: Expected, _ i: Int, _ j: Int,
                            inputRows: [[Double]]?) -> [String] {
        let cell = "\(part.name)[\(part.rowLabels[i]), \(part.columnLabels[j])]"
        let place = expected.isVector ? "number \(j)" : "row \(i), column \(j)"
        let (e, g) = format(part.values[i][j], answer[i][j])
        var lines = ["\(cell) (\(place)): expected \(e), got \(g)"]
        if part.values[i].count <= 8 {
            let label = expected.isVector ? "" : " \(part.rowLabels[i])"
            var rows: [(String, [Double])] = []
            if let inputRows, i < inputRows.count { rows.append(("input row\(label):", inputRows[i])) }
            rows.append(("expected row\(label):", part.values[i]))
            rows.append(("your row\(label):", answer[i]))
            let width = rows.map(\.0.count).max() ?? 0
            for (title, values) in rows {
                lines.append(String(repeating: " ", count: width - title.count) + title + " " + vector(values))
            }
        }
        return lines
    }

    /// `a, b, c` — or the first ten and "…".
    static func list(_ labels: [String]) -> String {
        labels.count > 10 ? labels.prefix(10).joined(separator: ", ") + ", …" : labels.joined(separator: ", ")
    }

    static func vector(_ values: [Double]) -> String {
        "[" + values.map { number($0) }.joined(separator: ", ") + "]"
    }

    /// Six significant digits; more when that is what tells the two apart.
    static func format(_ expected: Double, _ got: Double) -> (String, String) {
        let (e, g) = (number(expected), number(got))
        if e != g { return (e, g) }
        return (number(expected, digits: 15), number(got, digits: 15))
    }

    /// "= 2" for a whole number, else "≈ 1.41421": how a square root is shown.
    static func approximately(_ x: Double) -> String {
        (x == x.rounded() ? "= " : "≈ ") + number(x)
    }

    static func number(_ x: Double, digits: Int = 6) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "−∞" : "+∞" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.\(digits)g", x)
    }
}
