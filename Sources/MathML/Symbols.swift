import HTML

/// What a TeX command without arguments stands for.
enum Symbol: Sendable {
    /// `<mi>α</mi>`: italic when a single letter.
    case identifier(String)
    /// `<mi mathvariant="normal">Δ</mi>`: upright.
    case uprightIdentifier(String)
    /// `<mo>≤</mo>`.
    case `operator`(String)
    /// `<mo stretchy="false">{</mo>`; also allowed after `\left` and `\right`, where it grows.
    case fence(String)
    /// `<mo>∑</mo>`: limits go below and above it in display math.
    case largeOperator(String)
    /// `<mi>log</mi>` followed by U+2061 FUNCTION APPLICATION; `limits` as for large operators.
    case function(String, limits: Bool)
    /// `<mspace width="…">`.
    case space(width: String)
}

/// The commands without arguments, grouped as the reference lists them.
let symbolGroups: [(title: String, symbols: KeyValuePairs<String, Symbol>)] = [
    ("Greek, lowercase (italic)", [
        "alpha": .identifier("α"), "beta": .identifier("β"), "gamma": .identifier("γ"),
        "delta": .identifier("δ"), "epsilon": .identifier("ϵ"), "varepsilon": .identifier("ε"),
        "zeta": .identifier("ζ"), "eta": .identifier("η"), "theta": .identifier("θ"),
        "vartheta": .identifier("ϑ"), "iota": .identifier("ι"), "kappa": .identifier("κ"),
        "lambda": .identifier("λ"), "mu": .identifier("μ"), "nu": .identifier("ν"),
        "xi": .identifier("ξ"), "pi": .identifier("π"), "varpi": .identifier("ϖ"),
        "rho": .identifier("ρ"), "varrho": .identifier("ϱ"), "sigma": .identifier("σ"),
        "varsigma": .identifier("ς"), "tau": .identifier("τ"), "upsilon": .identifier("υ"),
        "phi": .identifier("ϕ"), "varphi": .identifier("φ"), "chi": .identifier("χ"),
        "psi": .identifier("ψ"), "omega": .identifier("ω"),
    ]),
    ("Greek, uppercase (upright)", [
        "Gamma": .uprightIdentifier("Γ"), "Delta": .uprightIdentifier("Δ"), "Theta": .uprightIdentifier("Θ"),
        "Lambda": .uprightIdentifier("Λ"), "Xi": .uprightIdentifier("Ξ"), "Pi": .uprightIdentifier("Π"),
        "Sigma": .uprightIdentifier("Σ"), "Upsilon": .uprightIdentifier("Υ"), "Phi": .uprightIdentifier("Φ"),
        "Psi": .uprightIdentifier("Ψ"), "Omega": .uprightIdentifier("Ω"),
    ]),
    ("Other symbols", ["infty": .identifier("∞"), "top": .identifier("⊤"), "ell": .identifier("ℓ")]),
    ("Operators and relations", [
        "cdot": .operator("⋅"), "times": .operator("×"), "odot": .operator("⊙"), "pm": .operator("±"),
        "in": .operator("∈"), "notin": .operator("∉"),
        "le": .operator("≤"), "leq": .operator("≤"), "ge": .operator("≥"), "geq": .operator("≥"),
        "ne": .operator("≠"), "neq": .operator("≠"), "approx": .operator("≈"), "propto": .operator("∝"),
        "to": .operator("→"), "rightarrow": .operator("→"), "leftarrow": .operator("←"), "mapsto": .operator("↦"),
        "ldots": .operator("…"), "cdots": .operator("⋯"),
    ]),
    ("Delimiters", [
        "{": .fence("{"), "}": .fence("}"), "|": .fence("‖"), "langle": .fence("⟨"), "rangle": .fence("⟩"),
    ]),
    ("Sums and products (limits below and above in display math)", [
        "sum": .largeOperator("∑"), "prod": .largeOperator("∏"),
    ]),
    ("Functions (upright; `\\max` and `\\min` put limits below in display math)", [
        "exp": .function("exp", limits: false), "log": .function("log", limits: false),
        "ln": .function("ln", limits: false), "sin": .function("sin", limits: false),
        "cos": .function("cos", limits: false), "tanh": .function("tanh", limits: false),
        "max": .function("max", limits: true), "min": .function("min", limits: true),
    ]),
    ("Spaces", [
        ",": .space(width: "0.1667em"), ":": .space(width: "0.2222em"), ";": .space(width: "0.2778em"),
        " ": .space(width: "0.25em"), "quad": .space(width: "1em"), "qquad": .space(width: "2em"),
    ]),
]

