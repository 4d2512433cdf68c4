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
                throw Diagnostic("this \(name) block is inside a list or block quote, where it would show as plain code: start its fence at the beginning of a line, after a blank line", at: block.location)
            }
            blocks.append(.markdown(block))
        }

        try checkPlaceholders(in: document.blocks.map(\.html.html), spans: scanner.spans, from: 0)

        // Exercises and references resolve against named or nearest preceding blocks.
        func target(_ name: String?, before line: Int, at location: SourceLocation) throws(Diagnostic) -> Int {
            if let name {
                guard let index = attention.firstIndex(where: { $0.name == name }) else {
                    let names = attention.compactMap(\.name)
                    throw Diagnostic("no attention block is named '\(name)'" + (names.isEmpty ? ": name a block with name: \(name)" : ": the named blocks are \(names.joined(separator: ", "))"), at: location)
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
                                                   spans: &scanner.spans, blocks: attention, target: target))
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

    /// An `attention` or `exercise` block whose closing fence was forgotten runs on into the
    /// lesson, up to the next line holding only ``` — often the opening fence of a later
    /// plain code block, or the closing fence of a later block, whose opening line
    /// (```` ```exercise ````) cmark then takes as text. Its YAML then fails somewhere in
    /// the prose. When the block failed and holds such a line, or a line of prose (a letter
    /// at the start of the line, a first word without ':', more words) after a blank line
    /// or a heading, the error is the unclosed fence, at the opening fence.
    static func unclosed(_ fence: FencedCode, at location: SourceLocation, failing error: Diagnostic) -> Diagnostic? {
        var evidence: String?
        var afterBreak = false
        for (index, line) in fence.literal.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = fence.contentStartLine + index
            if line.hasPrefix("```") || line.hasPrefix("~~~") {
                evidence = "line \(lineNumber) opens another fenced block: \(line)"
                break
            }
            let firstWord = line.prefix { $0 != " " }
            if afterBreak, line.first?.isLetter == true, !firstWord.contains(":"), firstWord.count < line.count {
                evidence = "line \(lineNumber) looks like prose, not YAML: \(line)"
                break
            }
            let heading = line.hasPrefix("#") && line.drop { $0 == "#" }.first == " "
            afterBreak = line.allSatisfy { $0 == " " } || heading
        }
        guard let evidence else { return nil }
        let what = fence.name == "attention" ? "spec" : "fields"
        return Diagnostic("the \(fence.name) block opened at line \(location.line) is probably not closed: add a line with ``` after its \(what)", at: location,
                          notes: [evidence, "read as part of the block, the lesson fails with: \(error.description)"])
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

    /// The text with a leading byte-order mark dropped and every line ending (`\r\n`, `\r`)
    /// made `\n`, as cmark-gfm and editors count lines. Line numbers do not change, and
    /// columns count from the first visible character.
    static func normalizingLineEndings(_ text: String) -> String {
        // U+FEFF is EF BB BF in UTF-8.
        guard text.containsUTF8(anyOf: UInt8(ascii: "\r"), 0xEF) else { return text }
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var previousWasCR = false
        for scalar in scalars {
            if scalar == "\r" {
                out.append("\n")
            } else if !(scalar == "\n" && previousWasCR) {
                out.append(scalar)
            }
            previousWasCR = scalar == "\r"
        }
        return String(out)
    }

    static func parseAttention(_ fence: FencedCode, path: String, ordinal: Int, location: SourceLocation) throws(Diagnostic) -> AttentionBlock {
        // `spec: specs/x.yaml` takes the spec from a file (relative to the lesson); matrix
        // files (`X: {file: data/x.csv}`) are relative to the file that names them.
        let (loaded, extras) = try SpecLoader.load(fence.literal, path: path, line: fence.contentStartLine,
                                                   extraKeys: blockOptions, allowSpecFile: true)
        let trace = try loaded.trace()
        let spec = loaded.spec
        let present = trace.events.map(\.stage)
        let display = try DisplayOptions(extras, tokens: spec.tokens, present: present, decimals: 0...8)
        let focus = display.focus
        let stages = display.stages ?? Stage.allCases.filter { present.contains($0) }
        let decimals = display.decimals ?? 2
        var notation = AttentionBlock.Notation.row
        if let option = extras["notation"] {
            let text = try scalar(option, "notation")
            guard let n = AttentionBlock.Notation(rawValue: text) else {
                throw Diagnostic("notation must be row (Q = X·W_Q) or column (q⁽ⁱ⁾ = U_q x⁽ⁱ⁾), not '\(text)'", at: option.location)
            }
            notation = n
        }
        var name: String?
        if let option = extras["name"] {
            let text = try scalar(option, "name")
            guard text.first?.isLetter == true, text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw Diagnostic("a block name starts with a letter and holds letters, digits, _ and -, not '\(text)'", at: option.location)
            }
            name = text
        }
        let title = try extras["title"].map { (option: YAMLOption) throws(Diagnostic) in try scalar(option, "title") }
        return AttentionBlock(name: name, title: title, spec: spec, trace: trace, focus: focus, stages: stages,
                              decimals: decimals, notation: notation, reveal: display.reveal ?? .always, location: location, ordinal: ordinal)
    }

    static func scalar(_ option: YAMLOption, _ key: String) throws(Diagnostic) -> String {
        guard let text = option.scalar else { throw Diagnostic("\(key) must be a single value", at: option.location) }
        return text
    }

    /// Where each character of a YAML scalar's value is in the lesson, by line and column
    /// of the value. YAML may have dropped quotes, indentation and block indicators and
    /// folded line breaks into spaces, so the value is walked along its source: equal
    /// characters (or whitespace against whitespace) match; source characters that left
    /// no trace in the value (quotes, indentation, `|`, escapes) are skipped.
    static func sourceMap(of value: String, in block: String, firstLine: Int, from start: SourceLocation) -> [[SourceLocation]] {
        var source: [(c: Unicode.Scalar, location: SourceLocation)] = []
        for (index, line) in block.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = firstLine + index
            guard lineNumber >= start.line else { continue }
            for (column, c) in line.unicodeScalars.enumerated() where lineNumber > start.line || column + 1 >= start.column {
                source.append((c, SourceLocation(path: start.path, line: lineNumber, column: column + 1)))
            }
            source.append(("\n", SourceLocation(path: start.path, line: lineNumber, column: line.unicodeScalars.count + 1)))
        }
        func same(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
            a == b || (a.properties.isWhitespace && b.properties.isWhitespace)
        }
        var map: [[SourceLocation]] = [[]]
        var i = 0
        for c in value.unicodeScalars {
            // The next source character this one can be; none means YAML made it (an escape).
            if let j = source[min(i, source.count)...].firstIndex(where: { same($0.c, c) }) { i = j }
            map[map.count - 1].append(i < source.count ? source[i].location : source.last?.location ?? start)
            if i < source.count, same(source[i].c, c) { i += 1 }
            if c == "\n" { map.append([]) }
        }
        return map
    }

    /// Math and references must land in text. cmark drops or mangles them inside link
    /// addresses and titles, image descriptions, link reference definitions and raw HTML,
    /// and a placeholder inside a tag would become markup inside an attribute.
    static func checkPlaceholders(in html: [String], spans: [InlineSpan], from first: Int) throws(Diagnostic) {
        guard first < spans.count else { return }   // no math or references to look for
        var inText: Set<Int> = [], inTag: Set<Int> = []
        // 0xEE leads the UTF-8 of U+E000: HTML without it holds no placeholder.
        for page in html where page.containsUTF8(anyOf: 0xEE) {
            var insideTag = false
            var scalars = page.unicodeScalars[...]
            while let scalar = scalars.popFirst() {
                switch scalar {
                case "<": insideTag = true
                case ">": insideTag = false
                case "\u{E000}":
                    let digits = scalars.prefix { ("0"..."9").contains($0) }
                    scalars = scalars.dropFirst(digits.count)
                    if let index = Int(String(String.UnicodeScalarView(digits))) {
                        if insideTag { inTag.insert(index) } else { inText.insert(index) }
                    }
                default: break
                }
            }
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

    static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * 10 } }
}

