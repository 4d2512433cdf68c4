import Diagnostics
import SpecLoader
import Yams

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
