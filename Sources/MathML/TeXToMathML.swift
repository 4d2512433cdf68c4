/// TeX math → MathML Core, for the formulas in attn's lessons.
///
/// A documented subset of TeX, not TeX: what the course needs, each piece mapped to the
/// MathML Core element Chromium renders. Anything else is an error that names the offending
/// command and its column. The full list is `texSubsetReference` (a Markdown table, for
/// docs/authoring.md#math); in short:
///
/// - letters → `<mi>` (italic), numbers such as `3.14` → one `<mn>`,
///   `+ - = < > , ; : ! / .` → `<mo>` (`-` is U+2212 MINUS SIGN), `( ) [ ] |` → `<mo stretchy="false">`
/// - `x_i`, `x^2`, `x_i^2`, `q^{(i)}`, `K^\top`, `f'` → `<msub>`, `<msup>`, `<msubsup>`;
///   `\sum`, `\prod`, `\max`, `\min` with limits → `<munderover>` etc. in display math
/// - `\frac{a}{b}` → `<mfrac>`, `\sqrt{x}` → `<msqrt>`, `\sqrt[n]{x}` → `<mroot>`,
///   `{…}` → `<mrow>`, `\left( … \right)` → `<mrow>` with growing brackets
/// - `\text{…}` → `<mtext>`, `\operatorname{softmax}` and `\exp \log \ln \sin \cos \tanh \max \min`
///   → upright `<mi>` followed by U+2061 FUNCTION APPLICATION
/// - `\mathbf{x}` → 𝐱 (Unicode mathematical bold), `\mathrm{d}` → `<mi mathvariant="normal">`,
///   `\mathbb{R}` → ℝ
/// - Greek `\alpha … \omega` (with `\varepsilon`, `\varphi`, …), `\Gamma … \Omega`, `\infty \top`,
///   `\cdot \times \odot \pm \in \notin \le \leq \ge \geq \ne \neq \approx \propto \to \rightarrow
///   \leftarrow \mapsto \ldots \cdots`, `\{ \} \| \langle \rangle`, spaces `\, \: \; \  \quad \qquad`
///
/// All text reaches the page through the HTML module's text nodes, so it is escaped.

import Diagnostics
import HTML

/// Converts TeX math to a `<math>` element (`display="block"` for display math).
///
/// `location` is where `source` starts in its file (the character after `$` or `$$`); errors
/// point at the offending character from there. Never traps: malformed input, deep nesting
/// and unknown commands are all diagnostics.
public func mathML(fromTeX source: String, display: Bool, at location: SourceLocation?) throws(Diagnostic) -> Node {
    var parser = TeXParser(source: source, display: display, origin: location)
    let children = try parser.parseFormula()
    return .element("math", display ? ["display": "block"] : [:], children)
}

/// Where the supported subset is documented, quoted in error messages.
let subsetDocumentation = "docs/authoring.md#math"

/// Groups and arguments may nest this deep: far more than any formula needs, and far from
/// the stack's end (a debug build's test thread overflows at about 800).
let maximumNesting = 50

/// A recursive-descent parser that reads TeX and builds MathML nodes as it goes.
struct TeXParser {
    private let scalars: [Unicode.Scalar]
    private let display: Bool
    private let origin: SourceLocation?
    /// The offset, in Unicode scalars, of the next character to read.
    private var position = 0
    private var nesting = 0
    /// The font letters are set in: changed by `\mathbf`, `\mathrm`, `\mathbb`.
    private var font = Font.normal

    init(source: String, display: Bool, origin: SourceLocation?) {
        self.scalars = Array(source.unicodeScalars)
        self.display = display
        self.origin = origin
    }

    mutating func parseFormula() throws(Diagnostic) -> [Node] {
        try parseList(until: .end)
    }

    // MARK: Tokens

    private enum Token: Equatable {
        case end
        case character(Unicode.Scalar)
        /// A command's name without the backslash: `alpha`, or one symbol such as `{` or `,`.
        /// Empty for a backslash at the very end.
        case command(String)
    }

