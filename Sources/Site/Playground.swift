import AttentionEngine
import Diagnostics
import Foundation
import HTML
import Lessons
import Markdown
import SpecLoader
import TraceFormat

/// The playground of `attn serve`: a spec typed into a form, traced and shown exactly as a
/// lesson's attention block. This file holds what is not HTML: the form's values, the
/// helpers that edit the spec, the course's examples, and the one entry point that renders
/// a block from text (`Playground.workedSection`). The page is PlaygroundPage.swift.
public enum Playground {
    /// Where `attn serve` answers.
    public static let path = "/playground"
    /// The bounds every spec is checked against before it is read or traced.
    public static let bounds = SpecBounds()
    /// The largest spec text, in UTF-8 bytes.
    public static let maxSpecBytes = 256 * 1024
    /// The largest value of any other field, in UTF-8 bytes.
    public static let maxOptionBytes = 256
    /// The name of the spec text in messages (`spec:3:9: …`).
    static let specPath = "spec"

    /// The display options as the form holds them; empty means "as the spec says".
    public struct Options: Sendable, Equatable {
        public var focus: String
        public var decimals: String
        /// Stage names (`similarity`, …); empty: every stage.
        public var show: [String]
        /// `row`, `column`, or empty.
        public var notation: String

        public init(focus: String = "", decimals: String = "", show: [String] = [], notation: String = "") {
            self.focus = focus
            self.decimals = decimals
            self.show = show
            self.notation = notation
        }
    }

    /// Everything the form sends.
    public struct Form: Sendable, Equatable {
        public var spec: String
        public var options: Options
        /// The helpers' width and seed, as typed.
        public var size: String
        public var seed: String

        public init(spec: String, options: Options = Options(), size: String = "", seed: String = "") {
            self.spec = spec
            self.options = options
            self.size = size
            self.seed = seed
        }
    }

    /// What the submit button asked for.
    public enum Action: String, Sendable, CaseIterable {
        /// Trace the spec as it is.
        case trace
        /// Replace the spec with the chosen example.
        case load
        /// `X: {seed: S}` with `d_model: size`.
        case seedX = "seed-x"
        /// W_Q, W_K, W_V (and W_O) seeded, with `d_k = d_v = size`.
        case seedWeights = "seed-weights"
        case causal
        case twoHeads = "two-heads"
        case unscaled
    }

    /// A worked example of the course, as the playground offers it.
    public struct Example: Sendable, Equatable {
        /// `slug/N`: lesson and ordinal; the value of `example=`.
        public let id: String
        public let lessonTitle: String
        /// "Worked example 2 (I am good)".
        public let name: String
        /// The block's text without its display options, which are in `options`.
        public let text: String
        public let options: Options
    }

    // MARK: The helpers

