import Diagnostics
import Foundation
@testable import Markdown
import Testing

/// A lesson with one of everything. Line numbers are asserted below, so edit with care.
private let lesson = """
# Attention, step by step

Scores are *scaled* by `1 / sqrt(d_k)` before ~~softmax~~ the softmax; see www.example.com.

| token | weight |
|:------|-------:|
| t1    | 0.25   |

- [x] compute scores
- [ ] normalise rows

1. A step with code:

   ```python
   nested = "not top-level"
   ```

```attention  seed=3
d_model: 4
tokens: [a, b]
```

<script>alert(1)</script>

Setext title
------------

"""

@Suite("Markdown document")
struct MarkdownDocumentTests {
    let document = MarkdownDocument.parse(lesson, path: "lessons/01-intro.md")

    @Test("top-level blocks, in order, with kinds and source lines")
    func blockOutline() {
        let outline = document.blocks.map { "\($0.location)-\($0.endLine) \(describe($0.kind))" }
        #expect(outline == [
            "lessons/01-intro.md:1:1-1 heading 1 Attention, step by step",
            "lessons/01-intro.md:3:1-3 paragraph",
            "lessons/01-intro.md:5:1-7 table",
            "lessons/01-intro.md:9:1-10 list",
            "lessons/01-intro.md:12:1-16 list",
            "lessons/01-intro.md:18:1-21 fence attention",
            "lessons/01-intro.md:23:1-23 html_block",
            "lessons/01-intro.md:25:1-26 heading 2 Setext title",
        ])
    }

    @Test("heading: level, plain text and inline HTML")
    func heading() throws {
        let heading = try #require(document.blocks.first)
        #expect(heading.kind == .heading(level: 1, text: "Attention, step by step"))
        #expect(heading.html.html == "<h1>Attention, step by step</h1>\n")
        #expect(heading.inlineHTML?.html == "Attention, step by step")
    }

    @Test("paragraph: emphasis, code span, strikethrough, autolink")
    func paragraph() {
        #expect(document.blocks[1].html.html == """
            <p>Scores are <em>scaled</em> by <code>1 / sqrt(d_k)</code> before <del>softmax</del> the softmax; \
            see <a href="http://www.example.com">www.example.com</a>.</p>

            """)
    }

    @Test("tables align with style attributes, never the obsolete align attribute")
    func table() {
        let html = document.blocks[2].html.html
        #expect(html == """
            <table>
            <thead>
            <tr>
            <th style="text-align: left">token</th>
            <th style="text-align: right">weight</th>
            </tr>
            </thead>
            <tbody>
            <tr>
            <td style="text-align: left">t1</td>
            <td style="text-align: right">0.25</td>
            </tr>
            </tbody>
            </table>

            """)
        #expect(!html.contains("align=\""))
    }

    @Test("task lists render as disabled checkboxes")
    func taskList() {
        #expect(document.blocks[3].html.html == """
            <ul>
            <li><input type="checkbox" checked="" disabled="" /> compute scores</li>
            <li><input type="checkbox" disabled="" /> normalise rows</li>
            </ul>

            """)
    }

    @Test("a fenced attention block: info string, literal and the line where its content starts")
    func attentionFence() throws {
        guard case .fencedCode(let fence) = document.blocks[5].kind else {
            Issue.record("block 5 is \(document.blocks[5].kind)")
            return
        }
        #expect(fence.info == "attention  seed=3")
        #expect(fence.name == "attention")
        #expect(fence.arguments == "seed=3")
        #expect(fence.literal == "d_model: 4\ntokens: [a, b]\n")
        #expect(fence.contentStartLine == 19)
        #expect(fence.isClosed)
        #expect(document.blocks[5].html.html == """
            <pre><code class="language-attention">d_model: 4
            tokens: [a, b]
            </code></pre>

            """)
        // A YAML error at line 2, column 9 of the block is at line 20 of the lesson.
        let inYAML = SourceLocation(path: "<yaml>", line: 2, column: 9)
        #expect(inYAML.shifted(intoFile: "lessons/01-intro.md", startingAtLine: fence.contentStartLine).description
                == "lessons/01-intro.md:20:9")
    }

    @Test("rendering block by block gives the same HTML as rendering the whole document")
    func blockByBlockMatchesWholeDocument() {
        #expect(document.html == MarkdownDocument.renderHTML(lesson))
        let unsafe = MarkdownOptions(allowRawHTML: true)
        #expect(MarkdownDocument.parse(lesson, path: "x.md", options: unsafe).html
                == MarkdownDocument.renderHTML(lesson, options: unsafe))
    }

    @Test("documents parse on several threads at once, and give what they give alone")
    func parallelParsing() {
        #if os(Linux)
        // The attn test binary exports the interceptor that makes this safe (Package.swift);
        // elsewhere parses take the lock, and this test still checks they agree.
        #expect(CmarkConverter.parsesInParallel)
        #endif
        // Strikethrough and autolinks depend on libcmark-gfm's table of special characters,
        // the state parallel parsers used to corrupt; tables and task lists come along.
        let documents = (0..<8).map { i in
            "Row \(i): ~~old~~ new, see www.example.com/\(i) or https://example.org/\(i).\n\n"
                + "| a | b |\n|---|:-:|\n| ~~\(i)~~ | mail\(i)@example.com |\n\n- [x] done ~~\(i)~~\n"
        }
        let alone = documents.map { MarkdownDocument.parse($0, path: "x.md").html.html }
        #expect(alone.allSatisfy { $0.contains("<del>old</del>") && $0.contains("<a href=\"http://www.example.com/") && $0.contains("<table>") })
        let rounds = 2_000
        let results = Results(count: rounds)
        DispatchQueue.concurrentPerform(iterations: rounds) { round in
            results.set(round, MarkdownDocument.parse(documents[round % documents.count], path: "x.md").html.html)
        }
        let wrong = (0..<rounds).filter { results.get($0) != alone[$0 % documents.count] }
        #expect(wrong.isEmpty, "\(wrong.count) of \(rounds) parallel parses differ from the same document parsed alone")
    }

    @Test("documents bigger than the parser's 1 MiB arena chunks parse whole, one after another")
    func bigDocuments() {
        // ~3 MB of paragraphs and a ~2 MB code block: the rendered HTML outgrows any chunk.
        let paragraphs = (0..<40_000).map { "Paragraph \($0) with *emphasis* and ~~strike~~ and `code`." }
        let code = "```\n" + String(repeating: "let x = 1 // padding padding padding padding\n", count: 45_000) + "```\n"
        for _ in 0..<2 {
            let document = MarkdownDocument.parse(paragraphs.joined(separator: "\n\n") + "\n\n" + code, path: "big.md")
            #expect(document.blocks.count == 40_001)
            #expect(document.blocks[39_999].html.html == "<p>Paragraph 39999 with <em>emphasis</em> and <del>strike</del> and <code>code</code>.</p>\n")
            #expect(document.blocks[40_000].html.html.utf8.count == "<pre><code>".utf8.count + 45_000 * 45 + "</code></pre>\n".utf8.count)
        }
    }

    @Test("parsing is deterministic, also from many threads at once")
    func determinism() async {
        let again = MarkdownDocument.parse(lesson, path: "lessons/01-intro.md")
        #expect(again == document)
        let results = await withTaskGroup(of: MarkdownDocument.self) { group in
            // Many at once: libcmark-gfm has process-wide state, which the wrapper serializes.
            for _ in 0..<200 {
                group.addTask { MarkdownDocument.parse(lesson, path: "lessons/01-intro.md") }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 == document })
    }
}

@Suite("Raw HTML")
struct RawHTMLTests {
    let text = """
        <script>alert(1)</script>

        <details><summary>Hint</summary>

        Inline <kbd>Ctrl</kbd> and [a link](javascript:alert(1)).

        """

    @Test("safe by default: raw HTML is omitted, javascript: links are emptied")
    func omittedByDefault() {
        #expect(MarkdownDocument.renderHTML(text).html == """
            <!-- raw HTML omitted -->
            <!-- raw HTML omitted -->
            <p>Inline <!-- raw HTML omitted -->Ctrl<!-- raw HTML omitted --> and <a href="">a link</a>.</p>

            """)
    }

    @Test("allowRawHTML keeps raw HTML, but the tag filter still disarms <script>")
    func keptWhenOptedIn() {
        #expect(MarkdownDocument.renderHTML(text, options: MarkdownOptions(allowRawHTML: true)).html == """
            &lt;script>alert(1)&lt;/script>
            <details><summary>Hint</summary>
            <p>Inline <kbd>Ctrl</kbd> and <a href="javascript:alert(1)">a link</a>.</p>

            """)
    }

    @Test("an HTML block closed by its end condition ends on that line")
    func htmlBlockEndLine() {
        let document = MarkdownDocument.parse("a\n\n<script>\nalert(1)\n</script>\nb\n", path: "x.md")
        #expect(document.blocks.map(\.location.line) == [1, 3, 6])
        #expect(document.blocks.map(\.endLine) == [1, 5, 6])
    }
}

@Suite("Edge cases")
struct EdgeCaseTests {
    @Test("an empty or blank document has no blocks and no HTML", arguments: ["", "\n\n", "   \n\t\n"])
    func empty(text: String) {
        let document = MarkdownDocument.parse(text, path: "empty.md")
        #expect(document.blocks.isEmpty)
        #expect(document.html.html == "")
    }

    @Test("a fence that is never closed runs to the end of the file")
    func unclosedFence() throws {
        let document = MarkdownDocument.parse("```exercise\nq: 1\n\nrest of file", path: "x.md")
        let block = try #require(document.blocks.first)
        #expect(document.blocks.count == 1)
        #expect(block.kind == .fencedCode(FencedCode(
            info: "exercise", name: "exercise", arguments: "", literal: "q: 1\n\nrest of file\n",
            contentStartLine: 2, isClosed: false)))
        #expect(block.endLine == 4)
        #expect(block.html.html == "<pre><code class=\"language-exercise\">q: 1\n\nrest of file\n</code></pre>\n")
    }

    @Test("a lone opening fence is an empty, unclosed code block")
    func loneFence() {
        let document = MarkdownDocument.parse("~~~", path: "x.md")
        #expect(document.blocks.map(\.kind) == [.fencedCode(FencedCode(
            info: "", name: "", arguments: "", literal: "", contentStartLine: 2, isClosed: false))])
        #expect(document.html.html == "<pre><code></code></pre>\n")
    }

    @Test("a longer closing fence closes; a different fence character does not")
    func closingFences() {
        func isClosed(_ text: String) -> Bool? {
            guard case .fencedCode(let fence) = MarkdownDocument.parse(text, path: "x.md").blocks.first?.kind
            else { return nil }
            return fence.isClosed
        }
        #expect(isClosed("```\nx\n`````\n") == true)
        #expect(isClosed("```\nx\n  ```  \n") == true)
        #expect(isClosed("```\nx\n~~~\n") == false)
        #expect(isClosed("````\nx\n```\n") == false)
        #expect(isClosed("```\r\nx\r\n```\r\n") == true)
    }

    @Test("blocks inside lists and block quotes are not top-level; columns are 1-based")
    func locations() {
        let text = """
            - item

              ```attention
              nested: true
              ```

            > quoted

               indented paragraph
            """
        let document = MarkdownDocument.parse(text, path: "x.md")
        #expect(document.blocks.map(\.location.description) == ["x.md:1:1", "x.md:7:1", "x.md:9:4"])
        #expect(document.blocks.map(\.kind) == [.other("list"), .other("block_quote"), .paragraph])
    }

    @Test("CRLF line endings count lines the same way")
    func crlf() {
        let document = MarkdownDocument.parse("# A\r\n\r\ntext\r\nmore\r\n\r\n```\r\nx\r\n```\r\n", path: "x.md")
        #expect(document.blocks.map(\.location.line) == [1, 3, 6])
        #expect(document.blocks.map(\.endLine) == [1, 4, 8])
    }

    @Test("Unicode headings keep their text")
    func unicodeHeading() {
        let document = MarkdownDocument.parse("## 我想吃酸菜鱼 *(α)*\n", path: "x.md")
        #expect(document.blocks.first?.kind == .heading(level: 2, text: "我想吃酸菜鱼 (α)"))
        #expect(document.blocks.first?.html.html == "<h2>我想吃酸菜鱼 <em>(α)</em></h2>\n")
    }

    @Test("private-use placeholders survive rendering verbatim")
    func placeholders() throws {
        let text = "The weight \u{E000}3\u{E001} is *at least* \u{E000}12\u{E001}.\n\n| \u{E000}0\u{E001} |\n|---|\n"
        let document = MarkdownDocument.parse(text, path: "x.md")
        #expect(document.blocks.map(\.html.html) == [
            "<p>The weight \u{E000}3\u{E001} is <em>at least</em> \u{E000}12\u{E001}.</p>\n",
            "<table>\n<thead>\n<tr>\n<th>\u{E000}0\u{E001}</th>\n</tr>\n</thead>\n</table>\n",
        ])
        #expect(try #require(document.blocks.first?.inlineHTML).html
                == "The weight \u{E000}3\u{E001} is <em>at least</em> \u{E000}12\u{E001}.")
    }

    @Test("quotes and dashes stay as typed (no smart punctuation)")
    func noSmartPunctuation() {
        #expect(MarkdownDocument.renderHTML("\"a\" -- 'b' --- c...").html
                == "<p>&quot;a&quot; -- 'b' --- c...</p>\n")
    }

    @Test("a byte-order mark is skipped")
    func byteOrderMark() {
        let document = MarkdownDocument.parse("\u{FEFF}# Title\n", path: "x.md")
        #expect(document.blocks.map(\.location.description) == ["x.md:1:1"])
        #expect(document.html.html == "<h1>Title</h1>\n")
    }

    @Test("a NUL character becomes U+FFFD")
    func nul() {
        #expect(MarkdownDocument.renderHTML("a\u{0}b").html == "<p>a\u{FFFD}b</p>\n")
    }

    @Test("prose leaves out code spans, code blocks and raw HTML")
    func prose() {
        let text = """
            Use `x = 3` with 4 heads, *not* <b>5</b>.

            | n | value |
            |---|-------|
            | 1 | `2.0` |

            ```
            7
            ```

            - item 8
              with **9**
            """
        let document = MarkdownDocument.parse(text, path: "x.md")
        #expect(document.blocks.map(\.prose) == [
            ["Use ", " with 4 heads, not ", "5", "."],
            ["n", "value", "1"],
            [],
            ["item 8 with 9"],
        ])
    }
}

@Suite("Inline fragments")
struct InlineFragmentTests {
    @Test("one paragraph renders without its <p> wrapper")
    func inline() {
        #expect(MarkdownDocument.renderInline("a *b* `c` & d")?.html == "a <em>b</em> <code>c</code> &amp; d")
        #expect(MarkdownDocument.renderInline("two\nlines")?.html == "two\nlines")
        #expect(MarkdownDocument.renderInline("")?.html == "")
    }

    @Test("anything but one paragraph gives nil", arguments: ["# heading", "- item", "a\n\nb", "```\ncode\n```"])
    func notInline(text: String) {
        #expect(MarkdownDocument.renderInline(text) == nil)
    }
}

@Suite("Decoding files")
struct DecodingTests {
    @Test("valid UTF-8 decodes unchanged")
    func valid() throws {
        let text = "# 我想吃酸菜鱼\r\nα\u{0}\n"
        #expect(try MarkdownDocument.decode(Array(text.utf8), path: "x.md") == text)
    }

    @Test("invalid UTF-8 is a diagnostic at the bad byte")
    func invalid() {
        let bytes = Array("# Title\n\ncafé ".utf8) + [0xE9] + Array(" au lait\n".utf8)
        #expect(throws: Diagnostic("invalid UTF-8 (byte 0xE9 at byte offset 15)",
                                   at: SourceLocation(path: "x.md", line: 3, column: 6),
                                   notes: ["save the file as UTF-8"])) {
            try MarkdownDocument.decode(bytes, path: "x.md")
        }
    }
}

private func describe(_ kind: MarkdownBlock.Kind) -> String {
    switch kind {
    case .heading(let level, let text): "heading \(level) \(text)"
    case .paragraph: "paragraph"
    case .fencedCode(let fence): "fence \(fence.name)"
    case .other(let type): type
    }
}

/// One slot per parallel task; each task writes only its own.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: String) { lock.withLock { values[index] = value } }
    func get(_ index: Int) -> String? { lock.withLock { values[index] } }
}
