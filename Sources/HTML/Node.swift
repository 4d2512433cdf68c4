import Markdown

/// A piece of an HTML document: an element, text, or markup that libcmark-gfm rendered.
///
/// Text and attribute values are escaped when the tree is serialized (`render()`, the one
/// serializer), so a tree built from user input cannot inject markup. The only way to put
/// markup into a page verbatim is `Node.markdown(_:)`, which takes a `RenderedHTML`: a
/// type only the Markdown module can make, from cmark's output. No string becomes markup.
///
///     Node.element("p", ["class": "note"], ["Scores use ", .element("code", ["q·k"])])
public struct Node: Hashable, Sendable {
    enum Content: Hashable, Sendable {
        case element(name: String, attributes: Attributes, children: [Node])
        case text(String)
        case trustedHTML(String)
        case fragment([Node])
    }

    let content: Content

    /// An element. Names come from code, never from users: an invalid name, or children
    /// given to a void element such as `br`, is a programming error and traps.
    public static func element(_ name: String, _ attributes: Attributes = [:], _ children: [Node] = []) -> Node {
        precondition(isValidElementName(name), "invalid HTML element name '\(name)'")
        precondition(children.isEmpty || !isVoidElement(name), "<\(name)> is a void element and cannot have children")
        return Node(content: .element(name: name, attributes: attributes, children: children))
    }

    /// An element without attributes: `.element("li", ["one"])`.
    public static func element(_ name: String, _ children: [Node]) -> Node {
        element(name, [:], children)
    }

    /// Text, escaped when serialized. String literals are text too: `.element("p", ["a < b"])`.
    public static func text(_ text: String) -> Node {
        Node(content: .text(text))
    }

    /// Several nodes side by side, without a wrapping element.
    public static func fragment(_ nodes: [Node]) -> Node {
        Node(content: .fragment(nodes))
    }

    /// Markup libcmark-gfm rendered, written to the page as it is. cmark renders without
    /// `CMARK_OPT_UNSAFE` unless an instructor opts in (`--allow-raw-html`), so raw HTML in
    /// lessons is dropped; everything else goes through `text(_:)` and is escaped.
    public static func markdown(_ html: RenderedHTML) -> Node {
        Node(content: .trustedHTML(html.html))
    }
}

extension Node: ExpressibleByStringInterpolation {
    /// A string literal is a text node (escaped when serialized).
    public init(stringLiteral value: String) {
        self = .text(value)
    }
}

/// The value of one attribute: a string, or a boolean attribute such as `open`.
public enum AttributeValue: Hashable, Sendable, ExpressibleByStringInterpolation, ExpressibleByBooleanLiteral {
    /// `name="value"`, escaped when serialized.
    case string(String)
    /// `true` writes the bare name (`<details open>`); `false` leaves the attribute out.
    case boolean(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
}

/// An element's attributes, serialized in the order given: `["class": "trace", "open": true]`.
public struct Attributes: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    /// Name and value, in order; a nil value is a boolean attribute written as its bare name.
    private(set) var list: [(name: String, value: String?)] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, AttributeValue)...) {
        for (name, value) in elements { add(name, value) }
    }

    /// Adds an attribute after the existing ones. Names come from code: an invalid or
    /// repeated name traps. `.boolean(false)` adds nothing.
    public mutating func add(_ name: String, _ value: AttributeValue) {
        precondition(isValidAttributeName(name), "invalid HTML attribute name '\(name)'")
        precondition(!list.contains { $0.name.utf8.elementsEqual(name.utf8) { $0 | 0x20 == $1 | 0x20 } }, "duplicate HTML attribute '\(name)'")
        switch value {
        case .string(let string): list.append((name, string))
        case .boolean(true): list.append((name, nil))
        case .boolean(false): break
        }
    }

    public var isEmpty: Bool { list.isEmpty }

    public static func == (lhs: Attributes, rhs: Attributes) -> Bool {
        lhs.list.elementsEqual(rhs.list) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for (name, value) in list {
            hasher.combine(name)
            hasher.combine(value)
        }
    }
}

/// Elements that have no end tag and no children.
func isVoidElement(_ name: String) -> Bool {
    isVoid(lowercased: asciiLowercased(name))
}

/// `isVoidElement` for a lowercase name. A `switch` on short strings compares them without
/// hashing, which matters: the serializer asks for every element of every page.
func isVoid(lowercased name: String) -> Bool {
    switch name {
    case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr": true
    default: false
    }
}

/// An ASCII letter, then ASCII letters, digits and hyphens (`h1`, `mfrac`, `my-widget`).
func isValidElementName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, isASCIILetter(first) else { return false }
    return name.unicodeScalars.allSatisfy { isASCIILetter($0) || isASCIIDigit($0) || $0 == "-" }
}

/// An ASCII letter, then ASCII letters, digits, `-`, `_`, `:` and `.` (`data-step`, `xml:lang`).
func isValidAttributeName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, isASCIILetter(first) else { return false }
    return name.unicodeScalars.allSatisfy { isASCIILetter($0) || isASCIIDigit($0) || "-_:.".unicodeScalars.contains($0) }
}

private func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
}

private func isASCIIDigit(_ scalar: Unicode.Scalar) -> Bool {
    ("0"..."9").contains(scalar)
}