    /// The next token after any white space, where it starts, and where it ends.
    private func peek() -> (token: Token, start: Int, end: Int) {
        var start = position
        while start < scalars.count, scalars[start].properties.isWhitespace { start += 1 }
        guard start < scalars.count else { return (.end, start, start) }
        guard scalars[start] == "\\" else { return (.character(scalars[start]), start, start + 1) }
        var end = start + 1
        while end < scalars.count, isASCIILetter(scalars[end]) { end += 1 }
        if end == start + 1, end < scalars.count { end += 1 }  // a one-symbol command: \{ \, \|
        let name = String(String.UnicodeScalarView(scalars[(start + 1)..<end]))
        return (.command(name.unicodeScalars.first?.properties.isWhitespace == true ? " " : name), start, end)
    }

    // MARK: Lists and atoms

    private enum Terminator {
        case end
        case brace(openedAt: Int)
        case bracket(openedAt: Int)
        case right(leftAt: Int)
    }

    /// Atoms up to the terminator; consumes a closing `}` or `]`, but not `\right`.
    private mutating func parseList(until terminator: Terminator) throws(Diagnostic) -> [Node] {
        var nodes: [Node] = []
        while true {
            let (token, start, end) = peek()
            switch (token, terminator) {
            case (.end, .end):
                return nodes
            case (.end, .brace(let opening)):
                throw error("unclosed '{': add a matching '}'", at: opening)
            case (.end, .bracket(let opening)):
                throw error("unclosed '[' after \\sqrt: add a matching ']'", at: opening)
            case (.end, .right(let left)):
                throw error("\\left without a matching \\right", at: left)
            case (.character("}"), .brace), (.character("]"), .bracket):
                position = end
                return nodes
            case (.character("}"), _):
                throw error("unexpected '}' without a matching '{'", at: start)
            case (.command("right"), .right):
                return nodes
            case (.command("right"), _):
                throw error("\\right without a matching \\left", at: start)
            default:
                nodes += try parseAtom()
            }
        }
    }

    /// What scripts attach to.
    private enum Base {
        case ordinary(Node)
        /// `\sum`: limits below and above in display math.
        case largeOperator(Node)
        /// `\log`, `\max`: followed by U+2061 FUNCTION APPLICATION.
        case function(Node, limits: Bool)

        var node: Node {
            switch self {
            case .ordinary(let node), .largeOperator(let node), .function(let node, _): node
            }
        }
    }

    /// A base with its subscript, superscript and primes.
    private mutating func parseAtom() throws(Diagnostic) -> [Node] {
        let (token, start, _) = peek()
        // Every recursion passes through here or through a command's argument, so
        // counting both bounds the depth of the parse.
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= maximumNesting else { throw tooDeep(at: start) }

        let base: Base
        switch token {
        case .character("_"), .character("^"), .character("'"):
            base = .ordinary(.element("mrow"))  // as in TeX, a script may have an empty base
        default:
            base = try parsePrimary(singleDigit: false)
        }

        var lower: Node?
        var upper: Node?
        var primes: [Node] = []
        scripts: while true {
            let (token, start, end) = peek()
            switch token {
            case .character("_"):
                guard lower == nil else { throw error("double subscript: use braces, as in x_{ij}", at: start) }
                position = end
                lower = try parseArgument(at: start, else: "'_' needs a subscript after it, as in x_{i}")
            case .character("^"):
                guard upper == nil else { throw error("double superscript: use braces, as in x^{ab}", at: start) }
                position = end
                upper = try parseArgument(at: start, else: "'^' needs a superscript after it, as in x^{2}")
            case .character("'"):
                guard upper == nil else { throw error("double superscript: write primes before '^', as in x'^{2}", at: start) }
                position = end
                primes.append(.element("mo", ["′"]))
            default:
                break scripts
            }
        }
        // A prime alone follows its base on the line: the glyph ′ is already raised, and as a
        // superscript it would be raised twice (and, in a subscript such as ω_{ij'}, push the
        // whole subscript down). With a subscript or a superscript too, it joins the superscript.
        if !primes.isEmpty, upper == nil, lower == nil, case .ordinary(let node) = base {
            return [.element("mrow", [node] + primes)]
        }
        if !primes.isEmpty { upper = row(primes + (upper.map { [$0] } ?? [])) }

        let limits: Bool
        switch base {
        case .ordinary: limits = false
        case .largeOperator: limits = display
        case .function(_, let hasLimits): limits = display && hasLimits
        }
        let scripted: Node
        switch (lower, upper) {
        case (nil, nil): scripted = base.node
        case (let sub?, nil): scripted = .element(limits ? "munder" : "msub", [base.node, sub])
        case (nil, let sup?): scripted = .element(limits ? "mover" : "msup", [base.node, sup])
        case (let sub?, let sup?): scripted = .element(limits ? "munderover" : "msubsup", [base.node, sub, sup])
        }
        guard case .function = base else { return [scripted] }
        // TeX puts a thin space between a function and a following variable, none before a bracket.
        let attributes: Attributes = startsWithOrdinary() ? ["rspace": "0.1667em"] : [:]
        return [scripted, .element("mo", attributes, ["\u{2061}"])]
    }

