import AttentionEngine
import Foundation
import Lessons
import TraceFormat
import WorkbookChecks

/// The likely mistake behind a wrong cell of a worksheet: the cell worked again from the
/// trace's own numbers under each plausible wrong procedure, named as the workbook names
/// it (`Diagnosis.Kind`). A mistake is named when it gives the student's number, within
/// the rounding the sheet allows, and is itself not a right answer.
///
/// What one cell can tell, by the matrix it is in:
/// - ω: the transposed cell ω[j, i] (`transposedScores`);
/// - the scaled scores: no ÷√d_k (`noScaling`), ÷d_k (`dividedByDk`), ω_scaled[j, i];
/// - the masked scores: a hidden score left as it was (`noMask`) or set to 0 (`maskWithZero`),
///   a visible score hidden (`maskWrongSide`);
/// - α: a softmax of unscaled scores, of scores divided by d_k, over the column instead of
///   the row (`softmaxOverColumns`), of the transposed scores, exponentials not divided by
///   their sum (`notNormalized`), the mask applied after the softmax (`maskAfterSoftmax`)
///   or not at all;
/// - Z: another token's row of α (`wrongWeightsRow`), the rows of X instead of V
///   (`valuesWithoutProjection`), and the weights of each mistake of α above;
/// - any product, scaled score or weight: worked from numbers rounded to fewer decimals
///   than the sheet's (`roundedTooEarly`).
/// A softmax without the max shift gives the same weights on paper, so it cannot be told
/// from a cell; neither can the workbook's mistakes of code (a wrong shape, NaN, Float).
enum CellMistakes {
    struct Candidate {
        let kind: Diagnosis.Kind
        let value: Double
        let text: String
    }

    /// The first mistake that gives `got` for column `j` of `table`; `accepted` holds the
    /// right answers and `noise` the rounding a right answer may carry.
    static func diagnose(_ got: Double, _ table: Worksheet.AskedTable, column j: Int, in block: AttentionBlock,
                         accepted: Bounds) -> Diagnosis? {
        let expected = table.event.values[table.rowIndex, j]
        let halfUnit = 0.5 * pow(10, -Double(table.decimals))
        let noise = expected.isFinite ? max(expected - accepted.low, accepted.high - expected, halfUnit) : halfUnit
        for candidate in candidates(table, column: j, in: block, got: got) where !accepted.contains(candidate.value) {
            let matches = candidate.value.isInfinite || got.isInfinite
                ? candidate.value == got
                : abs(got - candidate.value) <= noise * (1 + 1e-9) + 1e-12
            if matches { return Diagnosis(kind: candidate.kind, text: candidate.text) }
        }
        return nil
    }

    /// Any product, scaled score or weight: the cell worked from the numbers it is made
    /// of rounded to `k` decimals, fewer than the sheet's: for k from one fewer down to 0.
    static func roundedTooEarly(_ table: Worksheet.AskedTable, column j: Int, got g: String) -> [Candidate] {
        guard table.readingDecimals > 0 else { return [] }
        return (0..<table.readingDecimals).reversed().compactMap { k in
            let r = { (x: Double) in Bounds.round(x, k) }
            let value: Double
            switch table.event.explain(row: table.rowIndex, column: j) {
            case .dotProduct(let p), .weightedSum(let p):
                value = zip(p.a, p.b).reduce(0.0) { $0 + r($1.0) * r($1.1) } + (p.bias.map(r) ?? 0)
            case .scaled(let score, _, let divisor, _):
                value = r(score) / r(divisor)
            case .softmax(let row, let column, _):
                value = stableSoftmax(row.scores.map(r))[column]
            default:
                return nil
            }
            return Candidate(kind: .roundedTooEarly, value: value, text: "rounded too early: \(g) is what this cell gives when the numbers "
                + "it is made from are rounded to \(Worksheet.rounding(k)). Keep \(Worksheet.rounding(table.readingDecimals)) "
                + "(or all of them) on the way, and round only the result.")
        }
    }

    // MARK: The candidates

    static func candidates(_ table: Worksheet.AskedTable, column j: Int, in block: AttentionBlock, got: Double) -> [Candidate] {
        specific(table, column: j, in: block, got: got) + roundedTooEarly(table, column: j, got: number(got))
    }

