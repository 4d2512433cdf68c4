import AttentionEngine
import Foundation
import SpecLoader
import TestSupport
import Testing
@testable import TraceFormat


func trace(_ yaml: String) throws -> Trace {
    try SpecLoader.load(yaml, path: "t.yaml").loaded.trace()
}

func exampleTrace(_ name: String) throws -> (Trace, AttentionSpec) {
    let url = repositoryRoot.appendingPathComponent("examples/\(name).yaml")
    let loaded = try SpecLoader.load(String(contentsOf: url, encoding: .utf8), path: "examples/\(name).yaml").loaded
    return (try loaded.trace(), loaded.spec)
}

@Suite("numbers")
struct NumberFormatTests {
    @Test("round-trip text reads back as the same Double")
    func roundTrip() {
        var generator = SplitMix64(seed: 99)
        var samples: [Double] = [0, -0.0, 1, 0.1, 1e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -1.5e300, 1 / 3]
        for _ in 0..<2000 {
            samples.append(Double(bitPattern: generator.next()))
        }
        for x in samples where x.isFinite {
            #expect(Double(NumberFormat.roundTrip(x))?.bitPattern == x.bitPattern, "\(x)")
        }
        #expect(NumberFormat.roundTrip(-.infinity) == "-inf")
    }

    @Test("fixed decimals: no negative zero, a real minus sign, −∞")
    func fixed() {
        #expect(NumberFormat.fixed(0.95445, decimals: 4) == "0.9544" || NumberFormat.fixed(0.95445, decimals: 4) == "0.9545")
        #expect(NumberFormat.fixed(2, decimals: 2) == "2.00")
        #expect(NumberFormat.fixed(-0.00001, decimals: 3) == "0.000")
        #expect(NumberFormat.fixed(-0.0, decimals: 1) == "0.0")
        #expect(NumberFormat.fixed(-1.25, decimals: 1) == "−1.2" || NumberFormat.fixed(-1.25, decimals: 1) == "−1.3")
        #expect(NumberFormat.fixed(-3, decimals: 0) == "−3")
        #expect(NumberFormat.fixed(-.infinity, decimals: 4) == "−∞")
    }

    @Test("from 1e9 on, scientific notation: no 100-digit cells")
    func scientific() {
        #expect(NumberFormat.fixed(1e100, decimals: 2) == "1.00e+100")
        #expect(NumberFormat.fixed(-2.5e12, decimals: 1) == "−2.5e+12")
        #expect(NumberFormat.fixed(1e9, decimals: 0) == "1e+09")
        #expect(NumberFormat.fixed(999_999_999, decimals: 0) == "999999999")
        for x in [1e9, 3.7e15, -1e300, Double.greatestFiniteMagnitude] {
            #expect(NumberFormat.fixed(x, decimals: 4).count <= 13, "\(x)")
            #expect(Double(NumberFormat.fixed(x, decimals: 12).replacingOccurrences(of: "−", with: "-")).map { abs($0 - x) <= abs(x) * 1e-12 } == true)
        }
    }
}

@Suite("JSON trace")
struct JSONTraceTests {
    static let hostile = """
        tokens: ['<script>', '&', '"', "back\\\\slash", 我, 酸菜]
        d_model: 4
        X: {seed: 1}
        W_Q: {seed: 2}
        W_K: {seed: 3}
        W_V: {seed: 4}
        heads: 2
        W_O: {seed: 5}
        mask: causal
        """