    /// A script or command argument: one character or command, or a `{group}`.
    private mutating func parseArgument(at start: Int, else message: String) throws(Diagnostic) -> Node {
        row(try parseArgumentNodes(at: start, else: message))
    }

    private mutating func parseArgumentNodes(at start: Int, else message: String) throws(Diagnostic) -> [Node] {
        switch peek().token {
        case .end, .character("}"), .character("^"), .character("_"), .character("'"), .command("right"):
            throw error(message, at: start)
        case .character("{"):
            return try parseGroup()
        default:
            // A group's atoms are counted in parseAtom; a bare argument (\frac\frac…) here.
            nesting += 1
            defer { nesting -= 1 }
            guard nesting <= maximumNesting else { throw tooDeep(at: peek().start) }
            return [try parsePrimary(singleDigit: true).node]
        }
    }

    /// `{…}`: its atoms, which the caller wraps in an `<mrow>` if it needs one node.
    private mutating func parseGroup() throws(Diagnostic) -> [Node] {
        let (_, start, end) = peek()
        position = end
        return try parseList(until: .brace(openedAt: start))
    }

    /// One letter, number, operator, group or command.
    private mutating func parsePrimary(singleDigit: Bool) throws(Diagnostic) -> Base {
        let (token, start, end) = peek()
        switch token {
        case .end:
            throw error("formula ends too early", at: start)
        case .character("{"):
            return .ordinary(row(try parseGroup()))
        case .character(let character) where isASCIILetter(character):
            position = end
            return .ordinary(identifier(character))
        case .character(let character) where isASCIIDigit(character):
            position = start
            return .ordinary(number(singleDigit: singleDigit))
        case .character(let character) where operatorCharacters.contains(character):
            position = end
            return .ordinary(.element("mo", [.text(character == "-" ? "−" : String(character))]))
        case .character(let character) where fenceCharacters.contains(character):
            position = end
            return .ordinary(.element("mo", ["stretchy": "false"], [.text(String(character))]))
        case .character(let character):
            throw error("unsupported character '\(character)' in math; see \(subsetDocumentation)", at: start)
        case .command(let name):
            position = end
            return try parseCommand(name, at: start)
        }
    }

    // MARK: Commands

