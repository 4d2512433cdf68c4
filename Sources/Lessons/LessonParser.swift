import Foundation
import AttentionEngine
import Diagnostics
import Markdown
import SpecLoader
import Yams

/// Reads one lesson file. Every problem is a `Diagnostic` pointing at the lesson's own
/// line and column (inside a block, the line of the lesson, not of the block).
public enum LessonParser {
    static let blockOptions = SpecLoader.displayOptions

    public static func parse(_ text: String, path: String, fileName: String, options: MarkdownOptions = .safe) throws(Diagnostic) -> Lesson {
        try parse(header(text, path: path, fileName: fileName), options: options)
    }

    /// The file name's number and slug and the front matter, without the body: enough to
    /// put the course in order and link each page to its neighbours.
    public static func header(_ text: String, path: String, fileName: String) throws(Diagnostic) -> LessonHeader {
        let (number, slug) = try LessonsFolder.nameParts(fileName, path: path)
        let (front, bodyStartLine, body) = try FrontMatter.split(normalizingLineEndings(text), path: path)
        return LessonHeader(path: path, number: number, slug: slug, frontMatter: front, bodyStartLine: bodyStartLine, body: body)
    }

    /// The rest of the lesson: its body's blocks, traces, exercises and references.
    public static func parse(_ header: LessonHeader, options: MarkdownOptions = .safe) throws(Diagnostic) -> Lesson {
        let (path, bodyStartLine, body) = (header.path, header.bodyStartLine, header.body)
        var scanner = InlineScanner(path: path, firstLine: bodyStartLine)
        // Padded so that cmark's line numbers are the file's.
        let document = try scanAndParse(body, with: &scanner, padding: bodyStartLine - 1, path: path, options: options).document

        var blocks: [LessonBlock] = []
        var attention: [AttentionBlock] = []
        var pendingExercises: [(fence: FencedCode, location: SourceLocation, after: Int)] = []
        var blockAtLine: [(line: Int, block: Int)] = []
        for block in document.blocks {
            if case .fencedCode(let fence) = block.kind {
                if ["attention", "exercise"].contains(fence.name), !fence.isClosed {
                    throw Diagnostic("this \(fence.name) block is never closed: end it with a line holding only the fence that opened it (```)", at: block.location)
                }
                switch fence.name {
                case "attention":
                    let parsed: AttentionBlock
                    do {
                        parsed = try parseAttention(fence, path: path, ordinal: attention.count + 1, location: block.location)
                    } catch {
                        throw unclosed(fence, at: block.location, failing: error) ?? error
                    }
                    if let name = parsed.name, attention.contains(where: { $0.name == name }) {
                        throw Diagnostic("two attention blocks are named '\(name)': give each a different name", at: block.location)
                    }
                    blockAtLine.append((block.location.line, attention.count))
                    blocks.append(.attention(attention.count))
                    attention.append(parsed)
                    continue
                case "exercise":
                    blocks.append(.exercise(pendingExercises.count))
                    pendingExercises.append((fence, block.location, attention.count - 1))
                    continue
                default:
                    break
                }
            }
            // cmark reports only top-level blocks: a block fenced inside a list or quote would show as code.
            if case .other = block.kind,
               let name = ["attention", "exercise"].first(where: { block.html.html.containsUTF8("<code class=\"language-\($0)\">") }) {
                throw Diagnostic("this \(name) block is inside a list or block quote, where it would show as plain code: "
                    + "start its fence at the beginning of a line, after a blank line", at: block.location)
            }
            blocks.append(.markdown(block))
        }

        try checkPlaceholders(in: document.blocks.map(\.html), spans: scanner.spans, from: 0)

        // Exercises and references resolve against named or nearest preceding blocks.
        func target(_ name: String?, before line: Int, at location: SourceLocation) throws(Diagnostic) -> Int {
            if let name {
                guard let index = attention.firstIndex(where: { $0.name == name }) else {
                    let names = attention.compactMap(\.name)
                    throw Diagnostic("no attention block is named '\(name)'"
                        + (names.isEmpty ? ": name a block with name: \(name)" : ": the named blocks are \(names.joined(separator: ", "))"),
                        at: location)
                }
                return index
            }
            guard let nearest = blockAtLine.last(where: { $0.line < line }) else {
                throw Diagnostic("this refers to a trace, but no attention block comes before it: move it below a block, or name the block (block:name)", at: location)
            }
            return nearest.block
        }

        var exercises: [Exercise] = []
        for (index, pending) in pendingExercises.enumerated() {
            do {
                exercises.append(try parseExercise(pending.fence, path: path, number: index + 1, location: pending.location,
                                                   spans: &scanner.spans, blocks: attention, options: options, target: target))
            } catch {
                throw unclosed(pending.fence, at: pending.location, failing: error) ?? error
            }
        }

        var references: [Int: ResolvedReference] = [:]
        for (index, span) in scanner.spans.enumerated() {
            guard case .reference(let text) = span.kind else { continue }
            let reference = try TraceReference.parse(text, at: span.location)
            let block = try target(reference.block, before: span.location.line, at: span.location)
            let resolution = try reference.resolve(in: attention[block], at: span.location)
            references[index] = ResolvedReference(reference: reference, value: resolution.value, cell: resolution.cell, block: block)
        }

        return Lesson(header: header, blocks: blocks,
                      attentionBlocks: attention, exercises: exercises, spans: scanner.spans, references: references)
    }

    /// Markdown `text` with its math and references made placeholders by `scanner`, and
    /// parsed by cmark, after `padding` blank lines. The scanner needs cmark's code blocks
    /// of the text as written; when it replaces nothing, that parse is the result, so a
    /// text is parsed twice only if it holds math or references.
    static func scanAndParse(_ text: String, with scanner: inout InlineScanner, padding: Int, path: String,
                             options: MarkdownOptions) throws(Diagnostic) -> (text: String, document: MarkdownDocument) {
        let blankLines = String(repeating: "\n", count: padding)
        var asWritten: MarkdownDocument?
        let scanned = try scanner.scanDocument(text) {
            let document = MarkdownDocument.parse(blankLines + text, path: path, options: options)
            asWritten = document
            return InlineScanner.topLevelCodeLines(of: document, firstLine: padding + 1)
        }
        if let asWritten, scanned == text { return (scanned, asWritten) }
        return (scanned, MarkdownDocument.parse(blankLines + scanned, path: path, options: options))
    }

    /// Math and references must land in text. cmark drops or mangles them inside link
    /// addresses and titles, image descriptions, link reference definitions and raw HTML,
    /// and a placeholder inside a tag would become markup inside an attribute.
    static func checkPlaceholders(in html: [RenderedHTML], spans: [InlineSpan], from first: Int) throws(Diagnostic) {
        guard first < spans.count else { return }   // no math or references to look for
        var inText: Set<Int> = [], inTag: Set<Int> = []
        for page in html {
            let found = Placeholder.occurrences(in: page)
            inText.formUnion(found.inText)
            inTag.formUnion(found.inTags)
        }
        for index in first..<spans.count where inTag.contains(index) || !inText.contains(index) {
            let what: String
            switch spans[index].kind {
            case .math: what = "this math"
            case .reference(let text): what = "the trace reference {{ \(text) }}"
            }
            throw Diagnostic("\(what) cannot be shown here: it is inside a link address or title, an image description or raw HTML; move it into the text", at: spans[index].location)
        }
    }

}
