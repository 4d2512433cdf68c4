import Diagnostics
import Foundation
import HTML
import Lessons
import Markdown
import MathML

/// A guide: a plain markdown page beside the lessons (`lessons/guides/*.md`), such as
/// "How to practise". It starts with a `# Title` line; the rest is markdown. Guides have
/// no front matter, traced blocks or exercises, and are listed on the index page.
struct Guide {
    let slug: String
    let title: String
    /// cmark's HTML of the body, math still as placeholders, and each math span's MathML.
    let body: RenderedHTML
    let math: [Node]

    /// Every guide in `directory/guides`, sorted by file name.
    static func load(from directory: String, options: MarkdownOptions) throws(BuildFailure) -> [Guide] {
        let lessons = LessonsFolder(directory)
        let folder = lessons.guidesPath
        let names = lessons.guideFileNames()
        var guides: [Guide] = []
        var errors: [Diagnostic] = []
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            do throws(Diagnostic) {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw Diagnostic("cannot read this file", at: SourceLocation(path: path, line: 1, column: 1))
                }
                let text = try MarkdownDocument.decode(data, path: path)
                guard let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first,
                      first.hasPrefix("# "), !first.dropFirst(2).allSatisfy(\.isWhitespace) else {
                    throw Diagnostic("a guide starts with its title on the first line, e.g. # How to practise", at: SourceLocation(path: path, line: 1, column: 1))
                }
                let slug = String(name.dropLast(3))
                guard slug.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }), slug != "index" else {
                    throw Diagnostic("guide file names are lowercase ASCII letters, digits and dashes (not 'index'), e.g. practise.md", at: SourceLocation(path: path, line: 1, column: 1))
                }
                let body = String(text.dropFirst(first.count))
                // The body starts at the end of line 1, so its first line is line 1 of the file.
                let (scanned, spans) = try GuideMath.scan(body, path: path, firstLine: 1)
                var math: [Node] = []
                for span in spans {
                    guard case .math(let tex, let display) = span.kind else { continue }
                    math.append(try mathML(fromTeX: tex, display: display, at: span.location))
                }
                guides.append(Guide(slug: slug, title: String(first.dropFirst(2)).trimmingCharacters(in: .whitespaces),
                                    body: MarkdownDocument.renderHTML(scanned, options: options), math: math))
            } catch {
                errors.append(error)
            }
        }
        if !errors.isEmpty { throw BuildFailure(diagnostics: errors) }
        return guides
    }

    /// The body with each placeholder replaced by its math.
    var content: Node {
        .fragment(Placeholder.split(body).map { piece in
            switch piece {
            case .text(let html): return .markdown(html)
            case .placeholder(let index): return math.indices.contains(index) ? math[index] : .text("")
            }
        })
    }

    var fileName: String { "\(slug).html" }

    func document() -> Document {
        let main = Node.element("main", ["id": "main", "class": "guide"], [
            .element("article", [
                .element("h1", [.text(title)]),
                .element("div", ["class": "lesson-body"], [content]),
            ]),
            .element("nav", ["class": "pager", "aria-label": "Lessons"], [.element("a", ["class": "up", "href": "index.html"], ["All lessons"])]),
        ])
        return Layout.document(title: "\(title) · attn", description: title, body: [main])
    }
}
