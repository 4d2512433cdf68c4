import Diagnostics
import Markdown

/// A piece of a lesson that markdown must not touch: TeX or a trace reference.
public struct InlineSpan: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `$…$` (display false) or `$$…$$` (display true).
        case math(tex: String, display: Bool)
        /// `{{ … }}`: the text between the braces, trimmed.
        case reference(String)
    }
    public let kind: Kind
    /// Where the span is in the lesson file: for a reference its `{{`; for math the first
    /// character of the TeX (after `$` or `$$`, or the line after a lone `$$`), so that
    /// TeX errors, counted from here, point at the offending character.
    public let location: SourceLocation
}

/// Replaces math and references in markdown text by placeholders, outside code.
///
/// Rules (documented in docs/authoring.md):
/// - `$$` alone on a line opens display math that runs to the next line holding only `$$`;
///   `$$…$$` on one line is display math within the text.
/// - `$…$` is inline math: the opening `$` is followed by a non-space, and the next `$`
///   closes it if it follows a non-space and is not followed by a digit; otherwise the
///   opening `$` is a plain dollar sign (so "$5 and $6" stays text). Inline math may not
///   cross a blank line. `\$` is a literal dollar sign, as is any `\` + punctuation escape.
/// - `{{ … }}` is a trace reference; `\{{` is literal braces.
/// - Nothing inside code spans, fenced code blocks or indented code blocks is touched.
///   Top-level code blocks are found by cmark itself; fences inside block quotes and list
///   items are recognised after their `>` and list markers, at any indentation.
/// Line numbers are preserved: every replaced line keeps its place. Columns count Unicode
/// scalars, as `SourceLocation` does.
struct InlineScanner {
    let path: String
    /// The lesson line (1-based) where the scanned text starts, and the column of its first character.
    let firstLine: Int
    let firstColumn: Int
    /// For text that is not a copy of the file (a YAML value, unquoted and unfolded): the
    /// file location of each of its characters, by line and column of the text.
    let sourceMap: [[SourceLocation]]?
    var spans: [InlineSpan] = []

    init(path: String, firstLine: Int = 1, firstColumn: Int = 1, sourceMap: [[SourceLocation]]? = nil) {
        self.path = path
        self.firstLine = firstLine
        self.firstColumn = firstColumn
        self.sourceMap = sourceMap
    }

    func location(_ line: Int, _ column: Int) -> SourceLocation {
        // `line` and `column` count from 0 within the scanned text.
        if let sourceMap, line < sourceMap.count, column < sourceMap[line].count { return sourceMap[line][column] }
        return SourceLocation(path: path, line: firstLine + line, column: line == 0 ? firstColumn + column : column + 1)
    }

    /// Scans a whole markdown document (line aware: code blocks, fences, display math).
    mutating func scanDocument(_ text: String) throws(Diagnostic) -> String {
        try scanDocument(text) { Self.topLevelCodeLines(of: MarkdownDocument.parse(text, path: ""), firstLine: 1) }
    }

