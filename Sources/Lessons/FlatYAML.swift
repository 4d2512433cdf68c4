/// A quick reader for the YAML that front matter and exercise blocks nearly always are: a
/// flat mapping whose values are one-line texts or lists of one-line texts.
///
///     title: "Query, key and value"
///     summary: Why a token asks with one vector and answers with another.
///     objectives:
///       - Compute one score
///
/// Anything else (comments, block or multi-line scalars, escapes, flow collections,
/// anchors, tags, repeated keys, unusual characters, …) gives `nil`, and the caller asks
/// Yams, which reads all of YAML. Within what it accepts, the result is the text and the
/// place (line, column in Unicode scalars, both from 1) Yams would give; a test checks the
/// two readers against each other. It exists because building Yams's node tree costs more
/// than everything else a plain lesson needs.
enum FlatYAML {
    struct Item: Equatable {
        var text: String
        var line: Int
        var column: Int
    }

    enum Value: Equatable {
        /// `key: text`; the text's place.
        case text(Item)
        /// `key:` then `- text` lines.
        case list([Item])
    }

    struct Entry: Equatable {
        var key: String
        /// The key's line (its column is 1).
        var line: Int
        var value: Value
    }

    static func entries(_ text: String) -> [Entry]? {
        let bytes = Array(text.utf8)
        guard hasOnlyPlainCharacters(bytes) else { return nil }
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == newline {
            lines.append(bytes[start..<i])
            start = i + 1
        }
        lines.append(bytes[start...])

        var entries: [Entry] = []
        var keys: Set<String> = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.allSatisfy({ $0 == space }) { i += 1; continue }
            // key: [A-Za-z_][A-Za-z0-9_-]* at the start of the line, then ':'.
            guard let first = line.first, isLetter(first) || first == underscore else { return nil }
            var end = line.startIndex + 1
            while end < line.endIndex, isLetter(line[end]) || isDigit(line[end]) || line[end] == underscore || line[end] == hyphen {
                end += 1
            }
            // libyaml reads at most 1024 characters of a key on one line.
            guard end < line.endIndex, line[end] == colon, end - line.startIndex <= 1000 else { return nil }
            let key = String(decoding: line[line.startIndex..<end], as: UTF8.self)
            guard keys.insert(key).inserted else { return nil }
            let afterColon = line[(end + 1)...]
            if afterColon.allSatisfy({ $0 == space }) {
                // A list on the lines that follow, every item at the same indentation.
                var items: [Item] = []
                var indentation: Int?
                var j = i + 1
                while j < lines.count {
                    let itemLine = lines[j]
                    if itemLine.allSatisfy({ $0 == space }) { j += 1; continue }
                    let indent = itemLine.prefix { $0 == space }.count
                    let dash = itemLine.startIndex + indent
                    guard dash + 1 < itemLine.endIndex, itemLine[dash] == hyphen, itemLine[dash + 1] == space else { break }
                    if let indentation, indentation != indent { return nil }
                    indentation = indent
                    let valueStart = itemLine[(dash + 1)...].firstIndex { $0 != space } ?? itemLine.endIndex
                    guard let value = scalar(itemLine[valueStart...]) else { return nil }
                    items.append(Item(text: value, line: j + 1, column: valueStart - itemLine.startIndex + 1))
                    j += 1
                }
                guard !items.isEmpty else { return nil }   // `key:` alone is null: Yams's business
                entries.append(Entry(key: key, line: i + 1, value: .list(items)))
                i = j
                continue
            }
            // `key:x` is not a mapping at all.
            guard afterColon.first == space, let valueStart = afterColon.firstIndex(where: { $0 != space }),
                  let value = scalar(line[valueStart...]) else { return nil }
            entries.append(Entry(key: key, line: i + 1, value: .text(Item(text: value, line: i + 1, column: valueStart - line.startIndex + 1))))
            i += 1
        }
        return entries.isEmpty ? nil : entries
    }

    /// A one-line scalar: "double-quoted" without `"` or `\` inside, 'single-quoted'
    /// without `'` inside, or plain: not starting with an indicator, without `: `, ` #` or a
    /// final `:`. Trailing spaces are not part of it.
    private static func scalar(_ raw: ArraySlice<UInt8>) -> String? {
        var value = raw
        while value.last == space { value.removeLast() }
        guard let first = value.first else { return nil }
        if first == doubleQuote || first == singleQuote {
            let inner = value.dropFirst().dropLast()
            guard value.count >= 2, value.last == first,
                  !inner.contains(first), first == singleQuote || !inner.contains(backslash) else { return nil }
            return String(decoding: inner, as: UTF8.self)
        }
        guard !indicators.contains(first), value.last != colon else { return nil }
        for (a, b) in zip(value, value.dropFirst()) where (a == colon && b == space) || (a == space && b == hash) {
            return nil
        }
        return String(decoding: value, as: UTF8.self)
    }

    /// No control characters but the line feed (tabs included), nothing libyaml reads as a
    /// line break or refuses as unprintable (C1 controls, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF).
    private static func hasOnlyPlainCharacters(_ bytes: [UInt8]) -> Bool {
        for (i, byte) in bytes.enumerated() {
            switch byte {
            case newline: continue
            case 0..<0x20, 0x7F: return false
            case 0xC2 where i + 1 < bytes.count && bytes[i + 1] < 0xA0: return false
            case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9): return false
            case 0xEF where i + 2 < bytes.count && ((bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF) || (bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE)): return false
            default: continue
            }
        }
        return true
    }

    private static let indicators: Set<UInt8> = Set("-?:,[]{}#&*!|>'\"%@`".utf8)
    private static let (newline, space, colon, hyphen, underscore, hash) = (UInt8(ascii: "\n"), UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "#"))
    private static let (doubleQuote, singleQuote, backslash) = (UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"))
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
