import Foundation
import TestSupport
import Testing
@testable import Site

/// A student who redoes the shown arithmetic gets the shown result: every worked line, sum
/// table and softmax table on the built pages (all of site/ and the fixture's) re-adds,
/// with the numbers as printed, to its result as printed, within half a unit of the result's
/// last decimal. Lines whose last step is not plain arithmetic (`exp(…)`, `sin(…)`, terms
/// elided with `…`) and tables with elided rows are counted as skipped, not checked.
@Suite("arithmetic that adds up")
struct ArithmeticTests {
    @Test("every worked line and sum table of the fixture re-adds to its result")
    func fixture() throws {
        let (pages, _) = try SiteBuilder(lessons: fixtureLessons.path, output: "/nonexistent").render()
        var report = ArithmeticReport()
        for (name, page) in pages where name.hasSuffix(".html") { report.check(page, page: name) }
        #expect(report.failures == [], "\(report.failures.joined(separator: "\n"))")
        #expect(report.checked >= 20, "only \(report.checked) checked")
    }

    @Test("every worked line and sum table of the built course in site/ re-adds to its result")
    func site() throws {
        let folder = ProcessInfo.processInfo.environment["ATTN_ARITHMETIC_SITE"].map { URL(fileURLWithPath: $0) } ?? repositoryRoot.appendingPathComponent("site")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".html") }.sorted()
        var report = ArithmeticReport()
        for name in names {
            report.check(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8), page: name)
        }
        #expect(report.failures == [], "\(report.failures.count) of \(report.checked):\n\(report.failures.prefix(40).joined(separator: "\n"))")
        #expect(report.checked >= 200, "only \(report.checked) checked")
    }

    @Test("the checker catches a sum that misses by one unit, and a table that does not add up")
    func catches() {
        var report = ArithmeticReport()
        report.check(#"<span class="arith"><span class="lhs">O[ate, 4]</span> <span class="rhs">= 0.80×1.00 + 0.74×1.00 = <strong class="result">1.53</strong></span></span>"#, page: "t")
        report.check(#"<p class="arith">α[a, b] = exp(1 − 2) / Σ = 0.37 / 2.10 = 0.18</p>"#, page: "t")
        report.check(#"<table class="matrix worked-table sum-table"><tbody><tr><th>x</th><td>0.33</td></tr><tr><th>y</th><td>0.33</td></tr><tr><th>z</th><td>0.33</td></tr><tr class="total"><th>sum</th><td>1.00</td></tr></tbody></table>"#, page: "t")
        #expect(report.checked == 3)
        #expect(report.failures.count == 2, "\(report.failures)")
    }
}

/// Reads worked arithmetic out of a built page and redoes it.
struct ArithmeticReport {
    var checked = 0
    var skipped = 0
    var failures: [String] = []

    mutating func check(_ html: String, page: String) {
        // Worked lines of a stage: the last step before <strong class="result">.
        for match in html.matches(of: #/<span class="lhs">(.*?)</span> <span class="rhs">(.*?)<strong class="result">(.*?)</strong>/#) {
            // "= a = b = " → the steps a, b (the result follows).
            let steps = (" " + text(String(match.output.2))).components(separatedBy: " = ").dropFirst().map { $0 }
            line(name: text(String(match.output.1)), step: steps.count >= 2 ? steps[steps.count - 2] : nil, result: text(String(match.output.3)), page: page)
        }
        // An exercise's solution: one line of text.
        for match in html.matches(of: #/<p class="arith">(.*?)</p>/#) {
            var parts = text(String(match.output.1)).components(separatedBy: " = ")
            guard parts.count >= 3 else { skipped += 1; continue }
            let result = parts.removeLast().split(separator: " ").first.map(String.init) ?? ""
            line(name: parts[0], step: parts.last, result: result, page: page)
        }
        for match in html.matches(of: #/<table class="matrix worked-table sum-table">(.*?)</table>/#.dotMatchesNewlines()) {
            sumTable(String(match.output.1), page: page)
        }
        for match in html.matches(of: #/the sum of the exponentials is Σ = <span class="softmax-sum">(.*?)</span>.*?<table class="matrix worked-table softmax-table">(.*?)</table>/#.dotMatchesNewlines()) {
            softmaxTable(sum: text(String(match.output.1)), String(match.output.2), page: page)
        }
    }

    mutating func line(name: String, step: String?, result: String, page: String) {
        guard let step, let shown = Self.number(result), let value = Arithmetic.evaluate(step) else { skipped += 1; return }
        checked += 1
        if abs(value - shown) > Self.halfUnit(result, shown) {
            failures.append("\(page): \(name) = \(step) = \(value), shown as \(result)")
        }
    }

    mutating func sumTable(_ table: String, page: String) {
        let rows = table.matches(of: #/<tr( class="([a-z]+)")?>(.*?)</tr>/#).map { (String($0.output.2 ?? ""), cells(String($0.output.3))) }
        guard let total = rows.last, total.0 == "total", !rows.contains(where: { $0.0 == "gap" }) else { skipped += 1; return }
        let terms = rows.dropLast().filter { $0.0 == "" }
        for (c, shownText) in total.1.enumerated() where shownText != "…" {
            let values = terms.map { Self.number($0.1[c]) }
            guard let shown = Self.number(shownText), !values.contains(nil) else { skipped += 1; continue }
            checked += 1
            let sum = values.reduce(0) { $0 + $1! }
            if abs(sum - shown) > Self.halfUnit(shownText, shown) {
                failures.append("\(page): a sum table's column \(c) adds up to \(sum), shown as \(shownText)")
            }
        }
    }

    mutating func softmaxTable(sum sumText: String, _ table: String, page: String) {
        let rows = Dictionary(table.matches(of: #/<tr class="([a-z]+)">(.*?)</tr>/#).map { (String($0.output.1), cells(String($0.output.2))) }) { a, _ in a }
        guard let exps = rows["exp"], let alphas = rows["alpha"], let sum = Self.number(sumText),
              !exps.contains("…") else { skipped += 1; return }
        checked += 1
        let added = exps.compactMap(Self.number).reduce(0, +)
        if abs(added - sum) > Self.halfUnit(sumText, sum) {
            failures.append("\(page): exponentials \(exps.joined(separator: " + ")) = \(added), shown as Σ = \(sumText)")
        }
        for (e, a) in zip(exps, alphas) {
            guard let e = Self.number(e), let alpha = Self.number(a) else { continue }
            checked += 1
            if abs(e / sum - alpha) > Self.halfUnit(a, alpha) {
                failures.append("\(page): \(e) / \(sum) = \(e / sum), shown as α = \(a)")
            }
        }
    }

    /// The texts of a row's cells (not its heading).
    func cells(_ row: String) -> [String] {
        row.matches(of: #/<td[^>]*>(.*?)</td>/#).map { text(String($0.output.1)) }
    }

    /// Text without tags and with the serializer's escapes undone.
    func text(_ html: String) -> String {
        html.replacing(#/<[^>]*>/#, with: "")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
            .replacingOccurrences(of: " (masked)", with: "")
    }

    static func number(_ text: String) -> Double? {
        Double(text.replacingOccurrences(of: "−", with: "-"))
    }

    /// Half a unit in the last decimal of `text`, plus room for floating-point error.
    static func halfUnit(_ text: String, _ value: Double) -> Double {
        let decimals = text.split(separator: ".").dropFirst().first?.count ?? 0
        return 0.5 * pow(10, -Double(decimals)) + 1e-9 * max(1, abs(value))
    }
}

/// Numbers with + − × · / and parentheses, as worked lines write them; nil for anything else.
enum Arithmetic {
    static func evaluate(_ text: String) -> Double? {
        var tokens: [String] = []
        var number = ""
        for c in text where c != " " {
            if c.isNumber || c == "." { number.append(c); continue }
            if !number.isEmpty { tokens.append(number); number = "" }
            guard "+−-×·*/()".contains(c) else { return nil }
            tokens.append(String(c))
        }
        if !number.isEmpty { tokens.append(number) }
        var position = 0
        func peek() -> String? { position < tokens.count ? tokens[position] : nil }
        func sum() -> Double? {
            guard var value = product() else { return nil }
            while let op = peek(), op == "+" || op == "−" || op == "-" {
                position += 1
                guard let next = product() else { return nil }
                value += op == "+" ? next : -next
            }
            return value
        }
        func product() -> Double? {
            guard var value = factor() else { return nil }
            while let op = peek(), "×·*/".contains(op) {
                position += 1
                guard let next = factor() else { return nil }
                value = op == "/" ? value / next : value * next
            }
            return value
        }
        func factor() -> Double? {
            guard let token = peek() else { return nil }
            position += 1
            if token == "−" || token == "-" { return factor().map { -$0 } }
            if token == "(" {
                let value = sum()
                guard peek() == ")" else { return nil }
                position += 1
                return value
            }
            return Double(token)
        }
        guard let value = sum(), position == tokens.count, tokens.contains(where: { Double($0) != nil }) else { return nil }
        return value
    }
}