    /// The mistakes of method that the cell's matrix can show.
    static func specific(_ table: Worksheet.AskedTable, column j: Int, in block: AttentionBlock, got: Double) -> [Candidate] {
        let event = table.event
        let i = table.rowIndex
        let rows = event.rowLabels, columns = event.columnLabels
        let cell = "\(event.name)[\(rows[i]), \(columns[j])]"
        let g = number(got)
        let square = event.values.rows == event.values.columns && event.rowLabels == event.columnLabels
        switch event.stage {
        case .similarity:
            guard square, i != j else { return [] }
            return [Candidate(kind: .transposedScores, value: event.values[j, i],
                              text: "transposed: \(g) is \(event.name)[\(rows[j]), \(columns[i])], the score of the other pair. \(cell) is the query "
                                + "of \(rows[i]) with the key of \(columns[j]): q_\(rows[i])·k_\(columns[j]).")]
        case .scaling:
            guard let scores = event.operands.first?.matrix, case .scaled(_, let dK, let divisor, _) = event.explain(row: i, column: j) else { return [] }
            let ω = scores[i, j]
            var found = [
                Candidate(kind: .noScaling, value: ω, text: "no ÷√d_k: \(g) is the score \(event.operands[0].name)[\(rows[i]), \(columns[j])] itself. "
                    + "Divide it by √d_k = √\(dK) ≈ \(number(divisor)) (lesson 04-why-scale)."),
                Candidate(kind: .dividedByDk, value: ω / Double(dK), text: "divided by d_k = \(dK) instead of √d_k ≈ \(number(divisor)): "
                    + "the scores are divided by the square root of the key size (lesson 04-why-scale)."),
            ]
            if square, i != j {
                found.append(Candidate(kind: .transposedScores, value: event.values[j, i],
                                       text: "transposed: \(g) is \(event.name)[\(rows[j]), \(columns[i])], the scaled score of the other pair; "
                                        + "\(cell) comes from q_\(rows[i])·k_\(columns[j])."))
            }
            return found
        case .masking:
            guard let scores = event.operands.first?.matrix else { return [] }
            if event.values[i, j] == -.infinity {
                return [
                    Candidate(kind: .noMask, value: scores[i, j], text: "no mask: \(g) is the score before the mask, but the mask hides "
                        + "\(columns[j]) from \(rows[i]), so \(cell) is −∞ (write -inf)."),
                    Candidate(kind: .maskWithZero, value: 0, text: "a hidden score set to 0 instead of −∞: exp(0) = 1, so \(columns[j]) would "
                        + "still get weight. Write -inf."),
                ]
            }
            return [Candidate(kind: .maskWrongSide, value: -.infinity, text: "this score is not hidden: the mask lets \(rows[i]) see "
                + "\(columns[j]), so \(cell) keeps its score. Only the keys the mask hides are −∞.")]
        case .normalization:
            return weightMistakes(table, in: block).compactMap { mistake in
                mistake.row.indices.contains(j) ? Candidate(kind: mistake.kind, value: mistake.row[j], text: mistake.text) : nil
            }
        case .context:
            return contextMistakes(table, column: j, in: block, got: g)
        default:
            return []
        }
    }

