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
    let body: String

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
                let (scanned, math) = try GuideMath.scan(body, path: path, firstLine: 1)
                let html = try withMath(MarkdownDocument.renderHTML(scanned, options: options).html, math)
                guides.append(Guide(slug: slug, title: String(first.dropFirst(2)).trimmingCharacters(in: .whitespaces),
                                    body: html))
            } catch {
                errors.append(error)
            }
        }
        if !errors.isEmpty { throw BuildFailure(diagnostics: errors) }
        return guides
    }

    /// cmark's HTML with each math placeholder replaced by its MathML.
    static func withMath(_ html: String, _ math: [InlineSpan]) throws(Diagnostic) -> String {
        guard !math.isEmpty else { return html }
        var out = ""
        var rest = Substring(html)
        while let open = rest.firstIndex(of: GuideMath.placeholderOpen),
              let close = rest[open...].firstIndex(of: GuideMath.placeholderClose),
              let index = Int(rest[rest.index(after: open)..<close]), index < math.count {
            out += rest[..<open]
            if case .math(let tex, let display) = math[index].kind {
                out += try mathML(fromTeX: tex, display: display, at: math[index].location).render()
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    var fileName: String { "\(slug).html" }

    func document() -> Document {
        let main = Node.element("main", ["id": "main", "class": "guide"], [
            .element("article", [
                .element("h1", [.text(title)]),
                .element("div", ["class": "lesson-body"], [.trustedHTML(body)]),
            ]),
            .element("nav", ["class": "pager", "aria-label": "Lessons"], [.element("a", ["class": "up", "href": "index.html"], ["All lessons"])]),
        ])
        return Layout.document(title: "\(title) · attn", description: title, body: [main])
    }
}
