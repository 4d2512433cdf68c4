/// The `pattern` of an answer box: a regular expression that accepts exactly the decimal
/// texts whose value lies in a closed interval, so that the browser itself (`:valid` and
/// `:invalid`, no script) tells a student at once whether an answer is within tolerance.
///
/// Accepted spellings of a value: an optional sign (`+`, `-` or `−`), any leading zeros,
/// an integer part that may be empty when a fraction follows (`.5`), a decimal point or
/// comma, and any number of fraction digits, trailing zeros included (`0.50`, `0,5`,
/// `00.500`). At least one digit must be typed. The browser anchors the expression and
/// compiles it with the `v` flag, so character classes hold only digits, `.` and `,`.
///
/// The interval's ends are exact decimals: `units × 10^(−scale)`.
public struct AnswerPattern: Sendable, Equatable {
    public let low: Int
    public let high: Int
    public let scale: Int

    /// The interval [low, high] × 10^(−scale); nil when low > high or the scale is
    /// outside 0…12.
    public init?(low: Int, high: Int, scale: Int) {
        guard low <= high, (0...12).contains(scale) else { return nil }
        self.low = low
        self.high = high
        self.scale = scale
    }

    /// The expression for the `pattern` attribute.
    public var expression: String {
        var alternatives: [String] = []
        // Not `[-−]`: with the `v` flag a `-` in a class is a syntax error, and the browser
        // then ignores the pattern, so the box would call every text right.
        let plus = #"\+?"#, minus = "(?:-|−)"
        if high < 0 {
            alternatives.append(minus + Self.magnitudes(-high, -low, scale))
        } else if low > 0 {
            alternatives.append(plus + Self.magnitudes(low, high, scale))
        } else {
            // The interval holds 0: negative texts down to `low`, positive up to `high`
            // ("-0.00" is zero too).
            alternatives.append(minus + Self.magnitudes(0, -low, scale))
            alternatives.append(plus + Self.magnitudes(0, high, scale))
        }
        return "(?=.*[0-9])(?:" + alternatives.joined(separator: "|") + ")"
    }

    /// Texts without a sign whose value is in [low, high] × 10^(−scale), 0 ≤ low ≤ high.
    static func magnitudes(_ low: Int, _ high: Int, _ scale: Int) -> String {
        let unit = power(scale)
        let (lowInteger, lowFraction) = (low / unit, digits(low % unit, width: scale))
        let (highInteger, highFraction) = (high / unit, digits(high % unit, width: scale))
        var alternatives: [String] = []
        if lowInteger == highInteger {
            alternatives.append(integer(lowInteger) + fraction(between: lowFraction, and: highFraction))
        } else {
            alternatives.append(integer(lowInteger) + fraction(atLeast: lowFraction))
            for range in integerRanges(lowInteger + 1, highInteger - 1) {
                alternatives.append("0*" + range + anyFraction)
            }
            alternatives.append(integer(highInteger) + fraction(atMost: highFraction))
        }
        return "(?:" + alternatives.joined(separator: "|") + ")"
    }

    static let anyFraction = "(?:[.,][0-9]*)?"

    /// One integer, with any leading zeros; 0 may also be left out (`.5`).
    static func integer(_ n: Int) -> String {
        n == 0 ? "0*" : "0*" + String(n)
    }

    /// A fraction part (possibly absent) whose digits, read as a decimal after the point,
    /// are at least `bound` (digits, padded with zeros without end).
    static func fraction(atLeast bound: String) -> String {
        let bound = trimmingTrailingZeros(bound)
        if bound.isEmpty { return anyFraction }
        return "[.,]" + atLeast(Array(bound))
    }

    /// … at most `bound`.
    static func fraction(atMost bound: String) -> String {
        "(?:[.,]" + atMost(Array(trimmingTrailingZeros(bound))) + ")?"
    }

    /// … between `low` and `high`, both of the same length.
    static func fraction(between low: String, and high: String) -> String {
        let (low, high) = (Array(low), Array(high))
        let digits = range(low, high)
        // A fraction of zeros, or none at all, is fine only when low's digits are all zero.
        return low.allSatisfy({ $0 == "0" }) ? "(?:[.,]" + digits + ")?" : "[.,]" + digits
    }

