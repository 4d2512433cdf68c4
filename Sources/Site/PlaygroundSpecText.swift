/// A spec's text as the playground edits it: line by line, by top-level key (`mask:`,
/// `heads:` …), so that the student's comments, layout and other keys stay as written.
/// Only block mappings (one key per line, as in every example) have top-level keys.
struct SpecLines: Equatable {
    var lines: [String]

    init(_ text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if lines.last == "" { lines.removeLast() }
        self.lines = lines
    }

    var text: String { lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n" }

    /// True when some line starts a top-level key: the text is a block mapping.
    var hasKeys: Bool { lines.contains { Self.key(of: $0) != nil } }

    /// The key a line starts at column 0 (`heads: 2` → heads), else nil.
    static func key(of line: String) -> String? {
        guard let first = line.unicodeScalars.first, first == "_" || (first.properties.isAlphabetic && first.isASCII) else { return nil }
        let name = line.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        let rest = line.dropFirst(name.count).drop { $0 == " " || $0 == "\t" }
        guard rest.first == ":" else { return nil }
        let after = rest.dropFirst()
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        return String(name)
    }

    /// The lines of `key`'s entry: its line and the lines that continue its value
    /// (indented, or `- item` lines of a sequence written at column 0; blank lines only
    /// between such lines).
    func entry(_ key: String) -> Range<Int>? {
        guard let start = lines.firstIndex(where: { Self.key(of: $0) == key }) else { return nil }
        var end = start + 1
        var i = start + 1
        while i < lines.count {
            let line = lines[i]
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { i += 1; continue }
            let continues = line.first == " " || line.first == "\t" || line == "-" || line.hasPrefix("- ")
            guard continues else { break }
            i += 1
            end = i
        }
        return start..<end
    }

    /// The text after `key:` on its line, for a one-line value; nil when absent.
    func value(_ key: String) -> String? {
        guard let range = entry(key), range.count == 1 else { return nil }
        let line = lines[range.lowerBound]
        let rest = line[line.index(after: line.firstIndex(of: ":")!)...]
        return String(rest.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// `key: value` in place of the key's entry, or at the end.
    mutating func set(_ key: String, _ value: String) {
        if let range = entry(key) {
            lines.replaceSubrange(range, with: ["\(key): \(value)"])
        } else {
            lines.append("\(key): \(value)")
        }
    }

    mutating func remove(_ key: String) {
        if let range = entry(key) { lines.removeSubrange(range) }
    }

    /// The key's entry made blank lines, so that the lines after it keep their numbers.
    mutating func blank(_ key: String) {
        if let range = entry(key) { lines.replaceSubrange(range, with: Array(repeating: "", count: range.count)) }
    }
}
