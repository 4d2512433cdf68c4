import Foundation
import Testing
@testable import Site

/// Odd but valid lessons: each must build, show its text as written and leave no
/// placeholder behind. A build must never crash.
@Suite("odd lessons build")
struct HostileLessonTests {
    /// The lesson page of a one-lesson course, checked for well-formed tags and leftovers.
    func page(_ text: String) throws -> String {
        let pages = try render(["01-x.md": text])
        let html = try #require(pages["x.html"])
        #expect(malformedTags(html) == [])
        #expect(!html.unicodeScalars.contains { $0 == "\u{E000}" || $0 == "\u{E001}" }, "a placeholder was left in the page")
        return html
    }

    static let prose = frontMatter + smallBlock + """
        Code `$x$ and {{ d_k }}` stays; \\$5 is a dollar; it costs $5 and $6 today.

        ~~~markdown
        ```attention
        tokens: [a]
        ```
        $y$ {{ d_k }}
        ~~~

        | a | $\\alpha$ | {{ d_k }} |
        |---|---|---|
        | $x_1$ | {{ small:n }} | `$y$` |

        - item $\\beta$ and {{ alpha[am, good] }}

        ## Heading $\\omega$ with {{ d_k }}

        """

    @Test("code keeps its dollars and braces; math and references work in tables, lists and headings")
    func prose() throws {
        let html = try page(Self.prose)
        #expect(html.contains("<code>$x$ and {{ d_k }}</code> stays; $5 is a dollar; it costs $5 and $6 today."))
        #expect(html.contains("$y$ {{ d_k }}\n</code></pre>"))
        #expect(html.contains("```attention\ntokens: [a]\n```"))
        #expect(html.contains("<td><code>$y$</code></td>"))
        #expect(html.contains(#"<th><math><mi>α</mi></math></th>"#))
        // References are links whose text is the number (their attributes belong to the design).
        #expect(html.contains(#"<td><a class="ref"[^>]*>3</a></td>"#, regex: true))
        #expect(html.contains(#"<li>item <math><mi>β</mi></math> and <a class="ref"[^>]*>[0-9.]+</a></li>"#, regex: true))
        #expect(html.contains(#"<h2 id="heading-omega-with-2">Heading <math><mi>ω</mi></math> with <a class="ref"[^>]*>2</a></h2>"#, regex: true))
        // One worked example: the attention block quoted inside ~~~ is text.
        #expect(html.contains("id=\"example-1\""))
        #expect(!html.contains("id=\"example-2\""))
    }

    @Test("CRLF line endings and a byte-order mark build the same page as LF")
    func lineEndings() throws {
        let plain = try page(Self.prose)
        #expect(try page(Self.prose.replacingOccurrences(of: "\n", with: "\r\n")) == plain)
        #expect(try page("\u{FEFF}" + Self.prose) == plain)
    }

    @Test("a block of one token, with a focus and every option")
    func oneToken() throws {
        let html = try page(frontMatter + "```attention\ntitle: One\nfocus: solo\nshow: all\ndecimals: 0\nnotation: column\ntokens: [solo]\nX: [[3]]\n```\n\n{{ alpha[solo, solo] }} {{ Z[solo] }}\n")
        #expect(html.contains(#"<a class="ref""#))
    }

    @Test("an unclosed code fence at the end of the file runs to the end")
    func unclosedFence() throws {
        let html = try page(frontMatter + "Before $x$.\n\n```python\nprice = \"$5 and $x$ {{ nope }}\"\n")
        #expect(html.contains("price = &quot;$5 and $x$ {{ nope }}&quot;"))
    }

    @Test("an empty body builds a page with the title and objectives")
    func emptyBody() throws {
        let html = try page("---\ntitle: Empty\nsummary: Nothing here\nobjectives: [Read nothing]\n---")
        #expect(html.contains("<h1>Empty</h1>"))
        #expect(html.contains("Read nothing"))
    }

    @Test("raw HTML in prose is dropped in safe mode")
    func rawHTML() throws {
        let html = try page(frontMatter + "Text <span style=\"color:red\">red</span>.\n\n<div>\nblock\n</div>\n")
        #expect(!html.contains("<span style"))
        #expect(!html.contains("<div>\nblock"))
        #expect(html.contains("<!-- raw HTML omitted -->"))
    }

    @Test("a heading made only of math gets an id; repeated headings get -1, -2")
    func headingIDs() throws {
        let html = try page(frontMatter + "## $\\alpha$\n\n## Objectives\n\n## Objectives\n")
        #expect(html.contains(#"<h2 id="alpha">"#))
        #expect(html.contains(#"<h2 id="objectives-1">"#))
        #expect(html.contains(#"<h2 id="objectives-2">"#))
    }

    @Test("a huge lesson builds")
    func huge() throws {
        var text = frontMatter + smallBlock
        for i in 0..<1500 {
            text += "## Section \(i)\n\nParagraph \(i) with $x_{\(i)}$, {{ alpha[am, good] }} and `code $y$`.\n\n"
        }
        let html = try page(text)
        #expect(html.contains("Paragraph 1499 with"))
    }

    @Test("an empty lessons folder of odd files: hidden editor files are not lessons")
    func fileNames() throws {
        let errors = try buildErrors(["01-x.md": frontMatter, ".#01-x.md": "lock"])
        #expect(errors == nil)
    }
}

extension String {
    func contains(_ pattern: String, regex: Bool) -> Bool {
        range(of: pattern, options: regex ? .regularExpression : []) != nil
    }
}
