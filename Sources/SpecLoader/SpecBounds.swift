import Diagnostics
import Yams

/// Limits on a spec that arrives from outside (the playground of `attn serve`), checked on
/// the YAML tree before anything is built: so that every accepted spec traces quickly and
/// reads no file. A spec over a bound gets a located message that names the bound.
public struct SpecBounds: Sendable, Equatable {
    /// Query tokens, and source tokens in cross-attention.
    public var tokens: Int
    /// d_model, d_k and d_v, heads × d_k and heads × d_v, and the length of any list.
    public var width: Int
    public var heads: Int
    /// YAML nodes in the whole document (aliases count every time they are used).
    public var nodes: Int
    /// Nesting of lists and mappings.
    public var depth: Int

    public init(tokens: Int = 64, width: Int = 256, heads: Int = 16, nodes: Int = 200_000, depth: Int = 12) {
        self.tokens = tokens
        self.width = width
        self.heads = heads
        self.nodes = nodes
        self.depth = depth
    }

    /// Throws the first bound `text` exceeds, or a file it would read (`spec: FILE`,
    /// `{file: …}`). Text that is not YAML passes: `SpecLoader.load` words that error.
    /// `path` names the text in messages.
    public func check(_ text: String, path: String) throws(Diagnostic) {
        let reader = Reader(path: path, line: 1, column: 1, baseDirectory: "")
        // Before libyaml sees it: nesting too deep for its recursive composer.
        if let place = Self.tooDeep(text, limit: depth) {
            throw Diagnostic("lists and mappings nest more than \(depth) deep here: a spec needs at most 3 (X: [[1, 0], [0, 1]])", at: reader.place(line: place.line, column: place.column))
        }
        guard case .success(let root?) = YAMLReading.compose(text) else { return }
        // The named bounds first (their messages are the clearest), then every value.
        guard let mapping = root.mapping else {
            var count = 0
            return try walk(root, depth: 0, count: &count, reader: reader)
        }
        func value(_ key: String, in mapping: Node.Mapping) -> (key: Node, value: Node)? {
            mapping.first { $0.key.scalar?.string == key }.map { ($0.key, $0.value) }
        }
        if let (key, _) = value("spec", in: mapping) {
            throw Diagnostic("spec: reads the spec from a file, and the playground reads no files: paste the file's text here instead", at: reader.place(key))
        }
        func tokenCount(_ node: Node?, _ name: String) throws(Diagnostic) {
            if let node, let items = node.sequence, items.count > tokens {
                throw Diagnostic("\(name) has \(items.count) tokens; the playground takes at most \(tokens)", at: reader.place(node))
            }
        }
        try tokenCount(value("tokens", in: mapping)?.value, "tokens")
        if let source = value("source", in: mapping)?.value.mapping {
            try tokenCount(value("tokens", in: source)?.value, "source.tokens")
        }
        func number(_ key: String) -> (Int, Node)? {
            guard let node = value(key, in: mapping)?.value, let text = node.scalar?.string, let n = Int(text) else { return nil }
            return (n, node)
        }
        for key in ["d_model", "d_k", "d_v"] {
            if let (n, node) = number(key), n > width {
                throw Diagnostic("\(key) is \(n); the playground takes at most \(width)", at: reader.place(node))
            }
        }
        let heads = number("heads")
        if let (n, node) = heads, n > self.heads {
            throw Diagnostic("heads is \(n); the playground takes at most \(self.heads)", at: reader.place(node))
        }
        if let (h, _) = heads, h > 0 {
            for key in ["d_k", "d_v"] {
                if let (n, node) = number(key), h * n > width {
                    throw Diagnostic("heads × \(key) is \(h) × \(n) = \(h * n); the playground takes at most \(width)", at: reader.place(node))
                }
            }
        }
        var count = 0
        try walk(root, depth: 0, count: &count, reader: reader)
    }

    private func walk(_ node: Node, depth: Int, count: inout Int, reader: Reader) throws(Diagnostic) {
        count += 1
        if depth > self.depth {
            throw Diagnostic("lists and mappings nest more than \(self.depth) deep here: a spec needs at most 3 (X: [[1, 0], [0, 1]])", at: reader.place(node))
        }
        if count > nodes {
            throw Diagnostic("the spec holds more than \(nodes) values: the playground takes at most \(tokens) tokens and widths up to \(width)", at: reader.place(node))
        }
        if let items = node.sequence {
            if items.count > max(width, tokens) {
                throw Diagnostic("a list of \(items.count) items: the playground takes lists of at most \(max(width, tokens)) (\(tokens) tokens, widths up to \(width))", at: reader.place(node))
            }
            for item in items { try walk(item, depth: depth + 1, count: &count, reader: reader) }
        } else if let mapping = node.mapping {
            for (key, value) in mapping {
                if key.scalar?.string == "file" {
                    throw Diagnostic("the playground reads no files: give the matrix as rows, such as [[1, 0], [0, 1]], or as {seed: N}", at: reader.place(key))
                }
                try walk(value, depth: depth + 1, count: &count, reader: reader)
            }
        }
    }

    /// The place where brackets (`[`, `{`) or block items (`- - -`) first nest deeper than
    /// `limit`, counting brackets inside quotes too (harmless: no spec needs so many).
    static func tooDeep(_ text: String, limit: Int) -> (line: Int, column: Int)? {
        var line = 1, column = 0, depth = 0, dashes = 0, atLineStart = true
        for c in text.unicodeScalars {
            column += 1
            switch c {
            case "\n": line += 1; column = 0; dashes = 0; atLineStart = true; continue
            case "[", "{": depth += 1
            case "]", "}": depth = max(0, depth - 1)
            case "-" where atLineStart: dashes += 1
            case " ", "\t": continue
            default: break
            }
            if c != "-" { atLineStart = false }
            if depth > limit || dashes > limit { return (line, column) }
        }
        return nil
    }
}
