import Foundation
import Testing
@testable import Site

/// The answer boxes' patterns, checked exhaustively near the ends of the interval: every
/// spelling of every value at every precision around both ends must match exactly when the
/// value lies in the interval.
@Suite("answer patterns")
struct AnswerPatternTests {
    /// The browser anchors `pattern` as ^(?:…)$; ICU's engine reads our subset (classes of
    /// digits, `.` and `,`, alternation, `?`, `*`, one lookahead) as JavaScript's does.
    static func matcher(_ pattern: AnswerPattern) throws -> (String) -> Bool {
        let regex = try NSRegularExpression(pattern: "^(?:" + pattern.expression + ")$")
        return { text in regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }
    }

    @Test("every character class holds only digits, '.' and ',' (the browser compiles patterns with the v flag, where '-' in a class is an error that turns the check off)")
    func classesFitTheVFlag() throws {
        for (low, high) in [(-2993, -2992), (-10, 25), (0, 0), (5, 7), (-7, -5), (-123_456, 789)] {
            let expression = try #require(AnswerPattern(low: low, high: high, scale: 3)).expression
            for match in expression.matches(of: #/\[([^\]]*)\]/#) {
                let inside = String(match.output.1)
                // Digit ranges such as 0-9 or 3-7, digits, '.' and ',': nothing else.
                let allowed = inside.range(of: #"^(?:[0-9]-[0-9]|[.,0-9])+$"#, options: .regularExpression) != nil
                #expect(allowed, "[\(inside)] in \(expression)")
            }
        }
    }

    /// Exact: units × 10^(−digits) compared with the interval, at a common scale.
    static func inside(_ units: Int, digits: Int, _ pattern: AnswerPattern) -> Bool {
        let common = max(digits, pattern.scale)
        let value = units * AnswerPattern.power(common - digits)
        return pattern.low * AnswerPattern.power(common - pattern.scale) <= value
            && value <= pattern.high * AnswerPattern.power(common - pattern.scale)
    }

    /// Ways a student may write units × 10^(−digits).
    static func spellings(_ units: Int, digits: Int) -> [String] {
        let magnitude = abs(units)
        let unit = AnswerPattern.power(digits)
        let integer = String(magnitude / unit)
        let fraction = AnswerPattern.digits(magnitude % unit, width: digits)
        var plain = digits == 0 ? [integer] : [integer + "." + fraction]
        if digits > 0 {
            plain.append(integer + "," + fraction)
            plain.append(integer + "." + fraction + "00")
            plain.append("00" + integer + "." + fraction)
            if integer == "0" { plain.append("." + fraction) }
        } else {
            plain.append(integer + ".0")
            plain.append(integer + ".")
            plain.append("0" + integer)
        }
        if units < 0 { return plain.map { "-" + $0 } + plain.prefix(2).map { "−" + $0 } }
        return plain + plain.prefix(2).map { "+" + $0 } + (units == 0 ? ["-" + plain[0], "−" + plain[0]] : [])
    }

    static let intervals: [(Int, Int, Int)] = [
        (1238, 1242, 4), (9995, 10005, 4), (-5, 5, 2), (-1242, -1238, 4), (0, 3, 1), (1, 1, 0),
        (812_40, 812_60, 2), (99, 101, 0), (0, 0, 3), (-3, 0, 2), (7, 7, 2), (5, 50, 2), (1, 99_999, 3),
        (123_456_700, 123_456_800, 6), (-999, -1, 3), (10, 20, 1), (-150, 250, 2),
    ]

    @Test("accepts exactly the values inside the interval, in every spelling, near both ends",
          arguments: intervals)
    func nearTheEnds(low: Int, high: Int, scale: Int) throws {
        let pattern = try #require(AnswerPattern(low: low, high: high, scale: scale))
        let matches = try Self.matcher(pattern)
        var checked = 0
        for digits in 0...(scale + 2) {
            // The ends, seen at `digits` decimals, and their neighbours.
            let factor = Double(AnswerPattern.power(digits)) / Double(AnswerPattern.power(scale))
            for end in [low, high, (low + high) / 2, 0] {
                let center = Int((Double(end) * factor).rounded())
                for units in (center - 12)...(center + 12) {
                    let expected = Self.inside(units, digits: digits, pattern)
                    for text in Self.spellings(units, digits: digits) {
                        #expect(matches(text) == expected, "\(text) in [\(low), \(high)]e-\(scale): \(pattern.expression)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 500)
    }

    @Test("random intervals and random values: the pattern agrees with the arithmetic")
    func random() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<150 {
            let scale = Int.random(in: 0...5, using: &generator)
            let a = Int.random(in: -300_000...300_000, using: &generator)
            let width = Int.random(in: 0...2_000, using: &generator)
            let pattern = try #require(AnswerPattern(low: a, high: a + width, scale: scale))
            let matches = try Self.matcher(pattern)
            for _ in 0..<60 {
                let digits = Int.random(in: 0...(scale + 2), using: &generator)
                let shift = AnswerPattern.power(digits) / max(1, AnswerPattern.power(scale))
                let base = digits >= scale ? a * AnswerPattern.power(digits - scale) : a / AnswerPattern.power(scale - digits)
                let spread = max(3, width * max(1, shift))
                let units = base + Int.random(in: -spread...(2 * spread), using: &generator)
                let expected = Self.inside(units, digits: digits, pattern)
                for text in Self.spellings(units, digits: digits) {
                    #expect(matches(text) == expected, "\(text) in [\(a), \(a + width)]e-\(scale): \(pattern.expression)")
                }
            }
        }
    }

    @Test("never accepts what is not a number", arguments: ["", ".", ",", "-", "+", "−", "+-1", "1.2.3", "1e3", " 1", "1 ", "abc", "0x1", "--1", "1-", ".-1"])
    func notNumbers(text: String) throws {
        for (low, high, scale) in Self.intervals {
            let matches = try Self.matcher(try #require(AnswerPattern(low: low, high: high, scale: scale)))
            #expect(!matches(text), "'\(text)' in [\(low), \(high)]e-\(scale)")
        }
    }

    @Test("an empty interval has no pattern")
    func empty() {
        #expect(AnswerPattern(low: 2, high: 1, scale: 0) == nil)
    }
}
