import Diagnostics
import HTML
import Lessons
import MathML
import Markdown
import TraceFormat

/// Turns the placeholders left in cmark's output back into MathML and traced numbers.
struct InlineRenderer {
    let lesson: Lesson
    /// Page ids of attention blocks, for links from a number to its table.
    let blockIDs: [String]

    /// cmark's HTML with each placeholder replaced by its rendering.
    func substitute(_ html: RenderedHTML) throws(Diagnostic) -> Node {
        var nodes: [Node] = []
        for piece in Placeholder.split(html) {
            switch piece {
            case .text(let markup): nodes.append(.markdown(markup))
            case .placeholder(let index): nodes.append(try span(index))
            }
        }
        return nodes.count == 1 ? nodes[0] : .fragment(nodes)
    }

    /// Plain text with placeholders replaced (headings' ids and the table of contents).
    func plainText(_ text: String) -> String {
        let out = lesson.plainText(text, math: { tex in
            // `\omega_{ij}` → "omega ij": letters survive into the heading's id.
            tex.map { "\\{}^_".contains($0) ? " " : String($0) }.joined()
        }, reference: { resolved, _ in resolved.map(formatted) ?? "" })
        return out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    func span(_ index: Int) throws(Diagnostic) -> Node {
        let span = lesson.spans[index]
        switch span.kind {
        case .math(let tex, let display):
            return try mathML(fromTeX: tex, display: display, at: span.location)
        case .reference:
            guard let resolved = lesson.references[index] else { return .text("") }
            let block = blockIDs[resolved.block]
            return .element("a", ["class": "ref", "href": .string("#\(block)"),
                                  "title": .string("\(readable(resolved.reference, heads: lesson.attentionBlocks[resolved.block].spec.heads)), "
                                      + "computed in \(exampleName(lesson.attentionBlocks[resolved.block]))")],
                            [.text(formatted(resolved))])
        }
    }

    func formatted(_ resolved: ResolvedReference) -> String {
        let decimals = referenceDecimals(resolved, blockDecimals: lesson.attentionBlocks[resolved.block].decimals)
        switch resolved.value {
        case .integer(let k): return String(k)
        case .number(let x): return NumberFormat.fixed(x, decimals: decimals)
        case .vector(let v): return "[" + v.map { NumberFormat.fixed($0, decimals: decimals) }.joined(separator: ", ") + "]"
        }
    }

    /// A markdown fragment (an exercise's question or hint, as parsed when the lesson was
    /// read) rendered with its placeholders.
    /// With `inline`, a one-paragraph document is rendered without its `<p>` (for a label).
    func fragment(_ document: MarkdownDocument, inline: Bool = false) throws(Diagnostic) -> Node {
        if inline, document.blocks.count == 1, let html = document.blocks[0].inlineHTML {
            return try substitute(html)
        }
        var nodes: [Node] = []
        for block in document.blocks { nodes.append(try substitute(block.html)) }
        return .fragment(nodes)
    }
}
