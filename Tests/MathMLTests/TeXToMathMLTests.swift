import Diagnostics
import HTML
import Testing
@testable import MathML

private func render(_ tex: String, display: Bool = false) throws(Diagnostic) -> String {
    try mathML(fromTeX: tex, display: display, at: nil).render()
}

/// The diagnostic for `tex`, which starts at lessons/03-alpha.md:14:10.
private func diagnostic(_ tex: String) -> Diagnostic? {
    do {
        _ = try mathML(fromTeX: tex, display: false, at: SourceLocation(path: "lessons/03-alpha.md", line: 14, column: 10))
        return nil
    } catch {
        return error
    }
}

/// `(` and `)` that keep their size.
private let open = #"<mo stretchy="false">(</mo>"#
private let close = #"<mo stretchy="false">)</mo>"#
private let ij = "<mrow><mi>i</mi><mi>j</mi></mrow>"

@Suite("The course's formulas")
struct CourseFormulaTests {
    @Test func attentionWeight() throws {
        #expect(try render(#"\alpha_{ij}"#) == "<math><msub><mi>α</mi>\(ij)</msub></math>")
    }

    @Test func score() throws {
        #expect(try render(#"\omega_{ij} = q^{(i)} \cdot k^{(j)}"#) == """
            <math><msub><mi>ω</mi>\(ij)</msub><mo>=</mo>\
            <msup><mi>q</mi><mrow>\(open)<mi>i</mi>\(close)</mrow></msup><mo>⋅</mo>\
            <msup><mi>k</mi><mrow>\(open)<mi>j</mi>\(close)</mrow></msup></math>
            """)
    }

    @Test func scaledScores() throws {
        #expect(try render(#"\frac{QK^\top}{\sqrt{d_k}}"#, display: true) == """
            <math display="block"><mfrac><mrow><mi>Q</mi><msup><mi>K</mi><mi>⊤</mi></msup></mrow>\
            <msqrt><msub><mi>d</mi><mi>k</mi></msub></msqrt></mfrac></math>
            """)
    }

    @Test("a sum has limits below and above in display math, beside it inline")
    func contextVector() throws {
        let tex = #"z^{(i)} = \sum_{j=1}^{T} \alpha_{ij} v^{(j)}"#
        let rest = """
            <mrow><mi>j</mi><mo>=</mo><mn>1</mn></mrow><mi>T</mi>
            """
        let before = "<msup><mi>z</mi><mrow>\(open)<mi>i</mi>\(close)</mrow></msup><mo>=</mo>"
        let after = "<msub><mi>α</mi>\(ij)</msub><msup><mi>v</mi><mrow>\(open)<mi>j</mi>\(close)</mrow></msup>"
        #expect(try render(tex, display: true) == """
            <math display="block">\(before)<munderover><mo>∑</mo>\(rest)</munderover>\(after)</math>
            """)
        #expect(try render(tex) == "<math>\(before)<msubsup><mo>∑</mo>\(rest)</msubsup>\(after)</math>")
    }

    @Test func softmax() throws {
        #expect(try render(#"\operatorname{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}"#) == """
            <math><mi>softmax</mi><mo>\u{2061}</mo>\(open)<mi>x</mi><msub>\(close)<mi>i</mi></msub><mo>=</mo>\
            <mfrac><msup><mi>e</mi><msub><mi>x</mi><mi>i</mi></msub></msup>\
            <mrow><msub><mo>∑</mo><mi>j</mi></msub><msup><mi>e</mi><msub><mi>x</mi><mi>j</mi></msub></msup></mrow></mfrac></math>
            """)
    }

    @Test("\\mathbf uses Unicode's mathematical bold letters and digits")
    func bold() throws {
        #expect(try render(#"\mathbf{x}"#) == "<math><mi>𝐱</mi></math>")
        #expect(try render(#"\mathbf{W_Q} 2 \mathbf 2"#) == "<math><msub><mi>𝐖</mi><mi>𝐐</mi></msub><mn>2</mn><mn>𝟐</mn></math>")
    }

    @Test("\\text keeps its spaces as no-break spaces")
    func text() throws {
        #expect(try render(#"\text{if } j > i"#) == "<math><mtext>if\u{A0}</mtext><mi>j</mi><mo>&gt;</mo><mi>i</mi></math>")
        #expect(try render(#"\text{a   {b}\{\}\_}"#) == "<math><mtext>a\u{A0}b{}_</mtext></math>")
    }

    @Test("display math is a block")
    func display() throws {
        #expect(try render("x", display: true) == #"<math display="block"><mi>x</mi></math>"#)
        #expect(try render("x") == "<math><mi>x</mi></math>")
    }
}

@Suite("The TeX subset")
struct SubsetTests {
    @Test("numbers are one <mn>, but scripts take one digit as in TeX")
    func numbers() throws {
        #expect(try render("3.14 + 10") == "<math><mn>3.14</mn><mo>+</mo><mn>10</mn></math>")
        #expect(try render("x^23") == "<math><msup><mi>x</mi><mn>2</mn></msup><mn>3</mn></math>")
        #expect(try render("1.") == "<math><mn>1</mn><mo>.</mo></math>")
    }

    @Test("a hyphen is a minus sign; < and > are escaped")
    func operators() throws {
        #expect(try render("a-b<c>d") == "<math><mi>a</mi><mo>−</mo><mi>b</mi><mo>&lt;</mo><mi>c</mi><mo>&gt;</mo><mi>d</mi></math>")
        #expect(try render(#"a \le b \neq c \to \infty"#) == "<math><mi>a</mi><mo>≤</mo><mi>b</mi><mo>≠</mo><mi>c</mi><mo>→</mo><mi>∞</mi></math>")
    }

    @Test("x_i^2, x^2_i and primes")
    func scripts() throws {
        let expected = "<math><msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup></math>"
        #expect(try render("x_i^2") == expected)
        #expect(try render("x^2_i") == expected)
        #expect(try render("f'(x)") == "<math><mrow><mi>f</mi><mo>′</mo></mrow>\(open)<mi>x</mi>\(close)</math>")
        // In a subscript the prime stays on the line of the subscript, next to its letter.
        #expect(try render("\\omega_{ij'}") == "<math><msub><mi>ω</mi><mrow><mi>i</mi><mrow><mi>j</mi><mo>′</mo></mrow></mrow></msub></math>")
        #expect(try render("x_i'") == "<math><msubsup><mi>x</mi><mi>i</mi><mo>′</mo></msubsup></math>")
        #expect(try render("f''^2") == "<math><msup><mi>f</mi><mrow><mo>′</mo><mo>′</mo><mn>2</mn></mrow></msup></math>")
        #expect(try render("^2") == "<math><msup><mrow></mrow><mn>2</mn></msup></math>")
    }

    @Test("uppercase Greek is upright, lowercase italic")
    func greek() throws {
        #expect(try render(#"\Delta \delta \varepsilon"#) == #"<math><mi mathvariant="normal">Δ</mi><mi>δ</mi><mi>ε</mi></math>"#)
    }

    @Test("functions: thin space before a variable, none before a bracket; limits in display math")
    func functions() throws {
        #expect(try render(#"\log x + \exp(x)"#) == """
            <math><mi>log</mi><mo rspace="0.1667em">\u{2061}</mo><mi>x</mi><mo>+</mo>\
            <mi>exp</mi><mo>\u{2061}</mo>\(open)<mi>x</mi>\(close)</math>
            """)
        #expect(try render(#"\max_j x"#, display: true) == """
            <math display="block"><munder><mi>max</mi><mi>j</mi></munder><mo rspace="0.1667em">\u{2061}</mo><mi>x</mi></math>
            """)
        #expect(try render(#"\operatorname{f}"#) == #"<math><mi mathvariant="normal">f</mi><mo>"# + "\u{2061}</mo></math>")
    }

    @Test("\\left and \\right make brackets that grow")
    func leftRight() throws {
        #expect(try render(#"\left( \frac{a}{b} \right)^2"#) == """
            <math><msup><mrow><mo>(</mo><mfrac><mi>a</mi><mi>b</mi></mfrac><mo>)</mo></mrow><mn>2</mn></msup></math>
            """)
        #expect(try render(#"\left. x \right\|"#) == "<math><mrow><mi>x</mi><mo>‖</mo></mrow></math>")
    }

    @Test func fontsRootsAndSpaces() throws {
        #expect(try render(#"x \in \mathbb{R}^{T \times d}"#) == """
            <math><mi>x</mi><mo>∈</mo><msup><mi>ℝ</mi><mrow><mi>T</mi><mo>×</mo><mi>d</mi></mrow></msup></math>
            """)
        #expect(try render(#"\mathrm{d}x"#) == #"<math><mi mathvariant="normal">d</mi><mi>x</mi></math>"#)
        #expect(try render(#"\sqrt[3]{x}\,\quad"#) == """
            <math><mroot><mi>x</mi><mn>3</mn></mroot><mspace width="0.1667em"></mspace><mspace width="1em"></mspace></math>
            """)
        #expect(try render("a\\ b\\\nc") == """
            <math><mi>a</mi><mspace width="0.25em"></mspace><mi>b</mi><mspace width="0.25em"></mspace><mi>c</mi></math>
            """)
        #expect(try render(#"\{ \| x \| \}"#) == """
            <math><mo stretchy="false">{</mo><mo stretchy="false">‖</mo><mi>x</mi>\
            <mo stretchy="false">‖</mo><mo stretchy="false">}</mo></math>
            """)
    }

    @Test("text from the lesson is escaped, never raw")
    func escaping() throws {
        #expect(try render("a<b") == "<math><mi>a</mi><mo>&lt;</mo><mi>b</mi></math>")
        #expect(try render(#"\text{<script>alert("x")</script> & co}"#)
            == "<math><mtext>&lt;script&gt;alert(\"x\")&lt;/script&gt;\u{A0}&amp;\u{A0}co</mtext></math>")
    }

    @Test("every command in the reference table is accepted", arguments: symbolGroups.flatMap { $0.symbols.map(\.key) })
    func referenceIsAccepted(name: String) throws {
        #expect(throws: Never.self) { try mathML(fromTeX: "\\" + name, display: false, at: nil) }
        let shown = name == "|" ? #"`\\|`"# : "`\\\(name)`"
        #expect(texSubsetReference.contains(shown))
    }

    @Test func structuralCommandsAreDocumented() {
        for name in structuralCommands {
            #expect(texSubsetReference.contains("\\" + name), "\\\(name) missing from the reference")
        }
    }

    @Test func empty() throws {
        #expect(try render("") == "<math></math>")
        #expect(try render("  \n ") == "<math></math>")
    }
}

@Suite("Errors")
struct ErrorTests {
    @Test("exact messages and columns", arguments: [
        (#"x + \foo"#, 14, 14, #"unknown TeX command \foo; see docs/authoring.md#math for the supported subset"#),
        (#"\alph_i"#, 14, 10, #"unknown TeX command \alph (did you mean \alpha?); see docs/authoring.md#math for the supported subset"#),
        (#"\alpah"#, 14, 10, #"unknown TeX command \alpah (did you mean \alpha?); see docs/authoring.md#math for the supported subset"#),
        (#"\frca{a}{b}"#, 14, 10, #"unknown TeX command \frca (did you mean \frac?); see docs/authoring.md#math for the supported subset"#),
        ("a {b", 14, 12, "unclosed '{': add a matching '}'"),
        ("a}b", 14, 11, "unexpected '}' without a matching '{'"),
        ("x^", 14, 11, "'^' needs a superscript after it, as in x^{2}"),
        ("x_}", 14, 11, "'_' needs a subscript after it, as in x_{i}"),
        ("x^2^3", 14, 13, "double superscript: use braces, as in x^{ab}"),
        ("x_1_2", 14, 13, "double subscript: use braces, as in x_{ij}"),
        (#"y = \frac{a}"#, 14, 14, #"\frac needs two arguments, as in \frac{a}{b}"#),
        (#"\sqrt"#, 14, 10, #"\sqrt needs an argument, as in \sqrt{d_k}"#),
        (#"\text x"#, 14, 10, #"\text needs a braced argument, as in \text{if }"#),
        (#"\text{\alpha}"#, 14, 16, ##"inside \text{…} only \{ \} \$ \% \& \# \_ may follow a backslash"##),
        (#"\operatorname{soft max}"#, 14, 28, #"\operatorname takes letters only, as in \operatorname{softmax}"#),
        (#"\left( x"#, 14, 10, #"\left without a matching \right"#),
        (#"x \right)"#, 14, 12, #"\right without a matching \left"#),
        (#"\left< x \right>"#, 14, 15, #"\left needs a delimiter after it: ( ) [ ] | . \{ \} \| \langle \rangle"#),
        ("a ~ b", 14, 12, "unsupported character '~' in math; see docs/authoring.md#math"),
        ("a + \\", 14, 14, #"'\' at the end of the formula: write a command after it, as in \alpha"#),
        ("a\n  + \\foo", 15, 5, #"unknown TeX command \foo; see docs/authoring.md#math for the supported subset"#),
    ])
    func messages(tex: String, line: Int, column: Int, message: String) throws {
        let error = try #require(diagnostic(tex))
        #expect(error.message == message)
        #expect(error.location == SourceLocation(path: "lessons/03-alpha.md", line: line, column: column))
    }

    @Test("the full message reads like a compiler's")
    func description() throws {
        let error = try #require(diagnostic(#"\alpha_{ij} = \softmax(x)"#))
        #expect(error.description == #"lessons/03-alpha.md:14:24: unknown TeX command \softmax; see docs/authoring.md#math for the supported subset"#)
    }

    @Test("without a location, errors have none")
    func noLocation() {
        #expect(throws: Diagnostic("unexpected '}' without a matching '{'", at: nil)) {
            try mathML(fromTeX: "}", display: true, at: nil)
        }
    }

    @Test("hostile input gives a diagnostic or a node, never a trap", arguments: [
        "", " ", "\\", "\\\\", "{", "}", "{{{", "}}}", "{}", "{{}}", "^", "_", "'", "^^", "__", "x^", "x_", "x^_", "x^{", "x^}",
        "\\frac", "\\frac{", "\\frac{a}", "\\frac}{", "\\sqrt", "\\sqrt[", "\\sqrt[3", "\\sqrt[3]", "\\sqrt]",
        "\\left", "\\left(", "\\right", "\\right)", "\\left(\\right", "\\left\\", "\\left\\foo", "\\right\\left",
        "\\text", "\\text{", "\\text{\\", "\\text{\\}", "\\text}", "\\operatorname", "\\operatorname{", "\\operatorname{}",
        "\\operatorname{1}", "\\mathbf", "\\mathbf{", "\\mathbb{}", "\\mathrm}", "\\sum^", "\\max_", "\\log^",
        "\u{0}", "a\u{0}b", "😀", "\u{301}", "x\u{301}", "\\α", "\\😀", "$", "&", "#", "%", "~", "\"", "<script>",
    ])
    func hostile(tex: String) {
        for display in [false, true] {
            do {
                let node = try mathML(fromTeX: tex, display: display, at: SourceLocation(path: "x.md", line: 1, column: 1))
                #expect(node.render().hasPrefix("<math"))
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test("huge and deeply nested input gives a diagnostic or a node, never a trap")
    func huge() {
        let inputs = [
            String(repeating: "{", count: 10_000), String(repeating: "}", count: 10_000),
            String(repeating: "{x", count: 10_000) + String(repeating: "}", count: 10_000),
            String(repeating: "x^{", count: 5_000), String(repeating: "\\frac", count: 5_000),
            String(repeating: "\\sqrt", count: 5_000) + "x", String(repeating: "\\left(", count: 5_000),
            String(repeating: "\\mathbf", count: 5_000), String(repeating: "x_", count: 5_000),
            String(repeating: "\\", count: 10_001), "\\" + String(repeating: "a", count: 10_000),
            String(repeating: "x'", count: 10_000), String(repeating: "9", count: 100_000),
        ]
        for tex in inputs {
            do {
                #expect(try render(tex).hasPrefix("<math>"))
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test("deep nesting is an error, not a stack overflow")
    func nesting() throws {
        let deep = String(repeating: "{", count: 100) + "x" + String(repeating: "}", count: 100)
        let error = try #require(diagnostic(deep))
        #expect(error.message == "formula nested more than 50 levels deep")
        let fine = String(repeating: "{", count: 40) + "x" + String(repeating: "}", count: 40)
        #expect(try render(fine) == "<math><mi>x</mi></math>")
    }

    @Test("a long formula is fine")
    func long() throws {
        let tex = Array(repeating: #"\alpha_{ij} v^{(j)}"#, count: 2_000).joined(separator: " + ")
        #expect(try render(tex).count > 100_000)
    }
}
