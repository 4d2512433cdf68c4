import Diagnostics

extension MarkdownDocument {
    /// The text of a markdown file read as bytes, or a `Diagnostic` at the first byte that
    /// is not UTF-8 (`lesson.md:3:14: invalid UTF-8 (byte 0xE9) …`). A leading byte-order
    /// mark is kept (cmark skips it). NUL bytes are accepted; cmark renders them as U+FFFD.
    ///
    /// `parse` takes a `String`, which is always valid UTF-8, so this is the one place
    /// where a file's encoding can be wrong. Columns count Unicode scalars.
    public static func decode(_ bytes: some Collection<UInt8>, path: String) throws(Diagnostic) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0, line = 1, column = 1
        var previousWasCR = false
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let byte = encoded.first!
                if byte == UInt8(ascii: "\n") {
                    if !previousWasCR { line += 1 }
                    column = 1
                } else if byte == UInt8(ascii: "\r") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                previousWasCR = byte == UInt8(ascii: "\r")
                offset += encoded.count
            case .error:
                let byte = bytes[bytes.index(bytes.startIndex, offsetBy: offset)]
                let hex = String(byte, radix: 16, uppercase: true)
                throw Diagnostic(
                    "invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" + hex : hex) at byte offset \(offset))",
                    at: SourceLocation(path: path, line: line, column: column),
                    notes: ["save the file as UTF-8"])
            case .emptyInput:
                // Unreachable: the fast path above accepted the bytes.
                return String(decoding: bytes, as: UTF8.self)
            }
        }
    }
}
