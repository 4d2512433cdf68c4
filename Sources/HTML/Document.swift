/// A whole page: `<!DOCTYPE html>` and the `html` element.
public struct Document: Hashable, Sendable {
    /// The `html` element.
    public var root: Node

    /// A page whose root is the given `html` element.
    public init(root: Node) {
        if case .element(let name, _, _) = root.content {
            precondition(name.lowercased() == "html", "a Document's root must be <html>, not <\(name)>")
        } else {
            preconditionFailure("a Document's root must be an <html> element")
        }
        self.root = root
    }

    /// `<html lang="…"><head><meta charset="utf-8">…</head><body>…</body></html>`.
    public init(lang: String = "en", head: [Node], body: [Node]) {
        let charset = Node.element("meta", ["charset": "utf-8"])
        self.init(root: .element("html", ["lang": .string(lang)], [
            .element("head", [charset] + head),
            .element("body", body),
        ]))
    }

    /// The page as text, ending in a newline.
    public func render() -> String {
        root.render(after: "<!DOCTYPE html>\n")
    }
}
