// The one place where nodes become text. Text is escaped for element content, attribute
// values for double-quoted attributes; only trusted HTML is written as given.

extension Node {
    /// The HTML for this node. The same tree always gives the same string; a newline follows
    /// the end tag of block-level elements (never inside `pre`, which holds only phrasing content).
    public func render() -> String {
        var output = HTMLBytes()
        write(to: &output, inRawTextElement: false)
        return output.string
    }

    /// `render()` after `prefix`, written into one buffer.
    func render(after prefix: String) -> String {
        var output = HTMLBytes()
        output.append(prefix)
        write(to: &output, inRawTextElement: false)
        return output.string
    }

    private func write(to output: inout HTMLBytes, inRawTextElement: Bool) {
        switch content {
        case .text(let text):
            if inRawTextElement { output.appendRawText(text) } else { output.appendEscaped(text, attribute: false) }
        case .trustedHTML(let html):
            output.append(html)
        case .fragment(let nodes):
            for node in nodes { node.write(to: &output, inRawTextElement: inRawTextElement) }
        case .element(let name, let attributes, let children):
            let lowercased = asciiLowercased(name)
            output.append("<")
            output.append(name)
            for (attribute, value) in attributes.list {
                output.append(" ")
                output.append(attribute)
                if let value {
                    output.append("=\"")
                    output.appendEscaped(value, attribute: true)
                    output.append("\"")
                }
            }
            output.append(">")
            if !isVoid(lowercased: lowercased) {
                let rawText = lowercased == "script" || lowercased == "style"
                for child in children { child.write(to: &output, inRawTextElement: rawText) }
                output.append("</")
                output.append(name)
                output.append(">")
            }
            if isBlock(lowercased: lowercased) { output.append("\n") }
        }
    }
}

/// The serializer's output: UTF-8 bytes, made a `String` once at the end. Every piece
/// appended is a whole `String`, so the bytes are always valid UTF-8.
struct HTMLBytes {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(16 * 1024) }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Text for element content (`&`, `<`, `>` escaped) or, with `attribute`, for a
    /// double-quoted attribute value (also `"` and `'`). The characters escaped are ASCII,
    /// so they are found byte by byte; runs between them are copied whole.
    mutating func appendEscaped(_ text: String, attribute: Bool) {
        var text = text
        text.withUTF8 { source in
            var run = 0
            for (i, byte) in source.enumerated() {
                let reference: StaticString
                switch byte {
                case UInt8(ascii: "&"): reference = "&amp;"
                case UInt8(ascii: "<"): reference = "&lt;"
                case UInt8(ascii: ">"): reference = "&gt;"
                case UInt8(ascii: "\"") where attribute: reference = "&quot;"
                case UInt8(ascii: "'") where attribute: reference = "&#39;"
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[run..<i]))
                bytes.append(contentsOf: UnsafeBufferPointer(start: reference.utf8Start, count: reference.utf8CodeUnitCount))
                run = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[run...]))
        }
    }

    /// Text inside `script` or `style`, where the parser reads no character references and the
    /// first `</script` ends the element: every `</` and `<!` is written `<\/` and `<\!`, which
    /// JavaScript and JSON strings, and CSS, read as the same characters.
    mutating func appendRawText(_ text: String) {
        var previousWasLessThan = false
        for byte in text.utf8 {
            if previousWasLessThan && (byte == UInt8(ascii: "/") || byte == UInt8(ascii: "!")) { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(byte)
            previousWasLessThan = byte == UInt8(ascii: "<")
        }
    }
}

/// Element names are ASCII (checked when a node is made); lowercased for the lookups below
/// only when they hold a capital.
func asciiLowercased(_ name: String) -> String {
    name.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } ? name.lowercased() : name
}

/// Elements followed by a newline, to keep pages readable in a text editor (lowercase name).
private func isBlock(lowercased name: String) -> Bool {
    switch name {
    case "html", "head", "body", "title", "meta", "link", "script", "style",
         "header", "footer", "main", "nav", "section", "article", "aside", "div", "p", "hr",
         "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
         "pre", "blockquote", "figure", "figcaption", "details", "summary", "form",
         "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td": true
    default: false
    }
}
