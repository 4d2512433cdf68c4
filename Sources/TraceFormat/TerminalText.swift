/// Text bound for a terminal. A token label may hold anything, a line feed or an ANSI escape
/// sequence included: printed raw it would break a table or recolour (or retitle, or clear)
/// the student's terminal. Such characters are shown as escapes instead, Swift-style.
public enum TerminalText {
    /// `label` with every control character written as an escape: `\n`, `\t`, `\r`, `\\e`
    /// for ESC, `\u{…}` for the rest (C0, DEL, C1, line and paragraph separators and the
    /// bidirectional overrides that reorder what follows them).
    public static func escaped(_ label: String) -> String {
        escape(label, keepingLineBreaks: false)
    }

    /// A message for standard error: as `escaped`, but line feeds and tabs stay (messages
    /// have notes on lines of their own).
    public static func message(_ text: String) -> String {
        escape(text, keepingLineBreaks: true)
    }

    static func escape(_ text: String, keepingLineBreaks: Bool) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingLineBreaks) }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar, keepingLineBreaks) else { out.unicodeScalars.append(scalar); continue }
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{1B}": out += "\\e"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar, _ keepingLineBreaks: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return !keepingLineBreaks
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