    private mutating func parseCommand(_ name: String, at start: Int) throws(Diagnostic) -> Base {
        if let symbol = symbols[name] {
            switch symbol {
            case .identifier(let text): return .ordinary(.element("mi", [.text(text)]))
            case .uprightIdentifier(let text): return .ordinary(.element("mi", ["mathvariant": "normal"], [.text(text)]))
            case .operator(let text): return .ordinary(.element("mo", [.text(text)]))
            case .fence(let text): return .ordinary(.element("mo", ["stretchy": "false"], [.text(text)]))
            case .largeOperator(let text): return .largeOperator(.element("mo", [.text(text)]))
            case .function(let text, let limits): return .function(.element("mi", [.text(text)]), limits: limits)
            case .space(let width): return .ordinary(.element("mspace", ["width": .string(width)]))
            }
        }
        switch name {
        case "frac":
            let message = "\\frac needs two arguments, as in \\frac{a}{b}"
            let numerator = try parseArgument(at: start, else: message)
            let denominator = try parseArgument(at: start, else: message)
            return .ordinary(.element("mfrac", [numerator, denominator]))
        case "sqrt":
            let message = "\\sqrt needs an argument, as in \\sqrt{d_k}"
            let (token, bracket, end) = peek()
            if token == .character("[") {
                position = end
                let index = row(try parseList(until: .bracket(openedAt: bracket)))
                return .ordinary(.element("mroot", [try parseArgument(at: start, else: message), index]))
            }
            return .ordinary(.element("msqrt", try parseArgumentNodes(at: start, else: message)))
        case "text":
            return .ordinary(.element("mtext", [.text(try readText(at: start))]))
        case "operatorname":
            let name = try readOperatorName(at: start)
            let attributes: Attributes = name.unicodeScalars.count == 1 ? ["mathvariant": "normal"] : [:]
            return .function(.element("mi", attributes, [.text(name)]), limits: false)
        case "mathbf", "mathrm", "mathbb":
            let saved = font
            font = name == "mathbf" ? .bold : name == "mathrm" ? .upright : .doubleStruck
            defer { font = saved }
            return .ordinary(try parseArgument(at: start, else: "\\\(name) needs an argument, as in \\\(name){x}"))
        case "left":
            return .ordinary(try parseLeftRight(at: start))
        case "right":
            throw error("\\right without a matching \\left", at: start)
        case "":
            throw error("'\\' at the end of the formula: write a command after it, as in \\alpha", at: start)
        default:
            let known = (Array(symbols.keys) + structuralCommands).filter { $0.first?.isLetter == true }.sorted()
            let suggestion = nearest(to: name, in: known).map { " (did you mean \\\($0)?)" } ?? ""
            throw error("unknown TeX command \\\(name)\(suggestion); see \(subsetDocumentation) for the supported subset", at: start)
        }
    }

    /// `\left( … \right)`: an mrow whose first and last operators grow with its content.
    private mutating func parseLeftRight(at left: Int) throws(Diagnostic) -> Node {
        let opening = try readDelimiter(after: "\\left", at: left)
        let body = try parseList(until: .right(leftAt: left))
        let (_, right, end) = peek()  // parseList stopped at \right
        position = end
        let closing = try readDelimiter(after: "\\right", at: right)
        let fence = { (text: String?) -> [Node] in text.map { [.element("mo", [.text($0)])] } ?? [] }
        return .element("mrow", fence(opening) + body + fence(closing))
    }

    /// The delimiter after `\left` or `\right`; nil for `.`, which means none.
    private mutating func readDelimiter(after command: String, at start: Int) throws(Diagnostic) -> String? {
        let (token, found, end) = peek()
        let delimiter: String??
        switch token {
        case .character("."): delimiter = .some(nil)
        case .character(let character) where fenceCharacters.contains(character): delimiter = String(character)
        case .command(let name):
            if case .fence(let text) = symbols[name] { delimiter = text } else { delimiter = nil }
        default: delimiter = nil
        }
        guard let delimiter else {
            throw error("\(command) needs a delimiter after it: ( ) [ ] | . \\{ \\} \\| \\langle \\rangle",
                        at: token == .end ? start : found)
        }
        position = end
        return delimiter
    }

    /// The raw text of `\text{…}`: white space runs become one no-break space (so that
    /// `\text{if }` keeps its space), inner braces group, and `\{ \} \$ \% \& \# \_` are literal.
    private mutating func readText(at command: Int) throws(Diagnostic) -> String {
        let opening = try expectBrace(after: "\\text", at: command, example: "\\text{if }")
        var text = String.UnicodeScalarView()
        var depth = 0
        while position < scalars.count {
            let scalar = scalars[position]
            position += 1
            switch scalar {
            case "{":
                depth += 1
            case "}" where depth == 0:
                return String(text)
            case "}":
                depth -= 1
            case "\\":
                guard position < scalars.count, "{}$%&#_".unicodeScalars.contains(scalars[position]) else {
                    throw error("inside \\text{…} only \\{ \\} \\$ \\% \\& \\# \\_ may follow a backslash", at: position - 1)
                }
                text.append(scalars[position])
                position += 1
            case _ where scalar.properties.isWhitespace:
                if text.last != "\u{A0}" { text.append("\u{A0}") }
            default:
                text.append(scalar)
            }
        }
        throw error("unclosed '{': add a matching '}'", at: opening)
    }