    /// Row i of α under each mistake of the softmax, for α's cells and for Z's.
    static func weightMistakes(_ table: Worksheet.AskedTable, in block: AttentionBlock) -> [(kind: Diagnosis.Kind, row: [Double], text: String)] {
        guard let softmax = softmaxEvent(for: table.event, in: block), let s = softmax.operands.first?.matrix else { return [] }
        let i = table.rowIndex
        let row = (0..<s.columns).map { s[i, $0] }
        let finite = row.filter(\.isFinite)
        var found: [(Diagnosis.Kind, [Double], String)] = []
        if let scaling = event(.scaling, like: softmax, in: block), let ω = scaling.operands.first?.matrix,
           case .scaled(_, let dK, let divisor, _)? = (0..<scaling.values.columns).first.map({ scaling.explain(row: i, column: $0) }) {
            // The unscaled scores, hidden where the scaled ones are.
            let unscaled = (0..<ω.columns).map { row[$0] == -.infinity ? -Double.infinity : ω[i, $0] }
            found.append((.noScaling, stableSoftmax(unscaled), "the softmax of the unscaled scores: ω was not divided by √d_k = √\(dK) ≈ "
                + "\(number(divisor)) before the softmax (lesson 04-why-scale)."))
            found.append((.dividedByDk, stableSoftmax(unscaled.map { $0 / Double(dK) }), "the scores were divided by d_k = \(dK) instead of "
                + "√d_k ≈ \(number(divisor)) before the softmax (lesson 04-why-scale)."))
        }
        if s.rows == s.columns {
            // Over the column: each weight of column j is exp(s_ij) / Σ_k exp(s_kj).
            let overColumns = (0..<s.columns).map { j -> Double in
                let column = (0..<s.rows).map { s[$0, j] }
                return stableSoftmax(column)[i]
            }
            found.append((.softmaxOverColumns, overColumns, "a softmax over the column instead of the row: divide by the sum of the "
                + "exponentials of the row of \(table.event.rowLabels[i]), so that its weights add up to 1."))
            found.append((.transposedScores, stableSoftmax((0..<s.rows).map { s[$0, i] }), "the weights of the transposed scores: the row "
                + "of \(table.event.rowLabels[i]) was read down the column of the score table."))
        }
        if let m = finite.max() {
            found.append((.notNormalized, row.map { $0 == -.infinity ? 0 : exp($0 - m) }, "exp(s − max) not divided by the sum of the "
                + "row's exponentials: a weight is exp(s_j − max) / Σ_k exp(s_k − max), and the row's weights add up to 1."))
            found.append((.notNormalized, row.map { $0 == -.infinity ? 0 : exp($0) }, "exp(s) not divided by the sum of the row's "
                + "exponentials: a weight is exp(s_j − max) / Σ_k exp(s_k − max), and the row's weights add up to 1."))
        }
        if let masking = event(.masking, like: softmax, in: block), let unmasked = masking.operands.first?.matrix {
            let before = (0..<unmasked.columns).map { unmasked[i, $0] }
            let weights = stableSoftmax(before)
            found.append((.maskAfterSoftmax, zip(weights, row).map { $1 == -.infinity ? 0 : $0 }, "the mask applied after the softmax: the "
                + "hidden weights are 0, but the row no longer adds up to 1. Put −∞ in the hidden scores first, then take the softmax."))
            found.append((.noMask, weights, "no mask: the hidden keys still got weight. Their scores are −∞, so their weights are 0."))
        }
        return found
    }

    static func contextMistakes(_ table: Worksheet.AskedTable, column j: Int, in block: AttentionBlock, got g: String) -> [Candidate] {
        let event = table.event
        let i = table.rowIndex
        guard event.operands.count == 2 else { return [] }
        let (α, V) = (event.operands[0].matrix, event.operands[1].matrix)
        let rows = event.rowLabels
        var found: [Candidate] = []
        for r in 0..<event.values.rows where r != i {
            found.append(Candidate(kind: .wrongWeightsRow, value: event.values[r, j], text: "the wrong row of α: \(g) is z of \(rows[r]), made with "
                + "the weights of \(rows[r]). z of \(rows[i]) uses the row of \(rows[i]) in α: Σ_k α[\(rows[i]), k]·V[k, \(event.columnLabels[j])]."))
        }
        if let projection = block.trace.events.first(where: { $0.stage == .projection && $0.name == "V" && $0.head == event.head }),
           let X = projection.operands.first?.matrix, X.rows == α.columns, j < X.columns {
            let value = (0..<α.columns).reduce(0.0) { $0 + α[i, $1] * X[$1, j] }
            found.append(Candidate(kind: .valuesWithoutProjection, value: value, text: "the rows of \(projection.operands[0].name) instead of V: "
                + "z mixes the value rows, V = \(projection.formula.split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "X·W_V")."))
        }
        for mistake in weightMistakes(table, in: block) where mistake.row.count == V.rows {
            let value = (0..<V.rows).reduce(0.0) { $0 + mistake.row[$1] * V[$1, j] }
            found.append(Candidate(kind: mistake.kind, value: value, text: "z made with wrong weights — " + mistake.text))
        }
        return found
    }

    /// The softmax event whose weights `event` (α or Z) is made from.
    static func softmaxEvent(for event: TraceEvent, in block: AttentionBlock) -> TraceEvent? {
        event.stage == .normalization ? event : Self.event(.normalization, like: event, in: block)
    }

    /// The event of `stage` in the same head as `event`.
    static func event(_ stage: Stage, like event: TraceEvent, in block: AttentionBlock) -> TraceEvent? {
        block.trace.events.first { $0.stage == stage && $0.head == event.head }
    }

    /// A row's softmax, by the engine's own (`Softmax.rows`; −∞ gives 0).
    static func stableSoftmax(_ row: [Double]) -> [Double] { Array(Softmax.rows(of: Matrix([row])).row(0)) }

    static func number(_ x: Double) -> String { AnswersFile.number(x, digits: 6) }
}