let symbols: [String: Symbol] = Dictionary(
    symbolGroups.flatMap { group in group.symbols.map { ($0.key, $0.value) } },
    uniquingKeysWith: { first, _ in first })

/// Commands that take arguments; the parser handles each by name.
let structuralCommands = ["frac", "sqrt", "text", "operatorname", "mathbf", "mathrm", "mathbb", "left", "right"]

/// ASCII characters that are operators: `<mo>`. A hyphen becomes a minus sign.
let operatorCharacters: Set<Unicode.Scalar> = ["+", "-", "=", "<", ">", ",", ";", ":", "!", "/", "."]

/// ASCII characters that are brackets: `<mo stretchy="false">`, growing only after `\left`/`\right`.
let fenceCharacters: Set<Unicode.Scalar> = ["(", ")", "[", "]", "|"]

/// The supported TeX subset as a Markdown table, for the authoring guide (docs/authoring.md#math).
/// Built from the same tables the parser uses, so it cannot drift from what is accepted.
public let texSubsetReference: String = {
    var rows = [
        "| Write | Result |",
        "|---|---|",
        "| letters `a`–`z`, `A`–`Z` | italic variables; `QK` is two variables |",
        "| digits, `3.14` | numbers |",
        "| `+ - = < > , ; : ! / .` | operators; `-` is a minus sign |",
        "| `( ) [ ] \\|` | brackets that keep their size |",
        "| `'` | a prime: `f'(x)` |",
        "| `x_i`, `x^2`, `x_i^2`, `q^{(i)}`, `K^\\top` | subscripts and superscripts: one character or command, or a `{group}` |",
        "| `{ … }` | grouping (not shown) |",
        "| `\\frac{a}{b}` | a fraction |",
        "| `\\sqrt{x}`, `\\sqrt[n]{x}` | roots |",
        "| `\\left( … \\right)` | brackets that grow with their content; after `\\left` and `\\right`: `( ) [ ] \\| .` or `\\{ \\} \\\\| \\langle \\rangle` (`.` is no bracket) |",
        "| `\\text{if }` | upright text, spaces kept; inside it only `\\{ \\} \\$ \\% \\& \\# \\_` |",
        "| `\\operatorname{softmax}` | a function name in upright letters |",
        "| `\\mathbf{x}`, `\\mathrm{d}`, `\\mathbb{R}` | bold, upright, double-struck letters (and digits) |",
    ]
    for group in symbolGroups {
        let entries = group.symbols.map { name, symbol in
            let command = "`\\" + (name == "|" ? "\\|" : name) + "`"
            switch symbol {
            case .identifier(let text), .uprightIdentifier(let text), .operator(let text), .fence(let text),
                 .largeOperator(let text):
                return command + " " + text
            case .function, .space:
                return command
            }
        }
        rows.append("| \(group.title) | " + entries.joined(separator: " · ") + " |")
    }
    return rows.joined(separator: "\n") + "\n"
}()

// MARK: - Letters in other fonts

enum Font {
    case normal, bold, upright, doubleStruck

    /// The character for an ASCII letter or digit in this font (Unicode's mathematical alphanumerics).
    func map(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        func offset(from base: Unicode.Scalar, to start: UInt32) -> Unicode.Scalar {
            Unicode.Scalar(start + value - base.value) ?? scalar
        }
        switch self {
        case .normal, .upright:
            return scalar
        case .bold:
            if ("A"..."Z").contains(scalar) { return offset(from: "A", to: 0x1D400) }
            if ("a"..."z").contains(scalar) { return offset(from: "a", to: 0x1D41A) }
            if ("0"..."9").contains(scalar) { return offset(from: "0", to: 0x1D7CE) }
            return scalar
        case .doubleStruck:
            // Letters that Unicode encoded before the mathematical block keep their old code points.
            let older: [Unicode.Scalar: Unicode.Scalar] = ["C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"]
            if let letter = older[scalar] { return letter }
            if ("A"..."Z").contains(scalar) { return offset(from: "A", to: 0x1D538) }
            if ("a"..."z").contains(scalar) { return offset(from: "a", to: 0x1D552) }
            if ("0"..."9").contains(scalar) { return offset(from: "0", to: 0x1D7D8) }
            return scalar
        }
    }
}
