import Diagnostics
import Foundation
import SpecLoader
import Yams

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
