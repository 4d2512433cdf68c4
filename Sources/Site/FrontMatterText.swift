import Diagnostics
import HTML
import MathML

/// A front-matter field (title, summary, objective) as the page shows it. Fields are plain
/// text with two marks: `$…$` is inline math, through the same TeX → MathML path as the
/// prose (`Why divide by $\sqrt{d_k}$`), and `` `…` `` is code (`masked_fill`); `\$` is a
/// dollar sign. `plain` is the same text for places that cannot hold markup (the page's
/// `<title>`, its description).
enum FrontMatterText {
    enum Piece: Equatable { case text(String), math(String), code(String) }

    static func pieces(_ field: String) -> [Piece] {
        var pieces: [Piece] = []
        var current = ""
        var mode: Character? = nil   // "$" or "`" while inside
        var escaped = false
        for c in field {
            if escaped { current.append(c); escaped = false; continue }
            if c == "\\" && mode != "`" && mode != "$" { escaped = true; continue }
            if c == "$" || c == "`", mode == nil || mode == c {
                if mode == nil {
                    if !current.isEmpty { pieces.append(.text(current)) }
                    mode = c
                } else {
                    pieces.append(c == "$" ? .math(current) : .code(current))
                    mode = nil
                }
                current = ""
                continue
            }
            current.append(c)
        }
        if let mode { current = String(mode) + current }   // an unclosed mark is text
        if !current.isEmpty { pieces.append(.text(current)) }
        return pieces
    }

    static func nodes(_ field: String, at location: SourceLocation?) throws(Diagnostic) -> [Node] {
        var nodes: [Node] = []
        for piece in pieces(field) {
            switch piece {
            case .text(let t): nodes.append(.text(t))
            case .code(let t): nodes.append(.element("code", [.text(t)]))
            case .math(let tex): nodes.append(try mathML(fromTeX: tex, display: false, at: location))
            }
        }
        return nodes
    }

    /// The field without marks, TeX made readable: `Why divide by √d_k`.
    static func plain(_ field: String) -> String {
        pieces(field).map { piece -> String in
            switch piece {
            case .text(let t), .code(let t): return t
            case .math(let tex):
                var t = tex
                for (command, symbol) in [("\\sqrt", "√"), ("\\cdot", "·"), ("\\top", "ᵀ"), ("\\omega", "ω"), ("\\alpha", "α"), ("\\odot", "⊙"),
                                          ("\\sum", "Σ"), ("\\operatorname", ""), ("\\text", ""), ("\\,", " "), ("\\mid", "|")] {
                    t = t.replacingOccurrences(of: command, with: symbol)
                }
                return t.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "").replacingOccurrences(of: "^", with: "")
            }
        }.joined()
    }
}