    func decode(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("the contract: version, events with stage, head, name, labels and values")
    func contract() throws {
        let t = try trace(Self.hostile)
        let json = try decode(JSONTrace.encode(t))
        #expect(json["version"] as? Int == 1)
        let events = try #require(json["events"] as? [[String: Any]])
        #expect(events.count == t.events.count)
        for (event, object) in zip(t.events, events) {
            #expect(object["stage"] as? String == event.stage.rawValue)
            #expect(object["name"] as? String == event.name)
            #expect(object["head"] as? Int == event.head)
            #expect((object["head"] == nil) == [.input, .positional, .concat, .output].contains(event.stage))
            #expect(object["rows"] as? [String] == event.rowLabels)
            #expect(object["columns"] as? [String] == event.columnLabels)
            #expect(object["shape"] as? [Int] == [event.values.rows, event.values.columns])
            #expect(object["operands"] as? [String] == event.operands.map(\.name))
        }
        // Labels survive exactly, markup and all.
        #expect(events[0]["rows"] as? [String] == ["<script>", "&", "\"", "back\\slash", "我", "酸菜"])
    }

    @Test("numbers read back bit for bit, −∞ as the string \"-inf\"")
    func exactNumbers() throws {
        let t = try trace(Self.hostile)
        let events = try #require(try decode(JSONTrace.encode(t))["events"] as? [[String: Any]])
        var sawInfinity = false
        for (event, object) in zip(t.events, events) {
            let rows = try #require(object["values"] as? [[Any]])
            for (i, row) in rows.enumerated() {
                for (j, cell) in row.enumerated() {
                    if let text = cell as? String {
                        #expect(text == "-inf" && event.values[i, j] == -.infinity)
                        sawInfinity = true
                    } else {
                        // JSONSerialization may lose the last bit; parse the raw token instead.
                        #expect((cell as? NSNumber) != nil)
                    }
                }
            }
        }
        #expect(sawInfinity)
        // Bit-exact: parse the raw text of every number in the "values" arrays with Swift's parser.
        let text = JSONTrace.encode(t)
        var parsed: [Double] = []
        for block in text.components(separatedBy: "\"values\": [").dropFirst() {
            let body = block.prefix { $0 != "}" }
            parsed += body.split(whereSeparator: { "[], \n".contains($0) }).map { $0 == "\"-inf\"" ? -.infinity : Double($0)! }
        }
        let expected = t.events.flatMap(\.values.storage)
        #expect(parsed.count == expected.count)
        let mismatches = zip(parsed, expected).filter { $0.bitPattern != $1.bitPattern }
        #expect(mismatches.isEmpty, "\(mismatches.count) numbers did not read back exactly, e.g. \(mismatches.prefix(3))")
    }

    @Test("the same spec gives the same bytes")
    func deterministic() throws {
        #expect(JSONTrace.encode(try trace(Self.hostile)) == JSONTrace.encode(try trace(Self.hostile)))
    }

    @Test("JSON strings escape quotes, backslashes and control characters only")
    func quoting() {
        #expect(JSONString.quoted("a\"b\\c\n\u{1}我") == "\"a\\\"b\\\\c\\n\\u0001我\"")
    }

    @Test("JSON strings escape what YAML forbids too, and read back as the same text")
    func quotingRoundTrips() throws {
        let hostile = "tab\there\r\u{7F}\u{85}\u{2028}\u{FEFF}\"quoted\" \\ 𝛼 ok"
        let quoted = JSONString.quoted(hostile)
        for scalar in ["\u{7F}", "\u{85}", "\u{2028}", "\u{FEFF}", "\r", "\t"] {
            #expect(!quoted.contains(scalar), "\(scalar.unicodeScalars.first!.value) left unescaped")
        }
        let read = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: .fragmentsAllowed) as? String
        #expect(read == hostile)
    }
}

@Suite("text trace")
struct TextTraceTests {
    @Test("the worked example matches its golden file")
    func golden() throws {
        let (t, spec) = try exampleTrace("i-am-good")
        let text = TextTrace(decimals: 4, focus: spec.tokens.firstIndex(of: "am")).render(t)
        let url = repositoryRoot.appendingPathComponent("Tests/TraceFormatTests/Golden/i-am-good.focus-am.txt")
        if ProcessInfo.processInfo.environment["ATTN_UPDATE_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(text == golden, "regenerate with ATTN_UPDATE_GOLDEN=1 swift test --filter golden, then review the diff")
    }

    @Test("the focus row's arithmetic is spelled out")
    func workedArithmetic() throws {
        let (t, _) = try exampleTrace("i-am-good")
        let text = TextTrace(decimals: 4, focus: 1).render(t)
        // ω[am, good] = [2,2,2]·[2,3,1]
        // Whole numbers print as integers; √3 gets one more decimal so that 16 / 1.73205 re-adds to 9.2376.
        #expect(text.contains("ω[am, good] = Q[am]·K[good] = 2×2 + 2×3 + 2×1 = 12"))
        #expect(text.contains("ω_scaled[am, am] = 16 / √3 = 16 / 1.73205 = 9.2376"))
        #expect(text.contains("max             = 9.2376"))
        #expect(text.contains("(3×4)·(4×3) → (3×3)"))
    }

    @Test("large matrices are elided NumPy-style")
    func elision() throws {
        let tokens = (0..<20).map { "w\($0)" }.joined(separator: ", ")
        let t = try trace("tokens: [\(tokens)]\nd_model: 16\nX: {seed: 1}")
        let text = TextTrace(decimals: 2, focus: 0).render(t)
        let omega = text.components(separatedBy: "── similarity")[1]
        #expect(omega.contains("⋮") && omega.contains("…"))
        #expect(omega.contains("w19") && !omega.contains("w10 "))
        let header = omega.split(separator: "\n")[2]
        #expect(header.split(separator: " ").map(String.init) == ["w0", "w1", "w2", "…", "w17", "w18", "w19"])
    }

    @Test("columns stay aligned with wide (CJK) labels")
    func wideLabels() throws {
        let t = try trace("tokens: [我, 想, 吃, 酸菜, 鱼]\nX: [[1, 0], [0, 1], [1, 1], [2, 0], [0, 2]]\nscale: false")
        let text = TextTrace(decimals: 2).render(t)
        let table = text.components(separatedBy: "── similarity")[1].split(separator: "\n").dropFirst(2).prefix(6)
        let widths = Set(table.map { displayWidth(String($0)) })
        #expect(widths.count == 1, "rows of one table have one width: \(table)")
        #expect(displayWidth("酸菜") == 4 && displayWidth("am") == 2)
    }

    @Test("the summary is one line per event")
    func summary() throws {
        let (t, _) = try exampleTrace("i-am-good")
        let lines = SummaryTrace.render(t).split(separator: "\n")
        #expect(lines.count == t.events.count)
        #expect(lines[0] == "input\t-\tX\t(3×4)")
        #expect(lines[4] == "similarity\t0\tω\t(3×3)")
    }
}