/// A flat YAML mapping of text fields with their places (front matter, exercises).
struct YAMLFields {
    let path: String
    let origin: SourceLocation
    let what: String
    var fields: [String: (value: String, location: SourceLocation)] = [:]
    var lists: [String: [(value: String, location: SourceLocation)]] = [:]
    /// Lists of mappings of texts (an exercise's `parts`), each key with its place.
    var records: [String: [[String: (value: String, location: SourceLocation)]]] = [:]
    /// Where each record of `records[key]` starts.
    var recordLocations: [String: [SourceLocation]] = [:]
    var unknown: [(key: String, location: SourceLocation)] = []

    /// `recordKeys`: the keys whose value may be a list of mappings (an exercise's `parts`).
    init(_ text: String, path: String, line: Int, allowed: [String]?, what: String, column: Int = 1,
         recordKeys: [String] = []) throws(Diagnostic) {
        self.path = path
        self.what = what
        origin = SourceLocation(path: path, line: line, column: column)
        func place(_ node: Node) -> SourceLocation {
            guard let mark = node.mark else { return SourceLocation(path: path, line: line, column: column) }
            return SourceLocation(path: path, line: line + mark.line - 1, column: mark.column)
        }
        if let entries = FlatYAML.entries(text) {
            // The usual flat mapping, read without building Yams's node tree.
            for entry in entries {
                try admit(entry.key, at: SourceLocation(path: path, line: line + entry.line - 1, column: 1), allowed: allowed)
                switch entry.value {
                case .text(let item):
                    fields[entry.key] = (item.text, SourceLocation(path: path, line: line + item.line - 1, column: item.column))
                case .list(let items):
                    lists[entry.key] = items.map { ($0.text, SourceLocation(path: path, line: line + $0.line - 1, column: $0.column)) }
                    fields[entry.key] = ("", SourceLocation(path: path, line: line + entry.line - 1, column: 1))
                }
            }
            return
        }
        let root: Node?
        switch YAMLReading.compose(text) {
        case .success(let node): root = node
        case .failure(let failure):
            let wording = YAMLReading.Wording(subject: what, keyContext: " in \(what)", advice: "give each key once")
            throw YAMLReading.diagnostic(for: failure, wording, start: origin) {
                SourceLocation(path: path, line: line + $0.line - 1, column: $0.column)
            }
        }
        guard let root else { throw Diagnostic("\(what) is empty", at: origin) }
        guard let mapping = root.mapping else { throw Diagnostic("\(what) must be a YAML mapping of keys and values", at: place(root)) }
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            try admit(key, at: place(keyNode), allowed: allowed)
            if let text = value.scalar?.string {
                fields[key] = (text, place(value))
            } else if let items = value.sequence, recordKeys.contains(key), items.contains(where: { $0.mapping != nil }) {
                var list: [[String: (value: String, location: SourceLocation)]] = []
                for item in items {
                    guard let entries = item.mapping else { throw Diagnostic("\(key) must be a list of mappings such as '- answer: …'", at: place(item)) }
                    var record: [String: (value: String, location: SourceLocation)] = [:]
                    for (name, field) in entries {
                        guard let text = field.scalar?.string, let label = name.scalar?.string else {
                            throw Diagnostic("each item of \(key) holds texts, such as '- answer: …'", at: place(field))
                        }
                        record[label] = (text, place(field))
                    }
                    list.append(record)
                    recordLocations[key, default: []].append(place(item))
                }
                records[key] = list
                fields[key] = ("", place(keyNode))
            } else if let items = value.sequence {
                var list: [(value: String, location: SourceLocation)] = []
                for item in items {
                    guard let text = item.scalar?.string else { throw Diagnostic("\(key) must be a list of texts", at: place(item)) }
                    list.append((text, place(item)))
                }
                lists[key] = list
                fields[key] = ("", place(keyNode))
            } else {
                throw Diagnostic("\(key) must be a text or a list of texts", at: place(value))
            }
        }
    }

    /// A key is allowed, or (with no list of allowed keys) remembered as one the caller may not use.
    private mutating func admit(_ key: String, at location: SourceLocation, allowed: [String]?) throws(Diagnostic) {
        if let allowed {
            guard allowed.contains(key) else {
                let hint = nearest(to: key, in: allowed).map { "did you mean '\($0)'? " } ?? ""
                throw Diagnostic("unknown key '\(key)' in \(what): \(hint)allowed keys are \(allowed.joined(separator: ", "))", at: location)
            }
        } else {
            unknown.append((key, location))
        }
    }

    func value(_ key: String) -> (value: String, location: SourceLocation)? {
        lists[key] == nil && records[key] == nil ? fields[key] : nil
    }

    func location(_ key: String) -> SourceLocation { fields[key]?.location ?? origin }

    func required(_ key: String, example: String) throws(Diagnostic) -> (value: String, location: SourceLocation) {
        guard let field = value(key), !field.value.trimmingWhitespace().isEmpty else {
            if lists[key] != nil || records[key] != nil { throw Diagnostic("\(key) must be a single text in \(what)", at: location(key)) }
            throw Diagnostic("\(what) needs \(key): e.g. \(example)", at: origin)
        }
        return field
    }
}

