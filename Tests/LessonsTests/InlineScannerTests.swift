import Diagnostics
import Testing
@testable import Lessons

/// What becomes math or a reference, and what must stay text: code, escapes, prices.
@Suite("math and references: what is scanned")
struct InlineScannerTests {
    /// The spans found in `body`, placed after the front matter (the body starts on line 8).
    func spans(_ body: String) throws -> [String] {
        spanTexts(try parse(frontMatter + body))
    }

    func locations(_ body: String) throws -> [String] {
        try parse(frontMatter + body).spans.map(\.location.description)
    }

    @Test("inline and display math, and where each starts")
    func basics() throws {
        let body = "Let $x_i$ and $$\\sum_j y$$ be.\n\n$$\n\\frac{a}{b}\n$$\n"
        #expect(try spans(body) == ["$x_i$", "$$\\sum_j y$$", "$$\\frac{a}{b}$$"])
        // The location is the TeX's first character, so TeX errors count from it.
        #expect(try locations(body) == ["lessons/01-x.md:8:6", "lessons/01-x.md:8:17", "lessons/01-x.md:11:1"])
    }

    @Test("code spans, fenced code, ~~~ fences, indented code and unclosed fences are left alone")
    func code() throws {
        let body = """
            Code `$x$ and {{ d_k }}` and ``a `$y$` b`` stay.

            ```python
            price = "$5 and $x$ {{ d_k }}"
            ```

            ~~~markdown
            ```attention
            $z$ {{ alpha[a, b] }}
            ```
            ~~~

                indented $code$ {{ d_k }}

            > ```
            > $quoted$ {{ d_k }}
            > ```

            - item

              ```
              $listed$ {{ d_k }}
              ```

            1. item
               ~~~~
               $numbered$
               ~~~~

            After $a$.

            ```
            unclosed $w$ {{ d_k }}
            """
        #expect(try spans(body) == ["$a$"])
    }

    @Test("dollar signs that are not math", arguments: [
        "It costs $5 and $6 today.",
        "It costs $5.\nThe rest is $6 more.",
        "Escaped \\$x\\$ dollars.",
        "A lone $ sign.",
        "Spaced $ x $ is not math.",
        "Digits after: $x$5 stays text.",
        "Escaped braces \\{{ d_k }} stay.",
        "Single { braces } and } }} stay.",
        "Escaped backtick \\`$ and",
    ])
    func notMath(_ text: String) throws {
        #expect(try spans(text + "\n") == [])
    }

    @Test("prices next to math: the next $ decides")
    func pricesAndMath() throws {
        #expect(try spans("It costs $5 and $6, and $x$ is math.\n") == ["$x$"])
        #expect(try spans("From $5 to\n$x$ on the next line.\n") == ["$x$"])
        #expect(try spans("An escaped backslash \\\\$x$ then math.\n") == ["$x$"])
        #expect(try spans("$a$$b$\n") == ["$a$", "$b$"])
    }

    @Test("math and references inside tables, lists, headings and quotes")
    func containers() throws {
        let body = frontMatterFreeBlock + """
            ## Heading $\\omega$ and {{ d_k }}

            | a | $\\alpha$ |
            |---|---|
            | {{ n }} | `$code$` |

            - item $\\beta$ and {{ alpha[am, am] }}
            > quoted $\\gamma$

            """
        #expect(try spans(body) == ["$\\omega$", "{{d_k}}", "$\\alpha$", "{{n}}", "$\\beta$", "{{alpha[am, am]}}", "$\\gamma$"])
        #expect(try locations(body) == ["lessons/01-x.md:14:13", "lessons/01-x.md:14:25", "lessons/01-x.md:16:8",
                                        "lessons/01-x.md:18:3", "lessons/01-x.md:20:9", "lessons/01-x.md:20:20", "lessons/01-x.md:21:11"])
    }

    /// `smallBlock` under another name, for readability above.
    let frontMatterFreeBlock = smallBlock

    @Test("columns count Unicode scalars: tabs, Chinese, combining accents")
    func columns() throws {
        #expect(try locations("a\t$x$\n") == ["lessons/01-x.md:8:4"])
        #expect(try locations("我想吃 $x$\n") == ["lessons/01-x.md:8:6"])
        #expect(try locations("e\u{301} $x$\n") == ["lessons/01-x.md:8:5"])
    }

    @Test("spans that wrap keep later lines in place")
    func wrapping() throws {
        // Inline math over two lines, then a reference over two lines, then a bad block:
        // libyaml notices the missing ] on the next line, 21, which must not have moved.
        let body = "A $x +\ny$ and {{ d_k\n}}.\n\n```attention\ntokens: [I]\nX: [[1]\nfocus: I\n```\n"
        let lesson = frontMatter + smallBlock + body
        #expect(failure(lesson) == "lessons/01-x.md:21:1: this is not valid YAML: did not find expected ',' or ']'")
    }

    @Test("the scanner keeps the number of lines")
    func lineCount() throws {
        let text = "a $x\n+ y$ b {{ d_k\n }}\n\n$$\nz\n$$\n`c\nd` e"
        var scanner = InlineScanner(path: "p")
        let out = try scanner.scanDocument(text)
        #expect(out.split(separator: "\n", omittingEmptySubsequences: false).count == text.split(separator: "\n", omittingEmptySubsequences: false).count)
        #expect(scanner.spans.count == 3)
    }
}

