/// A string as a JSON string literal, which is also a YAML double-quoted scalar (YAML reads
/// JSON's escapes the same way): the one place that spells out those escapes.
public enum JSONString {
    /// Quotes, backslashes and control characters are escaped, and so are the characters YAML
    /// does not allow unescaped (DEL, the C1 controls, the line and paragraph separators and
    /// the byte-order mark); every other character, of any script, is written as it is.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                        || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
