import Diagnostics

/// A piece of a lesson that markdown must not touch: TeX or a trace reference.
public struct InlineSpan: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `$…$` (display false) or `$$…$$` (display true).
        case math(tex: String, display: Bool)
        /// `{{ … }}`: the text between the braces, trimmed.
        case reference(String)
    }
    public let kind: Kind
    /// Where the span starts (its `$` or `{{`) in the lesson file.
    public let location: SourceLocation
}

/// Placeholders stand in for spans while cmark-gfm parses the markdown: a Private Use Area
/// character, the span's number, another. cmark passes them through untouched.
enum Placeholder {
    static let open: Character = "\u{E000}"
    static let close: Character = "\u{E001}"
    static func make(_ index: Int) -> String { "\(open)\(index)\(close)" }
}

/// Replaces math and references in markdown text by placeholders, outside code.
///
/// Rules (documented in docs/authoring.md):
/// - `$$` alone on a line opens display math that runs to the next line holding only `$$`;
///   `$$…$$` on one line is display math within the text.
/// - `$…$` is inline math: the opening `$` is followed by a non-space, the closing `$`
///   follows a non-space and is not followed by a digit, and it may not cross a blank line.
///   `\$` is a literal dollar sign.
/// - `{{ … }}` is a trace reference.
/// - Nothing inside code spans or fenced code blocks is touched.
/// Line numbers are preserved: every replaced line keeps its place.
struct InlineScanner {
    let path: String
    /// The lesson line (1-based) where the scanned text starts, and the column of its first character.
    let firstLine: Int
    let firstColumn: Int
    var spans: [InlineSpan] = []

    init(path: String, firstLine: Int = 1, firstColumn: Int = 1) {
        self.path = path
        self.firstLine = firstLine
        self.firstColumn = firstColumn
    }

    func location(_ line: Int, _ column: Int) -> SourceLocation {
        // `line` and `column` count from 0 within the scanned text.
        SourceLocation(path: path, line: firstLine + line, column: line == 0 ? firstColumn + column : column + 1)
    }

    /// Scans a whole markdown document (line aware: fences, display math).
    mutating func scanDocument(_ text: String) throws(Diagnostic) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [String] = []
        var fence: (character: Character, count: Int)?
        var display: (start: Int, tex: [String])?
        var paragraph: [(line: Int, text: String)] = []

        func flushParagraph(_ scanner: inout InlineScanner) throws(Diagnostic) {
            guard !paragraph.isEmpty else { return }
            out += try scanner.scanParagraph(paragraph)
            paragraph = []
        }