@Suite("line endings, byte-order marks, odd files")
struct LineEndingTests {
    static let lesson = frontMatter + smallBlock + "The weight is {{ alpha[am, good] }} and $x$.\n\n```attention\ntokens: [I]\nX: [[1]\nfocus: I\n```\n"

    enum Oddity: String, CaseIterable, Sendable {
        case crlf, cr, bom, bomAndCRLF

        func apply(_ s: String) -> String {
            switch self {
            case .crlf: s.replacingAll("\n", "\r\n")
            case .cr: s.replacingAll("\n", "\r")
            case .bom: "\u{FEFF}" + s
            case .bomAndCRLF: "\u{FEFF}" + s.replacingAll("\n", "\r\n")
            }
        }
    }

    @Test("CRLF, CR and a byte-order mark give the same lines and columns as LF", arguments: Oddity.allCases)
    func lineEndings(_ oddity: Oddity) throws {
        let transform = oddity.apply
        let name = oddity.rawValue
        let good = frontMatter + smallBlock + "The weight is {{ alpha[am, good] }} and $x$.\n"
        let plain = try parse(good)
        let odd = try parse(transform(good))
        #expect(spanTexts(odd) == spanTexts(plain), "\(name)")
        #expect(odd.spans.map(\.location) == plain.spans.map(\.location), "\(name)")
        #expect(odd.frontMatter.title == "T")
        #expect(odd.attentionBlocks.first?.spec.tokens == ["I", "am", "good"])
        #expect(failure(transform(Self.lesson)) == "lessons/01-x.md:19:1: this is not valid YAML: did not find expected ',' or ']'", "\(name)")
    }

    @Test("an empty body, and a body of blank lines, parse")
    func emptyBody() throws {
        #expect(try parse("---\ntitle: T\nsummary: S\nobjectives: [O]\n---").blocks.isEmpty)
        #expect(try parse("---\ntitle: T\nsummary: S\nobjectives: [O]\n---\n\n   \n\t\n").blocks.isEmpty)
    }

    @Test("a huge lesson parses, with the last reference on its line")
    func huge() throws {
        var body = frontMatter + smallBlock
        for i in 0..<3000 { body += "Paragraph \(i) with $x_{\(i)}$, {{ alpha[am, good] }} and `code $y$`.\n\n" }
        body += "Last {{ alpha[am, nope] }}.\n"
        #expect(failure(body) == "lessons/01-x.md:6014:6: no column 'nope' in {{ alpha[am, nope] }}: the columns of α are I, am, good (or #0 … #2)")
        body.removeLast("Last {{ alpha[am, nope] }}.\n".count)
        let lesson = try parse(body)
        #expect(lesson.spans.count == 6000)
        #expect(lesson.references.count == 3000)
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

@Suite("math and references where cmark cannot show them")
struct LostSpanTests {
    @Test("inside an image description, a link address or title, a link definition or dropped raw HTML", arguments: [
        ("![the weights $\\alpha$](a.png)\n", "lessons/01-x.md:14:16: this math cannot be shown here: it is inside a link address or title, an image description or raw HTML; move it into the text"),
        ("[a link](https://example.com/{{ d_k }})\n", "lessons/01-x.md:14:30: the trace reference {{ d_k }} cannot be shown here: it is inside a link address or title, an image description or raw HTML; move it into the text"),
        ("[a link](https://example.com \"$x$\")\n", "lessons/01-x.md:14:32: this math cannot be shown here: it is inside a link address or title, an image description or raw HTML; move it into the text"),
        ("[a]: https://example.com \"{{ n }}\"\n", "lessons/01-x.md:14:27: the trace reference {{ n }} cannot be shown here: it is inside a link address or title, an image description or raw HTML; move it into the text"),
        ("<div title=\"$x$\">\n</div>\n", "lessons/01-x.md:14:14: this math cannot be shown here: it is inside a link address or title, an image description or raw HTML; move it into the text"),
    ])
    func lost(_ body: String, _ message: String) {
        #expect(failure(frontMatter + smallBlock + body) == message)
    }

    @Test("in link text and emphasis they are fine")
    func linkText() throws {
        let lesson = try parse(frontMatter + smallBlock + "[weight $\\alpha$ is {{ alpha[am, am] }}](#x) and *$x$*\n")
        #expect(lesson.spans.count == 3)
    }
}
