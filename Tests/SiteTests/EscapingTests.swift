import Foundation
import Testing
@testable import Site

/// Text from a lesson reaches a page only through the escaping serializer or cmark's
/// renderer, so hostile labels and titles show as text, never as markup.
@Suite("escaping by construction")
struct EscapingTests {
    static let lesson = #"""
        ---
        title: "<script>alert(1)</script> & \"quotes\" 'single' 我想吃酸菜鱼"
        summary: "Summary with <b>tags</b>, &amp; and 我想吃酸菜鱼"
        objectives:
          - "<img src=x onerror=alert(1)> objective & 酸菜鱼"
        ---

        ```attention
        name: evil
        title: "<script>alert(1)</script> block"
        tokens: ['<script>alert(1)</script>', '&amp;', '"', "'", 我想吃酸菜鱼]
        focus: '<script>alert(1)</script>'
        d_model: 4
        heads: 2
        X: {seed: 1, decimals: 1}
        W_Q: {seed: 2, decimals: 1}
        W_K: {seed: 3, decimals: 1}
        W_V: {seed: 4, decimals: 1}
        W_O: {seed: 5, decimals: 1}
        mask: causal
        ```

        ## Where <script>alert(1)</script> looks

        The weight is {{ alpha@1[我想吃酸菜鱼, "<script>alert(1)</script>"] }} and {{ alpha[&amp;, '] }}.
        Raw HTML <script>alert(2)</script> and <b onclick="x()">bold</b> and <iframe src="x"></iframe>.

        <div onmouseover="alert(3)">a raw block</div>

        ```exercise
        question: "What does <script>alert(4)</script> give 我想吃酸菜鱼?"
        hint: "Use & and <b>."
        answer: 'alpha@1[我想吃酸菜鱼, #2]'
        ```
        """#

    @Test("hostile tokens, titles and prose never become markup")
    func hostile() throws {
        let pages = try render(["01-evil.md": Self.lesson])
        let html = try #require(pages["evil.html"])
        let index = try #require(pages["index.html"])
        for page in [html, index] {
            #expect(!page.contains("<script"))
            #expect(!page.contains("<img"))
            #expect(!page.contains("<iframe"))
            #expect(!page.contains("onclick"))
            #expect(!page.contains("<div onmouseover"))
            #expect(malformedTags(page) == [])
            #expect(page.contains("我想吃酸菜鱼"))
        }
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&amp;amp;"))
        // In attributes, quotes are escaped; in text they may stay.
        #expect(html.contains(#"<meta name="description" content="Summary with &lt;b&gt;tags&lt;/b&gt;, &amp;amp; and 我想吃酸菜鱼">"#))
        #expect(html.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\" 'single' 我想吃酸菜鱼 · attn</title>"))
        #expect(html.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\" 'single' 我想吃酸菜鱼</h1>"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt; objective &amp; 酸菜鱼"))
        #expect(index.contains("&lt;img src=x onerror=alert(1)&gt; objective &amp; 酸菜鱼"))
        // Raw HTML in prose is dropped in safe mode.
        #expect(html.contains("<!-- raw HTML omitted -->"))
        #expect(html.contains("Raw HTML <!-- raw HTML omitted -->alert(2)<!-- raw HTML omitted --> and"))
        #expect(!html.contains("alert(3)"))
    }

    @Test("with --allow-raw-html the tag filter still disarms <script> and <iframe>")
    func rawHTMLAllowed() throws {
        let pages = try render(["01-evil.md": Self.lesson], allowRawHTML: true)
        let html = try #require(pages["evil.html"])
        #expect(!html.contains("<script"))
        #expect(!html.contains("<iframe"))
        #expect(html.contains("<b onclick=\"x()\">bold</b>"))
    }

    @Test("the build's markdown options reach exercise text: raw HTML there follows --allow-raw-html too")
    func exerciseTextFollowsOptions() throws {
        let lesson = """
            ---
            title: Raw
            summary: Raw HTML in an exercise.
            objectives:
              - Read it
            ---

            ```attention
            tokens: [a, b]
            X: [[1, 0], [0, 1]]
            ```

            ```exercise
            question: "What is <kbd>this</kbd> weight, α[a, b]?"
            hint: "Press <kbd>exp</kbd>."
            answer: alpha[a, b]
            ```

            """
        let safe = try #require(try render(["01-raw.md": lesson])["raw.html"])
        #expect(!safe.contains("<kbd>") && safe.contains("<!-- raw HTML omitted -->this"))
        let allowed = try #require(try render(["01-raw.md": lesson], allowRawHTML: true)["raw.html"])
        #expect(allowed.contains("<kbd>this</kbd>") && allowed.contains("<kbd>exp</kbd>"))
    }
}
