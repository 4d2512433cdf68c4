import Testing
import Yams
@testable import Lessons

/// `FlatYAML` reads the common flat front matter without Yams; wherever it gives an answer,
/// that answer must be exactly Yams's (texts and places), and it must give none for
/// anything outside its subset.
@Suite("FlatYAML agrees with Yams")
struct FlatYAMLTests {
    /// What Yams makes of a flat mapping, in FlatYAML's terms (nil: not a flat mapping of
    /// texts and lists of texts).
    static func viaYams(_ text: String) -> [FlatYAML.Entry]? {
        guard let root = try? Yams.compose(yaml: text, .basic, .default, .utf8), let mapping = root.mapping else { return nil }
        var entries: [FlatYAML.Entry] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string, let keyMark = key.mark else { return nil }
            func item(_ node: Node) -> FlatYAML.Item? {
                guard let text = node.scalar?.string, let mark = node.mark else { return nil }
                return FlatYAML.Item(text: text, line: mark.line, column: mark.column)
            }
            if let single = item(value) {
                entries.append(FlatYAML.Entry(key: name, line: keyMark.line, value: .text(single)))
            } else if let sequence = value.sequence {
                let items = sequence.compactMap(item)
                guard items.count == sequence.count else { return nil }
                entries.append(FlatYAML.Entry(key: name, line: keyMark.line, value: .list(items)))
            } else {
                return nil
            }
        }
        return entries
    }

    static let values = [
        "Query, key and value", "\"Lesson 1: Dot Products\"", "'single: quoted # text'", "我想吃酸菜鱼",
        "a <script> & \"quote\"", "C# and F#", "x:y", "3", "~", "null", "yes", "-5", "- a", "a: b",
        "a #comment", "ends with colon:", "\"escaped \\\" quote\"", "'it''s'", "[a, b]", "{a: b}", "&anchor x",
        "*alias", "!tag x", "|", ">", "%percent", "@at", "`tick`", "\"open", "'open", "\"\"", "''",
        "trailing spaces   ", "\u{00A0}nbsp\u{00A0}", "tab\there", "line\u{2028}separator", "bom\u{FEFF}",
        "c1\u{0085}", "?question", ",comma", "#hash", "emoji 🧠 text", "\"a\" b", "e\u{0301}",
    ]

    static let documents: [String] = {
        var documents: [String] = []
        for value in values {
            documents.append("title: \(value)\nsummary: plain\n")
            documents.append("objectives:\n  - \(value)\n  - second\n")
            documents.append("objectives:\n- \(value)\n")
            documents.append("key:    \(value)")
        }
        documents += [
            "title: a\n\nsummary: b\n\n", "title: a\ntitle: b\n", "title:\n", "title:\nsummary: b\n",
            "objectives:\n  - a\n    - b\n", "objectives:\n  - a\n - b\n", "objectives:\n  - a\n\n  - b\nnext: c\n",
            "objectives:\n  -a\n", "objectives:\n  -\n", "title: a\n  continued\n", " title: a\n", "title : a\n",
            "title:a\n", "\"title\": a\n", "1title: a\n", "_key-2: a\n", "---\ntitle: a\n", "# comment\ntitle: a\n",
            "title: a # comment\n", "", "\n\n", "title: a\r\n", "title: a\n...\n", "x: [1, 2]\n", "title: |\n  block\n",
            "order: 3\nobjectives:\n   - one\n   - two\n   - three\nsummary: \"s\"\n",
            // From a review: continuation and nesting, markers, odd spaces, short keys.
            "o:\n- a\n  - b\n", "o:\n  - a\n    - b\n", "title: ...\n", "o:\n- ...\n", "title: a\u{00A0}#b\n",
            "title: a\u{00A0}: b\n", "title: ' a\\b '\n", "title: \" x \"\n", "title: \"a\"#b\n", "a-: b\n_: c\n",
            "title:\ta\n", "title: x\n--- \n", "   \ntitle: a\n", String(repeating: "k", count: 1025) + ": v\n",
            String(repeating: "k", count: 1000) + ": v\n",
        ]
        return documents
    }()

    @Test("on every document it reads, it reads what Yams reads")
    func agreesWithYams() {
        var read = 0
        for document in Self.documents {
            guard let flat = FlatYAML.entries(document) else { continue }
            read += 1
            #expect(flat == Self.viaYams(document), "\(document.debugDescription)")
        }
        // Most of the plain documents are read (else this test checks little).
        #expect(read >= 60)
    }

    @Test("it leaves to Yams what it does not fully understand", arguments: [
        "title: a # comment\n", "title: \"escaped \\\" quote\"\n", "title: 'it''s'\n", "title: a\n  continued\n",
        "title: a\ntitle: b\n", "title:\n", "title: |\n  block\n", "x: [1, 2]\n", "title: tab\there\n",
        "title: line\u{2028}separator\n", "objectives:\n  - a\n - b\n", "# comment\ntitle: a\n", "title: a: b\n",
        "title: ends with colon:\n", "", "title: -5\n", "title:a\n", "o:\n- a\n  - b\n",
        String(repeating: "k", count: 1025) + ": v\n",
    ])
    func fallsBack(_ document: String) {
        #expect(FlatYAML.entries(document) == nil)
    }

    @Test("places are lines and columns of the text, columns in Unicode scalars")
    func places() {
        let entries = FlatYAML.entries("title:   \"我想 x\"\nobjectives:\n    - 酸菜鱼\n")
        #expect(entries == [
            FlatYAML.Entry(key: "title", line: 1, value: .text(FlatYAML.Item(text: "我想 x", line: 1, column: 10))),
            FlatYAML.Entry(key: "objectives", line: 2, value: .list([FlatYAML.Item(text: "酸菜鱼", line: 3, column: 7)])),
        ])
    }
}