    /// `scanDocument(_:)` with the text's top-level code lines from the caller, who parses
    /// the text with cmark (`topLevelCodeLines(of:firstLine:)`) and may keep that parse.
    /// `codeLines` is called only when the text holds something to scan.
    mutating func scanDocument(_ text: String, codeLines: () -> Set<Int>) throws(Diagnostic) -> String {
        // Without `$`, `{` or the placeholders' lead byte 0xEE there is nothing to replace,
        // nothing reserved, and every line would be copied unchanged.
        if !text.containsUTF8(anyOf: UInt8(ascii: "$"), UInt8(ascii: "{")) && !Placeholder.mayOccur(in: text) { return text }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try checkReserved(lines)
        let code = codeLines()
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
                    spans.append(InlineSpan(kind: .math(tex: open.tex.joined(separator: "\n"), display: true),
                                            location: location(open.start + 1, 0)))
                    out[open.start] = Placeholder.text(for: spans.count - 1)
                    display = nil
                } else {
                    open.tex.append(line)
                    display = open
                }
                out.append("")
                continue
            }
            if code.contains(number) {
                try flushParagraph(&self)
                out.append(line)
                continue
            }
            // Fences inside block quotes and list items (cmark only reports top-level blocks).
            let content = Self.dropContainerMarkers(line).drop { $0 == " " || $0 == "\t" }
            if let open = fence {
                let marker = content.prefix { $0 == open.character }
                if marker.count >= open.count, content.dropFirst(marker.count).allSatisfy(\.isWhitespace) {
                    fence = nil
                }
                out.append(line)
                continue
            }
            if let first = content.first, first == "`" || first == "~" {
                let marker = content.prefix { $0 == first }
                if marker.count >= 3, !(first == "`" && content.dropFirst(marker.count).contains("`")) {
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

    /// The 0-based lines of a text that belong to top-level code blocks (fenced or
    /// indented), as cmark-gfm sees them in `document`, its parse, whose line `firstLine`
    /// is the text's first (blank lines may pad it). Scanning leaves them alone.
    static func topLevelCodeLines(of document: MarkdownDocument, firstLine: Int) -> Set<Int> {
        var lines: Set<Int> = []
        for block in document.blocks {
            switch block.kind {
            case .fencedCode, .other("code_block"):
                lines.formUnion((block.location.line - firstLine)..<(max(block.location.line, block.endLine) - firstLine + 1))
            default:
                break
            }
        }
        return lines
    }

    /// A line without the block-quote markers (`>`) and list markers (`-`, `+`, `*`,
    /// `1.`, `1)`) that open it.
    static func dropContainerMarkers(_ line: String) -> Substring {
        var rest = Substring(line)
        while true {
            let content = rest.drop { $0 == " " || $0 == "\t" }
            if content.first == ">" {
                rest = content.dropFirst()
                continue
            }
            let digits = content.prefix { $0.isASCII && $0.isNumber }
            let marker: Int
            if let first = content.first, "-+*".contains(first) {
                marker = 1
            } else if (1...9).contains(digits.count), let after = content.dropFirst(digits.count).first, after == "." || after == ")" {
                marker = digits.count + 1
            } else {
                return rest
            }
            guard let after = content.dropFirst(marker).first, after == " " || after == "\t" else { return rest }
            rest = content.dropFirst(marker)
        }
    }

    /// The two placeholder characters may not appear in a lesson: they would be read back
    /// as spans that do not exist.
    func checkReserved(_ lines: [String]) throws(Diagnostic) {
        for (number, line) in lines.enumerated() {
            if let column = line.unicodeScalars.firstIndex(where: Placeholder.isReserved) {
                let offset = line.unicodeScalars.distance(from: line.unicodeScalars.startIndex, to: column)
                let code = String(line.unicodeScalars[column].value, radix: 16, uppercase: true)
                throw Diagnostic("the private-use character U+\(code) is reserved by attn for its own use: delete it", at: location(number, offset))
            }
        }
    }

    /// What a backslash escapes in CommonMark.
    static let asciiPunctuation = Set(##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##.unicodeScalars)

    /// Scans consecutive non-blank lines: inline math may wrap across them.
    mutating func scanParagraph(_ lines: [(line: Int, text: String)]) throws(Diagnostic) -> [String] {
        // Nothing to find without `$`, `{` or a placeholder's lead byte 0xEE: code spans and
        // backslash escapes only matter to protect those, and are copied unchanged.
        if !lines.contains(where: { $0.text.containsUTF8(anyOf: UInt8(ascii: "$"), UInt8(ascii: "{")) || Placeholder.mayOccur(in: $0.text) }) {
            return lines.map(\.text)
        }
        // Work on Unicode scalars with their (line, column), so spans can cross line ends.
        var chars: [(c: Unicode.Scalar, line: Int, column: Int)] = []
        for (index, entry) in lines.enumerated() {
            for (column, c) in entry.text.unicodeScalars.enumerated() { chars.append((c, entry.line, column)) }
            if index < lines.count - 1 { chars.append(("\n", entry.line, entry.text.unicodeScalars.count)) }
        }
        func at(_ i: Int) -> Unicode.Scalar? { i >= 0 && i < chars.count ? chars[i].c : nil }
        func isSpace(_ i: Int) -> Bool { at(i)?.properties.isWhitespace ?? true }
        func isDigit(_ i: Int) -> Bool { at(i).map { ("0"..."9").contains($0) } ?? false }
        func text(_ range: Range<Int>) -> String {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: chars[range].map(\.c))
            return String(s)
        }
        /// Line breaks inside a replaced span stay behind, so cmark's line numbers stay the file's.
        func lineBreaks(_ range: Range<Int>) -> String {
            String(repeating: "\n", count: chars[range].filter { $0.c == "\n" }.count)
        }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < chars.count {
            let c = chars[i].c
            if c == "\\", let next = at(i + 1), Self.asciiPunctuation.contains(next) {
                // A backslash escape (`\$`, `\{`, `` \` ``, `\\`, …): both characters go to cmark as they are.
                out.append(c); out.append(next); i += 2; continue
            }
            if c == "`" {
                // A code span: a run of backticks up to the same run.
                var run = 0
                while at(i + run) == "`" { run += 1 }
                var j = i + run, closing: Int?
                while j < chars.count {
                    if chars[j].c == "`" {
                        var k = 0
                        while at(j + k) == "`" { k += 1 }
                        if k == run { closing = j; break }
                        j += k
                    } else { j += 1 }
                }
                let end = closing.map { $0 + run } ?? (i + run)
                out.append(contentsOf: text(i..<end).unicodeScalars)
                i = end
                continue
            }
            if c == "{", at(i + 1) == "{" {
                var j = i + 2
                while j + 1 < chars.count, !(chars[j].c == "}" && chars[j + 1].c == "}") { j += 1 }
                guard j + 1 < chars.count else {
                    throw Diagnostic("'{{' opens a trace reference that is never closed with '}}': close it, or write \\{{ for two braces", at: location(chars[i].line, chars[i].column))
                }
                let inner = text((i + 2)..<j).trimmingWhitespace()
                spans.append(InlineSpan(kind: .reference(inner), location: location(chars[i].line, chars[i].column)))
                out.append(contentsOf: Placeholder.text(for: spans.count - 1).unicodeScalars)
                out.append(contentsOf: lineBreaks(i..<j).unicodeScalars)
                i = j + 2
                continue
            }
            if c == "$", !(at(i + 1) == "$" ? isSpace(i + 2) : isSpace(i + 1)) {
                let isDisplay = at(i + 1) == "$"
                let delimiter = isDisplay ? 2 : 1
                let start = i + delimiter
                // The next unescaped `$` decides: it closes the span, or the opening `$` is a dollar sign.
                var j = start
                while j < chars.count, chars[j].c != "$" { j += chars[j].c == "\\" ? 2 : 1 }
                let closes = j < chars.count && (isDisplay ? at(j + 1) == "$" : !isSpace(j - 1) && !isDigit(j + 1))
                if closes {
                    let tex = text(start..<j)
                    spans.append(InlineSpan(kind: .math(tex: tex, display: isDisplay), location: location(chars[start].line, chars[start].column)))
                    out.append(contentsOf: Placeholder.text(for: spans.count - 1).unicodeScalars)
                    out.append(contentsOf: lineBreaks(start..<j).unicodeScalars)
                    i = j + delimiter
                    continue
                } else if isDisplay {
                    throw Diagnostic("'$$' opens display math that is never closed in this paragraph: close it with '$$' (write \\$ for a dollar sign)", at: location(chars[i].line, chars[i].column))
                }
            }
            out.append(c)
            i += 1
        }
        return String(out).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

extension StringProtocol {
    /// The text without leading and trailing white space (a slice, copied once).
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
    /// The text without trailing white space.
    func trimmingTrailingWhitespace() -> String {
        guard let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[...last])
    }
}
