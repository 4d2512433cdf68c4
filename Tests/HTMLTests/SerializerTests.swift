import Markdown
import Testing
@testable import HTML

@Suite("HTML serializer")
struct SerializerTests {
    @Test("text escapes & < > and leaves quotes alone")
    func textEscaping() {
        let node = Node.element("span", [.text(#"<script>alert(1)</script> & "q" 'k'"#)])
        #expect(node.render() == #"<span>&lt;script&gt;alert(1)&lt;/script&gt; &amp; "q" 'k'</span>"#)
    }

    @Test("attribute values escape & < > \" '")
    func attributeEscaping() {
        let node = Node.element("a", ["title": #"<script>alert(1)</script> & "q" 'k'"#])
        #expect(node.render() == "<a title=\"&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;k&#39;\"></a>")
    }

    @Test("an attribute cannot be closed early by its value")
    func attributeBreakout() {
        let value = "x\" onmouseover=\"alert(1)"
        let node = Node.element("td", ["data-token": .string(value)])
        #expect(node.render() == "<td data-token=\"x&quot; onmouseover=&quot;alert(1)\"></td>\n")
    }

    @Test("string literals and interpolations are text, so they are escaped")
    func literalsAreText() {
        let label = "a<b"
        let node = Node.element("p", ["1 < 2", "\(label)"])
        #expect(node.render() == "<p>1 &lt; 2a&lt;b</p>\n")
    }

    @Test("nested elements keep attribute order as written")
    func nesting() {
        let node = Node.element("table", ["class": "trace", "id": "alpha", "data-step": "3"], [
            .element("tr", [.element("th", ["scope": "col"], ["q"]), .element("td", ["0.25"])]),
        ])
        #expect(node.render() == """
            <table class="trace" id="alpha" data-step="3"><tr><th scope="col">q</th>
            <td>0.25</td>
            </tr>
            </table>

            """)
    }

    @Test("inline elements get no newlines")
    func inline() {
        let node = Node.element("span", [.element("em", ["a"]), " ", .element("code", ["b"])])
        #expect(node.render() == "<span><em>a</em> <code>b</code></span>")
    }

    @Test("void elements have no end tag", arguments: ["br", "meta", "link", "img", "col", "hr", "input", "wbr", "source"])
    func voidElements(name: String) {
        let rendered = Node.element(name, ["class": "x"]).render()
        #expect(rendered.hasPrefix("<\(name) class=\"x\">"))
        #expect(!rendered.contains("</"))
    }

    @Test("boolean attributes are written as bare names, false ones not at all")
    func booleanAttributes() {
        let isHidden = false
        let node = Node.element("details", ["open": true, "hidden": .boolean(isHidden), "class": "step"], [
            .element("summary", ["Step 1"]),
        ])
        #expect(node.render() == "<details open class=\"step\"><summary>Step 1</summary>\n</details>\n")
    }

    @Test("attributes can be added one by one")
    func addingAttributes() {
        var attributes = Attributes()
        attributes.add("class", "cell")
        attributes.add("aria-selected", true)
        #expect(Node.element("td", attributes, ["1"]).render() == "<td class=\"cell\" aria-selected>1</td>\n")
    }

    @Test("cmark's HTML is written verbatim, text next to it is still escaped")
    func renderedMarkdown() {
        let node = Node.element("div", ["class": "lesson"], [
            .markdown(MarkdownDocument.renderHTML("From *cmark* & co.")),
            .text("<em>"),
        ])
        #expect(node.render() == "<div class=\"lesson\"><p>From <em>cmark</em> &amp; co.</p>\n&lt;em&gt;</div>\n")
    }

    @Test("non-ASCII text passes through as UTF-8")
    func unicode() {
        let node = Node.element("p", ["title": "ω α"], ["我想吃酸菜鱼 → ω_{ij}, α 😀"])
        #expect(node.render() == "<p title=\"ω α\">我想吃酸菜鱼 → ω_{ij}, α 😀</p>\n")
    }

    @Test("fragments add no wrapper")
    func fragment() {
        let node = Node.fragment([.element("b", ["x"]), "&", .element("i", ["y"])])
        #expect(node.render() == "<b>x</b>&amp;<i>y</i>")
    }

    @Test("script and style text cannot end its element early")
    func rawText() {
        let json = #"{"token": "</script><script>alert(1)</script>", "a": "x & y"}"#
        let node = Node.element("script", ["type": "application/json"], [.text(json)])
        #expect(node.render() == #"""
            <script type="application/json">{"token": "<\/script><script>alert(1)<\/script>", "a": "x & y"}</script>

            """#)
        #expect(Node.element("style", ["p > a { color: red } <!--"]).render() == "<style>p > a { color: red } <\\!--</style>\n")
    }

    @Test("the same tree always renders to the same string")
    func determinism() {
        func page() -> Node {
            .element("section", ["id": "s", "class": "c", "data-a": "1", "data-b": "2", "data-c": "3"],
                     (0..<50).map { .element("span", ["data-i": "\($0)"], ["\($0)"]) })
        }
        let first = page().render()
        for _ in 0..<20 { #expect(page().render() == first) }
        #expect(page() == page())
    }

    @Test("a document starts with the doctype and declares UTF-8")
    func document() {
        let document = Document(lang: "en", head: [.element("title", ["Attention & α"])], body: [.element("h1", ["Hi"])])
        #expect(document.render() == """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>Attention &amp; α</title>
            </head>
            <body><h1>Hi</h1>
            </body>
            </html>

            """)
    }

    @Test("names from code are checked")
    func names() {
        #expect(isValidElementName("h1"))
        #expect(isValidElementName("msubsup"))
        #expect(isValidElementName("my-widget"))
        #expect(!isValidElementName(""))
        #expect(!isValidElementName("1h"))
        #expect(!isValidElementName("p onclick"))
        #expect(!isValidElementName("a>"))
        #expect(isValidAttributeName("data-step"))
        #expect(isValidAttributeName("xml:lang"))
        #expect(!isValidAttributeName("x=\"y\""))
        #expect(!isValidAttributeName("on click"))
        #expect(!isValidAttributeName(""))
    }
}
