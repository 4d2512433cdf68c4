// The one place where nodes become text. Text is escaped for element content, attribute
// values for double-quoted attributes; only trusted HTML is written as given.

extension Node {
    /// The HTML for this node. The same tree always gives the same string; a newline follows
    /// the end tag of block-level elements (never inside `pre`, which holds only phrasing content).
    public func render() -> String {
        var output = ""
        write(to: &output, inRawTextElement: false)
        return output
    }

    private func write(to output: inout String, inRawTextElement: Bool) {
        switch content {
        case .text(let text):
            output += inRawTextElement ? escapeRawText(text) : escapeText(text)
        case .trustedHTML(let html):
            output += html
        case .fragment(let nodes):
            for node in nodes { node.write(to: &output, inRawTextElement: inRawTextElement) }
        case .element(let name, let attributes, let children):
            output += "<" + name
            for (attribute, value) in attributes.list {
                output += " " + attribute
                if let value { output += "=\"" + escapeAttribute(value) + "\"" }
            }
            output += ">"
            if !isVoidElement(name) {
                let rawText = ["script", "style"].contains(name.lowercased())
                for child in children { child.write(to: &output, inRawTextElement: rawText) }
                output += "</" + name + ">"
            }
            if blockElements.contains(name.lowercased()) { output += "\n" }
        }
    }
}

/// Elements followed by a newline, to keep pages readable in a text editor.
private let blockElements: Set<String> = [
    "html", "head", "body", "title", "meta", "link", "script", "style",
    "header", "footer", "main", "nav", "section", "article", "aside", "div", "p", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "pre", "blockquote", "figure", "figcaption", "details", "summary", "form",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
]

/// Element content: `&`, `<`, `>` become character references; everything else, including
/// non-ASCII text, is written as UTF-8.
func escapeText(_ text: String) -> String {
    var escaped = ""
    escaped.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        default: escaped.unicodeScalars.append(scalar)
        }
    }
    return escaped
}

/// A double-quoted attribute value: `&`, `<`, `>`, `"`, `'` become character references.
func escapeAttribute(_ value: String) -> String {
    var escaped = ""
    escaped.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
    for scalar in value.unicodeScalars {
        switch scalar {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&#39;"
        default: escaped.unicodeScalars.append(scalar)
        }
    }
    return escaped
}

/// Text inside `script` or `style`, where the parser reads no character references and the
/// first `</script` ends the element: every `</` and `<!` is written `<\/` and `<\!`, which
/// JavaScript and JSON strings, and CSS, read as the same characters.
func escapeRawText(_ text: String) -> String {
    var escaped = ""
    var previousWasLessThan = false
    for scalar in text.unicodeScalars {
        if previousWasLessThan && (scalar == "/" || scalar == "!") { escaped += "\\" }
        escaped.unicodeScalars.append(scalar)
        previousWasLessThan = scalar == "<"
    }
    return escaped
}
