import Diagnostics

/// Where a lesson's characters are: line endings made `\n` so that lines count as editors
/// count them, and the map from a YAML value's characters back to the lesson's lines and
/// columns (for errors inside exercise text).
extension LessonParser {
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
}