        for (number, line) in lines.enumerated() {
            let trimmed = line.drop { $0 == " " }
            let indent = line.count - trimmed.count
            if var open = display {
                if trimmed.trimmingTrailingWhitespace() == "$$" {
                    spans.append(InlineSpan(kind: .math(tex: open.tex.joined(separator: "\n"), display: true), location: location(open.start, 0)))
                    out[open.start] = Placeholder.make(spans.count - 1)
                    display = nil
                } else {
                    open.tex.append(line)
                    display = open
                }
                out.append("")
                continue
            }
            if let open = fence {
                let marker = trimmed.prefix { $0 == open.character }
                if indent < 4, marker.count >= open.count, trimmed.dropFirst(marker.count).allSatisfy(\.isWhitespace) {
                    fence = nil
                }
                out.append(line)
                continue
            }
            if indent < 4, let first = trimmed.first, first == "`" || first == "~" {
                let marker = trimmed.prefix { $0 == first }
                if marker.count >= 3, !(first == "`" && trimmed.dropFirst(marker.count).contains("`")) {
                    try flushParagraph(&self)
                    fence = (first, marker.count)
                    out.append(line)
                    continue
                }
            }
            if indent < 4, trimmed.trimmingTrailingWhitespace() == "$$" {
                try flushParagraph(&self)
                display = (out.count, [])
                out.append("")
                continue
            }
            if trimmed.allSatisfy(\.isWhitespace) {
                try flushParagraph(&self)
                out.append(line)
                continue
            }
            paragraph.append((number, line))
        }
        try flushParagraph(&self)
        if let open = display {
            throw Diagnostic("display math opened with $$ is never closed: add a line holding only $$", at: location(open.start, 0))
        }
        return out.joined(separator: "\n")
    }

    /// Scans consecutive non-blank lines: inline math may wrap across them.
    mutating func scanParagraph(_ lines: [(line: Int, text: String)]) throws(Diagnostic) -> [String] {
        // Work on characters with their (line, column), so spans can cross line ends.
        var chars: [(c: Character, line: Int, column: Int)] = []
        for (index, entry) in lines.enumerated() {
            for (column, c) in entry.text.enumerated() { chars.append((c, entry.line, column)) }
            if index < lines.count - 1 { chars.append(("\n", entry.line, entry.text.count)) }
        }
        var out = ""
        var i = 0
        func text(_ range: Range<Int>) -> String { String(chars[range].map(\.c)) }
        while i < chars.count {
            let c = chars[i].c
            if c == "\\", i + 1 < chars.count, chars[i + 1].c == "$" || chars[i + 1].c == "{" {
                out.append(c); out.append(chars[i + 1].c); i += 2; continue
            }
            if c == "`" {
                // A code span: a run of backticks up to the same run.
                var run = 0
                while i + run < chars.count, chars[i + run].c == "`" { run += 1 }
                var j = i + run, closing: Int?
                while j < chars.count {
                    if chars[j].c == "`" {
                        var k = 0
                        while j + k < chars.count, chars[j + k].c == "`" { k += 1 }
                        if k == run { closing = j; break }
                        j += k
                    } else { j += 1 }
                }
                let end = closing.map { $0 + run } ?? (i + run)
                out += text(i..<end)
                i = end
                continue
            }
            if c == "{", i + 1 < chars.count, chars[i + 1].c == "{" {
                var j = i + 2
                while j + 1 < chars.count, !(chars[j].c == "}" && chars[j + 1].c == "}") { j += 1 }
                guard j + 1 < chars.count else {
                    throw Diagnostic("'{{' opens a trace reference that is never closed with '}}'", at: location(chars[i].line, chars[i].column))
                }
                let inner = text((i + 2)..<j).trimmingWhitespace()
                spans.append(InlineSpan(kind: .reference(inner), location: location(chars[i].line, chars[i].column)))
                out += Placeholder.make(spans.count - 1)
                i = j + 2
                continue
            }
            if c == "$" {
                let isDisplay = i + 1 < chars.count && chars[i + 1].c == "$"
                let delimiter = isDisplay ? 2 : 1
                let start = i + delimiter
                if start < chars.count, !chars[start].c.isWhitespace {
                    var j = start
                    var found: Int?
                    while j < chars.count {
                        if chars[j].c == "\\" { j += 2; continue }
                        if chars[j].c == "$" {
                            if isDisplay {
                                if j + 1 < chars.count, chars[j + 1].c == "$" { found = j; break }
                            } else if !chars[j - 1].c.isWhitespace, !(j + 1 < chars.count && chars[j + 1].c.isNumber) {
                                found = j; break
                            }
                        }
                        j += 1
                    }
                    if let end = found {
                        let tex = text(start..<end)
                        spans.append(InlineSpan(kind: .math(tex: tex, display: isDisplay), location: location(chars[i].line, chars[i].column)))
                        out += Placeholder.make(spans.count - 1)
                        // Keep the line count: a span that wrapped leaves its line breaks behind.
                        out += String(repeating: "\n", count: tex.filter { $0 == "\n" }.count)
                        i = end + delimiter
                        continue
                    } else if isDisplay {
                        throw Diagnostic("'$$' opens display math that is never closed in this paragraph: close it with '$$' (write \\$ for a dollar sign)", at: location(chars[i].line, chars[i].column))
                    }
                }
            }
            out.append(c)
            i += 1
        }
        return out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
    func trimmingTrailingWhitespace() -> String {
        String(String(self.reversed().drop { $0.isWhitespace }).reversed())
    }
}