    /// Digit strings (padded with zeros) between `low` and `high`, both of the same length,
    /// low ≤ high.
    static func range(_ low: [Character], _ high: [Character]) -> String {
        if low.allSatisfy({ $0 == "0" }) { return atMost(Array(trimmingTrailingZeros(String(high)))) }
        let (a, b) = (digit(low[0]), digit(high[0]))
        if a == b { return String(a) + range(Array(low.dropFirst()), Array(high.dropFirst())) }
        var options = [String(a) + atLeast(Array(trimmingTrailingZeros(String(low.dropFirst()))))]
        if b - a > 1 { options.append(digitClass(a + 1, b - 1) + "[0-9]*") }
        options.append(String(b) + atMost(Array(trimmingTrailingZeros(String(high.dropFirst())))))
        return "(?:" + options.joined(separator: "|") + ")"
    }

    /// Digit strings (then padded with zeros) that are ≥ `bound`, which has no trailing zeros.
    static func atLeast(_ bound: [Character]) -> String {
        guard let first = bound.first else { return "[0-9]*" }
        let c = digit(first)
        let rest = Array(bound.dropFirst())
        let same = String(c) + (rest.isEmpty ? "[0-9]*" : atLeast(rest))
        return c == 9 ? same : "(?:" + same + "|" + digitClass(c + 1, 9) + "[0-9]*)"
    }

    /// Digit strings (padded with zeros) that are ≤ `bound`, which has no trailing zeros.
    static func atMost(_ bound: [Character]) -> String {
        guard let first = bound.first else { return "0*" }
        let c = digit(first)
        let rest = Array(bound.dropFirst())
        var options = [String(c) + atMost(rest)]
        if c > 0 { options.append(digitClass(0, c - 1) + "[0-9]*") }
        // Stopping here reads as zeros from now on, which is less than a nonzero bound.
        return "(?:" + options.joined(separator: "|") + ")?"
    }

    /// Regular expressions for the integers in [low, high], written without leading zeros:
    /// one per run of equal length and shared prefix, as in the classic range construction.
    static func integerRanges(_ low: Int, _ high: Int) -> [String] {
        guard low <= high else { return [] }
        var out: [String] = []
        var start = low
        while start <= high {
            let length = String(start).count
            let end = min(high, power(length) - 1)
            out.append(contentsOf: sameLength(Array(String(start)), Array(String(end))))
            start = end + 1
        }
        return out
    }

    /// Integers of one length between `low` and `high` (as digit arrays).
    static func sameLength(_ low: [Character], _ high: [Character]) -> [String] {
        if low.count == 1 { return [digitClass(digit(low[0]), digit(high[0]))] }
        if low[0] == high[0] {
            return sameLength(Array(low.dropFirst()), Array(high.dropFirst())).map { String(low[0]) + $0 }
        }
        let (a, b) = (digit(low[0]), digit(high[0]))
        let nines = Array(repeating: Character("9"), count: low.count - 1)
        let zeros = Array(repeating: Character("0"), count: low.count - 1)
        var out = sameLength(Array(low.dropFirst()), nines).map { String(a) + $0 }
        if b - a > 1 { out.append(digitClass(a + 1, b - 1) + String(repeating: "[0-9]", count: low.count - 1)) }
        out += sameLength(zeros, Array(high.dropFirst())).map { String(b) + $0 }
        return out
    }

    static func digitClass(_ a: Int, _ b: Int) -> String {
        a == b ? String(a) : "[\(a)-\(b)]"
    }

    static func digit(_ c: Character) -> Int { Int(c.asciiValue! - 48) }

    static func digits(_ n: Int, width: Int) -> String {
        let text = String(n)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    static func trimmingTrailingZeros(_ s: String) -> String {
        var s = Substring(s)
        while s.last == "0" { s = s.dropLast() }
        return String(s)
    }

    static func power(_ n: Int) -> Int {
        (0..<n).reduce(1) { result, _ in result * 10 }
    }
}