    /// The form after `action`: the spec edited by a helper (`load` takes `example`), or a
    /// message saying why it could not be.
    public static func apply(_ action: Action, to form: Form, example: Example?) -> Result<Form, Diagnostic> {
        var form = form
        if action == .load {
            guard let example else { return .failure(Diagnostic("choose an example from the list first", at: nil)) }
            form.spec = example.text
            form.options = example.options
            return .success(form)
        }
        guard action != .trace else { return .success(form) }
        var lines = SpecLines(form.spec)
        guard lines.hasKeys else {
            return .failure(Diagnostic("the helpers edit a spec written one key per line (tokens: …, X: …); this one has no such line", at: nil))
        }
        func number(_ text: String, _ what: String, default value: Int, in range: ClosedRange<Int>) -> Result<Int, Diagnostic> {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return .success(value) }
            guard let n = Int(trimmed), range.contains(n) else {
                return .failure(Diagnostic("\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(trimmed)'", at: nil))
            }
            return .success(n)
        }
        let size: Int, seed: Int
        switch (number(form.size, "the size", default: 4, in: 1...bounds.width), number(form.seed, "the seed", default: 1, in: 0...1_000_000)) {
        case (.success(let s), .success(let t)): (size, seed) = (s, t)
        case (.failure(let error), _), (_, .failure(let error)): return .failure(error)
        }
        switch action {
        case .seedX:
            lines.set("d_model", "\(size)")
            lines.set("X", "{seed: \(seed)}")
        case .seedWeights:
            lines.set("d_k", "\(size)")
            lines.set("d_v", "\(size)")
            for (offset, key) in ["W_Q", "W_K", "W_V"].enumerated() { lines.set(key, "{seed: \(seed + offset + 1)}") }
            if lines.entry("W_O") != nil { lines.set("W_O", "{seed: \(seed + 4)}") }
            for key in ["b_Q", "b_K", "b_V", "b_O"] { lines.remove(key) }   // their widths were the old ones
        case .causal: lines.set("mask", "causal")
        case .twoHeads: lines.set("heads", "2")
        case .unscaled: lines.set("scale", "false")
        case .trace, .load: break
        }
        form.spec = lines.text
        return .success(form)
    }

    // MARK: One block from text

    /// The block's text with the form's options written in as keys (the spec's own keys of
    /// the same name blanked, so that its lines keep their numbers), and the first line
    /// of each option after the spec's lines.
    static func blockText(_ form: Form) -> (text: String, optionLines: [Int: String]) {
        var lines = SpecLines(form.spec)
        let userLines = lines.lines.count
        var added: [(key: String, value: String, field: String)] = []
        let o = form.options
        if !o.focus.isEmpty { added.append(("focus", JSONString.quoted(o.focus), "Focus token")) }
        if !o.decimals.isEmpty { added.append(("decimals", JSONString.quoted(o.decimals), "Decimals")) }
        if !o.show.isEmpty { added.append(("show", "[" + o.show.map(JSONString.quoted).joined(separator: ", ") + "]", "Stages to show")) }
        if !o.notation.isEmpty { added.append(("notation", JSONString.quoted(o.notation), "Notation")) }
        var fields: [Int: String] = [:]
        for (i, option) in added.enumerated() {
            lines.blank(option.key)
            fields[userLines + i + 1] = option.field
        }
        lines.lines += added.map { "\($0.key): \($0.value)" }
        return (lines.text, fields)
    }

    /// A problem with the spec or the options, as the page shows it: where (a line and
    /// column of the spec, or the name of an option's field) and what.
    public struct Problem: Error, Sendable, Equatable {
        /// `3:9` in the spec's text, or nil.
        public var line: Int?
        public var column: Int?
        /// The option's field ("Focus token"), when the problem is in one.
        public var field: String?
        public var message: String
        public var notes: [String]

        /// `3:9: message`, `Focus token: message`, or the message.
        public var description: String {
            let place = field ?? line.map { "\($0):\(column ?? 1)" }
            return ([place.map { "\($0): \(message)" } ?? message] + notes.map { "note: \($0)" }).joined(separator: "\n")
        }
    }

    /// The form's spec traced and rendered as a lesson renders an attention block: the
    /// `section` of a worked example, as HTML. Checks `bounds` before anything is read.
    public static func workedSection(_ form: Form) -> Result<String, Problem> {
        workedNode(form).map { $0.render() }
    }

    static func workedNode(_ form: Form) -> Result<Node, Problem> {
        let (text, fields) = blockText(form)
        func problem(_ d: Diagnostic) -> Problem {
            if let location = d.location, let field = fields[location.line] {
                return Problem(line: nil, column: nil, field: field, message: d.message, notes: d.notes)
            }
            return Problem(line: d.location?.line, column: d.location?.column, field: nil, message: d.message, notes: d.notes)
        }
        guard form.spec.utf8.count <= maxSpecBytes else {
            return .failure(Problem(message: "the spec is \(form.spec.utf8.count) bytes; the playground takes at most \(maxSpecBytes)", notes: []))
        }
        if !fields.isEmpty, !form.spec.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, !SpecLines(form.spec).hasKeys {
            return .failure(Problem(message: "the display options need a spec written one key per line (tokens: …, X: …), "
                + "not as {…}: write it so, or leave the options empty and put them in the spec", notes: []))
        }
        do throws(Diagnostic) {
            try bounds.check(text, path: specPath)
            let block = try LessonParser.standaloneBlock(text, path: specPath)
            return .success(try TraceView(block: block, id: "example-1", level: 2).node())
        } catch {
            return .failure(problem(error))
        }
    }

    // MARK: The course's examples

    /// Every attention block of `lessons` that the playground can take (no files, within
    /// `bounds`), in course order, with its text read back from the lesson file.
    public static func examples(from lessons: [Lesson]) -> [Example] {
        lessons.flatMap { lesson -> [Example] in
            guard let data = FileManager.default.contents(atPath: lesson.path),
                  let text = String(data: data, encoding: .utf8) else { return [] }
            let fences = Dictionary(MarkdownDocument.parse(text, path: lesson.path).blocks.compactMap { block -> (Int, FencedCode)? in
                guard case .fencedCode(let fence) = block.kind, fence.name == "attention" else { return nil }
                return (block.location.line, fence)
            }, uniquingKeysWith: { a, _ in a })
            return lesson.attentionBlocks.compactMap { block in
                guard let fence = fences[block.location.line] else { return nil }
                return example(block, text: fence.literal, lesson: lesson)
            }
        }
    }

    static func example(_ block: AttentionBlock, text: String, lesson: Lesson) -> Example? {
        var lines = SpecLines(text)
        guard lines.hasKeys, lines.entry("spec") == nil else { return nil }
        var options = Options()
        if let focus = block.focus {
            let label = block.spec.tokens[focus]
            options.focus = block.spec.tokens.filter { $0 == label }.count == 1 ? label : "#\(focus)"
        }
        if lines.entry("decimals") != nil { options.decimals = "\(block.decimals)" }
        if lines.entry("show") != nil { options.show = block.stages.map(\.rawValue) }
        if lines.entry("notation") != nil { options.notation = block.notation.rawValue }
        for key in ["focus", "decimals", "show", "notation", "name"] { lines.remove(key) }
        guard (try? bounds.check(lines.text, path: specPath)) != nil else { return nil }
        return Example(id: "\(lesson.slug)/\(block.ordinal)", lessonTitle: "Lesson \(lesson.order): \(lesson.frontMatter.title)",
                       name: exampleName(block), text: lines.text, options: options)
    }

    // MARK: Links on served lesson pages

    /// `html` (a lesson page) with "Open in playground" under the heading of each worked
    /// example the playground can take. Only `attn serve` calls this.
    public static func linkingExamples(in html: String, slug: String, examples: [Example]) -> String {
        var html = html
        for example in examples where example.id.hasPrefix(slug + "/") {
            let ordinal = example.id.dropFirst(slug.count + 1)
            guard let id = html.range(of: " id=\"example-\(ordinal)\""),
                  let close = html.range(of: "</h", range: id.upperBound..<html.endIndex),
                  let end = html.range(of: ">", range: close.upperBound..<html.endIndex) else { continue }
            let link = Node.element("p", ["class": "open-playground"], [
                .element("a", ["href": .string(href(example: example.id))], [
                    "Open in playground", .element("span", ["class": "sr-only"], [.text(": " + example.name)]),
                ]),
            ])
            html.insert(contentsOf: link.render(), at: end.upperBound)
        }
        if html.contains("class=\"open-playground\""), let body = html.range(of: "</body>", options: .backwards) {
            html.insert(contentsOf: Node.element("link", ["rel": "stylesheet", "href": "playground.css"]).render(), at: body.lowerBound)
        }
        return html
    }

    /// The playground's address for an example (relative, as pages link).
    static func href(example id: String) -> String {
        "playground?example=" + formEncoded(id)
    }

    /// `application/x-www-form-urlencoded` for one value.
    static func formEncoded(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "*"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): out += "+"
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
