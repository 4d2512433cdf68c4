import AttentionEngine

/// One line of worked arithmetic, in parts, so that each view sets it out its own way:
/// `ω[am, good] = Q[am]·K[good] = 2×2 + 2×3 + 2×1 = 12`.
///
/// The last step, when it is made of numbers only, re-adds to the result at the result's
/// precision: a student who redoes it with the numbers shown gets the number shown (`Worked`
/// prints the operands with more decimals where the table's would not add up).
public struct WorkedLine: Sendable, Equatable {
    /// The cell: `ω[am, good]`.
    public var name: String
    /// From the formula to the numbers: `Q[am]·K[good]`, `2×2 + 2×3 + 2×1`.
    public var steps: [String]
    /// The value, as its table prints it: `12`.
    public var result: String
    /// An aside after the result: `(given)`, `(causal mask: good comes after am)`.
    public var note: String?

    public init(name: String, steps: [String], result: String, note: String? = nil) {
        self.name = name
        self.steps = steps
        self.result = result
        self.note = note
    }

    /// The line as one sentence: `name = step = … = result (note)`.
    public var text: String {
        ([name] + steps + [result]).joined(separator: " = ") + (note.map { " " + $0 } ?? "")
    }
}

/// Numbers as a worked line shows them: whole numbers as integers (`1`, `0`), numbers that
/// `base` decimals hold exactly (a weight of 0.5) to `base`, others to `digits` decimals.
/// `value` is what the text says, so arithmetic on it is the student's.
struct ShownNumbers {
    var digits: Int
    var base: Int

    init(digits: Int, base: Int? = nil) {
        self.digits = digits
        self.base = min(base ?? digits, digits)
    }

    func places(_ x: Double) -> Int {
        if NumberFormat.isWhole(x) { return 0 }
        return x == NumberFormat.rounded(x, decimals: base) ? base : digits
    }

    func text(_ x: Double) -> String { NumberFormat.fixed(x, decimals: places(x)) }

    /// A factor inside a product: negative numbers in parentheses.
    func factor(_ x: Double) -> String {
        let t = text(x)
        return t.hasPrefix("−") ? "(\(t))" : t
    }

    func value(_ x: Double) -> Double { NumberFormat.rounded(x, decimals: places(x)) }
}

extension NumberFormat {
    /// A finite whole number small enough to print as one.
    public static func isWhole(_ x: Double) -> Bool { x.isFinite && x.rounded() == x && abs(x) < scientificFrom }

    /// Whether every finite value is whole (−∞ of a mask is ignored): such a matrix prints
    /// without decimals (`1` and `0`, not `1.00` and `0.00`).
    public static func allWhole<S: Sequence<Double>>(_ values: S) -> Bool {
        values.allSatisfy { $0 == -.infinity || isWhole($0) }
    }

    /// The decimals `values` print with: none when they are all whole, else `decimals`.
    public static func decimals<S: Sequence<Double>>(for values: S, _ decimals: Int) -> Int {
        allWhole(values) ? 0 : decimals
    }

    /// The number that `fixed(x, decimals:)` prints.
    public static func rounded(_ x: Double, decimals: Int) -> Double {
        guard x.isFinite else { return x }
        return Double(fixed(x, decimals: decimals).replacingOccurrences(of: "−", with: "-")) ?? x
    }
}