    /// The letters of `\operatorname{…}`.
    private mutating func readOperatorName(at command: Int) throws(Diagnostic) -> String {
        let example = "as in \\operatorname{softmax}"
        let opening = try expectBrace(after: "\\operatorname", at: command, example: "\\operatorname{softmax}")
        var name = String.UnicodeScalarView()
        while position < scalars.count, isASCIILetter(scalars[position]) {
            name.append(scalars[position])
            position += 1
        }
        guard position < scalars.count else { throw error("unclosed '{': add a matching '}'", at: opening) }
        guard scalars[position] == "}", !name.isEmpty else {
            throw error("\\operatorname takes letters only, \(example)", at: position)
        }
        position += 1
        return String(name)
    }

    /// Consumes the `{` that must follow a command; returns its offset.
    private mutating func expectBrace(after command: String, at start: Int, example: String) throws(Diagnostic) -> Int {
        let (token, brace, end) = peek()
        guard token == .character("{") else {
            throw error("\(command) needs a braced argument, as in \(example)", at: start)
        }
        position = end
        return brace
    }

    // MARK: Tokens to nodes

    private func identifier(_ letter: Unicode.Scalar) -> Node {
        let text = String(font.map(letter))
        return font == .upright ? .element("mi", ["mathvariant": "normal"], [.text(text)]) : .element("mi", [.text(text)])
    }

    /// Digits, with one decimal point followed by a digit: `3.14`. One digit in scripts, as in TeX.
    private mutating func number(singleDigit: Bool) -> Node {
        var digits = String.UnicodeScalarView([font.map(scalars[position])])
        position += 1
        var seenPoint = false
        while !singleDigit, position < scalars.count {
            if isASCIIDigit(scalars[position]) {
                digits.append(font.map(scalars[position]))
                position += 1
            } else if scalars[position] == ".", !seenPoint, position + 1 < scalars.count, isASCIIDigit(scalars[position + 1]) {
                digits.append(".")
                position += 1
                seenPoint = true
            } else {
                break
            }
        }
        return .element("mn", [.text(String(digits))])
    }

    /// Whether the next token starts something a function name is spaced from (a variable,
    /// number, command or group), rather than a bracket, operator or the end.
    private func startsWithOrdinary() -> Bool {
        switch peek().token {
        case .character(let character):
            return isASCIILetter(character) || isASCIIDigit(character) || character == "{"
        case .command(let name):
            switch symbols[name] {
            case .identifier?, .uprightIdentifier?, .largeOperator?, .function?: return true
            case .operator?, .fence?, .space?: return false
            case nil: return !["left", "right"].contains(name)
            }
        case .end:
            return false
        }
    }

    private func tooDeep(at offset: Int) -> Diagnostic {
        error("formula nested more than \(maximumNesting) levels deep", at: offset)
    }

    private func error(_ message: String, at offset: Int) -> Diagnostic {
        Diagnostic(message, at: location(at: offset))
    }

    /// The file location of the character at `offset`, counting from `origin`.
    private func location(at offset: Int) -> SourceLocation? {
        guard let origin else { return nil }
        var line = origin.line
        var column = origin.column
        for scalar in scalars[..<min(offset, scalars.count)] {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(path: origin.path, line: line, column: column)
    }
}

/// A single node as is, several in an `<mrow>`.
private func row(_ nodes: [Node]) -> Node {
    nodes.count == 1 ? nodes[0] : .element("mrow", nodes)
}

private func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
}

private func isASCIIDigit(_ scalar: Unicode.Scalar) -> Bool {
    ("0"..."9").contains(scalar)
}
