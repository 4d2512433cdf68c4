/// What checking one exercise found.
public enum Outcome: Sendable {
    /// Every case matched the engine.
    case passed(cases: Int)
    case failed(Failure)

    public var failure: Failure? {
        if case .failed(let failure) = self { return failure }
        return nil
    }
}

/// The first case an implementation got wrong, told so that a student can fix it: the
/// case, the first wrong number with its row and column labels, expected against got,
/// and — where the mistake is a known one — what it probably is.
public struct Failure: Sendable {
    /// 1-based, and how many cases the exercise has.
    public let caseNumber: Int
    public let caseCount: Int
    /// e.g. `“I am good” (lesson 03)` or `a random sentence of 5 tokens … (in no lesson)`.
    public let caseTitle: String
    /// The first wrong number, expected against got, and how many are off.
    public let problem: [String]
    public let diagnosis: Diagnosis?

    /// The whole message, several lines.
    public var message: String {
        var lines = ["failed on case \(caseNumber) of \(caseCount): \(caseTitle)"]
        lines += problem.map { "  " + $0 }
        if let diagnosis { lines.append("likely mistake — \(diagnosis.text)") }
        return lines.joined(separator: "\n")
    }
}

/// A recognised mistake and what to do about it.
public struct Diagnosis: Sendable, Equatable {
    public let kind: Kind
    public let text: String

    public init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }

    public enum Kind: String, Sendable, CaseIterable {
        // Any exercise.
        case allZeros, returnedInput, nearlyRight
        // Scores.
        case transposedScores, untransposedK, transposedWeights
        // Scaling.
        case noScaling, dividedByDk, multipliedByRoot, scaledByDv
        // Softmax.
        case softmaxOverColumns, noMaxSubtraction, globalMax, notNormalized
        // Context vectors and attention.
        case uniformWeights, returnedWeights, valuesWithoutProjection
        // Masks.
        case maskAfterSoftmax, noMask, maskWithZero, maskWrongSide, maskHidesDiagonal
        // Heads.
        case interleavedHeads, splitRows, stackedHeads, reversedHeads
        // Cross-attention.
        case keysFromTarget, queriesFromSource
        // The softmax backward of one row.
        case forgotRowSum, rowSumUnweighted, missingWeightFactor, gradientPassedThrough, gradientSignFlipped, hiddenKeyGradient
        // The value gradient.
        case weightsNotTransposed, gradientTransposed, valueGradientUnweighted
        // The query and key gradients.
        case keyGradientNotTransposed, gradientsSwapped, queriesKeysSwapped
        // The online softmax.
        case onlineNoRescale, onlineRescaleInverted, onlineTileMaxOnly
        // The KV cache.
        case attendedOldCache
        // A worksheet's cells (attn check --worksheet): z worked with another token's row
        // of α; numbers rounded to fewer decimals than the sheet's on the way.
        case wrongWeightsRow, roundedTooEarly
    }

    /// The mistakes only a worksheet's cells show: no workbook function can make them.
    public static let worksheetOnly: Set<Kind> = [.wrongWeightsRow, .roundedTooEarly]
}