extension FrontMatter {
    static let keys = ["title", "summary", "objectives", "order"]

    /// Splits `---\n…\n---\n` off the top. Returns the front matter, the line where the
    /// body starts, and the body.
    static func split(_ text: String, path: String) throws(Diagnostic) -> (FrontMatter, Int, String) {
        // Only the lines up to the closing --- are split; the body stays one slice.
        var lines: [Substring] = []
        var rest = Substring(text)
        // A line feed is one byte: find it in the UTF-8, not character by character.
        while let newline = rest.utf8.firstIndex(of: UInt8(ascii: "\n")) {
            let line = rest[..<newline]
            lines.append(line)
            rest = rest[rest.utf8.index(after: newline)...]
            if lines.count > 1, ["---", "..."].contains(line.trimmingTrailingWhitespace()) { break }
            if lines.count == 1, line.trimmingTrailingWhitespace() != "---" { break }
        }
        if !rest.isEmpty || lines.isEmpty { lines.append(rest) }
        let top = SourceLocation(path: path, line: 1, column: 1)
        guard lines.first?.trimmingTrailingWhitespace() == "---" else {
            throw Diagnostic("a lesson starts with front matter between --- lines:\n---\ntitle: …\nsummary: …\nobjectives:\n  - …\n---", at: top)
        }
        guard let end = lines.dropFirst().firstIndex(where: { $0.trimmingTrailingWhitespace() == "---" || $0.trimmingTrailingWhitespace() == "..." }) else {
            throw Diagnostic("the front matter opened with --- on line 1 is never closed: add a line holding only ---", at: top)
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        let fields = try YAMLFields(yaml, path: path, line: 2, allowed: nil, what: "the front matter")
        let title = try fields.required("title", example: "title: Query, key and value")
        let summary = try fields.required("summary", example: "summary: One line on what the lesson teaches.")
        guard let objectives = fields.lists["objectives"], !objectives.isEmpty else {
            if fields.lists["objectives"] != nil {
                throw Diagnostic("objectives is an empty list: name at least one thing a student will be able to do:\nobjectives:\n  - Compute ω for one query", at: fields.location("objectives"))
            }
            if let single = fields.fields["objectives"] {
                throw Diagnostic("objectives must be a list:\nobjectives:\n  - Compute ω for one query\n  - …", at: single.location)
            }
            throw Diagnostic("the front matter needs objectives, a list of what a student will be able to do:\nobjectives:\n  - Compute ω for one query", at: top)
        }
        var order: Int?
        if let field = fields.value("order") {
            guard let n = Int(field.value) else { throw Diagnostic("order must be a whole number, not '\(field.value)'", at: field.location) }
            order = n
        }
        var locations: [String: SourceLocation] = [:]
        for (key, field) in fields.fields { locations[key] = field.location }
        let front = FrontMatter(title: title.value, summary: summary.value, objectives: objectives.map(\.value), order: order,
                                unusedKeys: fields.unknown.filter { !keys.contains($0.key) }, locations: locations)
        return (front, end + 2, lines[(end + 1)...].joined(separator: "\n"))
    }
}
