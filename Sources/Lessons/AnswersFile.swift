import Diagnostics
import Foundation
import Markdown
import SpecLoader
import Yams

/// What the answers files `attn check` grades have in common (`--answers`, a lesson's
/// exercises; `--worksheet`, a worksheet's blank cells): a YAML mapping read with every
/// key and value located at its line and column, one answer's number, and the lesson
/// named by `lesson:`.
public struct AnswersFile: Sendable {
    /// One `key: value` of a mapping.
    public struct Entry: Sendable {
        public let key: String
        public let keyLocation: SourceLocation
        public let value: Value
    }

    public enum Value: Sendable {
        /// A scalar: its text ("" for `key:` with nothing after it).
        case text(String, SourceLocation)
        case mapping([Entry], SourceLocation)
        /// A list, or anything else that is not a text or a mapping.
        case other(SourceLocation)

        public var location: SourceLocation {
            switch self {
            case .text(_, let location), .mapping(_, let location), .other(let location): return location
            }
        }

        /// A scalar that holds nothing: `key:`, `key: ~`, `key: null`.
        public var isBlank: Bool {
            if case .text(let text, _) = self { return ["", "~", "null"].contains(text.trimmingCharacters(in: .whitespaces)) }
            return false
        }
    }

    public let path: String
    /// The top-level mapping, in file order.
    public let entries: [Entry]
    /// Line 1, column 1: where messages about the file as a whole point.
    public var top: SourceLocation { SourceLocation(path: path, line: 1, column: 1) }

    /// Reads `text`, which must be a YAML mapping. `example` is a small valid file, shown
    /// when the text is empty or not a mapping; `keys` names the top-level keys for that message.
    public init(_ text: String, path: String, keys: String, example: String) throws(Diagnostic) {
        self.path = path
        func place(_ node: Node) -> SourceLocation {
            SourceLocation(path: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        }
        let top = SourceLocation(path: path, line: 1, column: 1)
        let root: Node?
        switch YAMLReading.compose(text) {
        case .success(let node): root = node
        case .failure(let failure):
            throw YAMLReading.diagnostic(for: failure, Self.yamlWording, start: top) {
                SourceLocation(path: path, line: $0.line, column: $0.column)
            }
        }
        guard let root else { throw Diagnostic("the answers file is empty: write, for example,\n\(example)", at: top) }
        func value(_ node: Node) -> Value {
            if let scalar = node.scalar { return .text(scalar.string, place(node)) }
            if let mapping = node.mapping {
                return .mapping(mapping.map { Entry(key: $0.key.scalar?.string ?? "", keyLocation: place($0.key), value: value($0.value)) }, place(node))
            }
            return .other(place(node))
        }
        guard case .mapping(let entries, _) = value(root) else {
            throw Diagnostic("an answers file is a YAML mapping with the keys \(keys), e.g.\n\(example)", at: place(root))
        }
        self.entries = entries
    }

    static let yamlWording = YAMLReading.Wording(subject: "this", advice: "give each answer once", adviseAlways: true)

    /// Fails on a top-level key that is not one of `keys`, suggesting the nearest.
    public func requireKnownKeys(_ keys: [String]) throws(Diagnostic) {
        for entry in entries where !keys.contains(entry.key) {
            let hint = nearest(to: entry.key, in: keys).map { "did you mean '\($0)'? " } ?? ""
            let listed = keys.count == 2 ? keys.joined(separator: " and ") : keys.dropLast().joined(separator: ", ") + " and " + keys[keys.count - 1]
            throw Diagnostic("unknown key '\(entry.key)': \(hint)the keys are \(listed)", at: entry.keyLocation)
        }
    }

    public func value(_ key: String) -> Value? { entries.first { $0.key == key }?.value }

    /// `lesson:`, the lesson's file name without .md.
    public func lessonName(example: String) throws(Diagnostic) -> (name: String, location: SourceLocation) {
        guard let value = value("lesson") else {
            throw Diagnostic("the answers file needs lesson: the lesson's file name without .md, e.g. \(example)", at: top)
        }
        guard case .text(let text, let location) = value, !text.isEmpty else {
            throw Diagnostic("lesson is the lesson's file name without .md, e.g. \(example)", at: value.location)
        }
        return (text, location)
    }

    /// One answer: nil when left blank, else a decimal number. A point or a comma, `-` or
    /// `−`, and `_` between digits are accepted, as are `-inf` and `−∞` (a masked score).
    /// `what` names the answer in the message, e.g. "the answer to exercise 2".
    public static func number(_ value: Value, what: String, example: String = "0.25 or -1.5e-3") throws(Diagnostic) -> Double? {
        guard case .text(let text, let location) = value else {
            throw Diagnostic("\(what) must be one number", at: value.location)
        }
        if value.isBlank { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let plain = trimmed.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: "−", with: "-")
        if ["-inf", "-.inf", "-∞", "-infinity"].contains(plain.lowercased()) { return -.infinity }
        let decimal = plain.filter { $0 == "," }.count == 1 && !plain.contains(".") ? plain.replacingOccurrences(of: ",", with: ".") : plain
        guard let x = Double(decimal), x.isFinite else {
            throw Diagnostic("'\(text)' is not a number: write \(what) as a decimal number, e.g. \(example)", at: location)
        }
        return x
    }

    /// The lesson named `name` in `directory`: its file name without .md (with .md, or
    /// only its number, is accepted too). `location` is where the name was written.
    public static func lesson(named name: String, at location: SourceLocation, in directory: String) throws(Diagnostic) -> Lesson {
        let folder = LessonsFolder(directory)
        guard folder.exists else {
            throw Diagnostic("attn check: the lessons folder '\(directory)' does not exist (use --lessons DIR)", at: nil)
        }
        let wanted = name.hasSuffix(".md") ? String(name.dropLast(3)) : name
        guard let file = folder.lessonFileName(named: wanted, .fileName) ?? folder.lessonFileName(named: wanted, .number) else {
            let stems = folder.lessonFileNames().map { String($0.dropLast(3)) }
            let hint = nearest(to: wanted, in: stems).map { "did you mean '\($0)'? " } ?? ""
            throw Diagnostic("there is no lesson '\(name)' in \(directory)/: \(hint)the lessons are \(stems.joined(separator: ", "))", at: location)
        }
        let path = folder.path(of: file)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Diagnostic("cannot read this lesson", at: SourceLocation(path: path, line: 1, column: 1))
        }
        let text = try MarkdownDocument.decode(data, path: path)
        return try LessonParser.parse(text, path: path, fileName: file)
    }

    /// A number as `attn check` prints it: whole numbers without a point, else `digits`
    /// significant digits.
    public static func number(_ x: Double, digits: Int = 10) -> String {
        if x.isInfinite { return x < 0 ? "−∞" : "∞" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.\(digits)g", x)
    }

    /// "5 of 8 right, 1 wrong, 2 not answered"; with `things` "5 of 8 cells right, …".
    public static func counts(right: Int, of total: Int, things: String = "", wrong: Int, blank: Int) -> String {
        var counts = ["\(right) of \(total)\(things.isEmpty ? "" : " " + things) right"]
        if wrong > 0 { counts.append("\(wrong) wrong") }
        if blank > 0 { counts.append("\(blank) not answered") }
        return counts.joined(separator: ", ")
    }
}

extension Lesson {
    /// `02-attention-without-weights`: the name answers files give a lesson by.
    public var slugName: String { ((path as NSString).lastPathComponent as NSString).deletingPathExtension }
}

/// An answers file after grading (`attn check --answers` or `--worksheet`): the report to
/// print, and how many answers were wrong (any makes the check fail).
public protocol GradedAnswers: Sendable {
    var report: String { get }
    var wrong: Int { get }
}
