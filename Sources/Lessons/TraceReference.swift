import AttentionEngine
import Diagnostics
import SpecLoader

/// A number (or row) of a trace named in prose: `{{ alpha[am, good] }}`.
///
/// Grammar (docs/authoring.md):
///
///     reference := [block ":"] matrix ["@" head] ["[" row ["," column] "]"] ["." part]
///
/// - `block`: the `name` of an attention block in the same lesson; default: the nearest
///   block above the reference.
/// - `matrix`: an event name (`X`, `Q`, `K`, `V`, `ω`, `ω_scaled`, `ω_masked`, `α`, `Z`,
///   `Z_concat`, `O`, `X_pos`, …) or its ASCII spelling (`omega`/`scores`, `omega_scaled`/`scaled`,
///   `omega_masked`/`masked`, `alpha`/`weights`, `z`/`context`, `concat`, `output`); a weight (`W_Q`, `W_K`, `W_V`, `W_O`);
///   or a size (`d_k`, `d_v`, `d_model`, `heads`, `n`, `sqrt_d_k`, `kv_heads`, and
///   `cache_per_token` = kv_heads·(d_k + d_v), the numbers a KV cache keeps per token), which takes no brackets.
/// - `head`: which head (default 0).
/// - `row`, `column`: labels (a token such as `am`, or a dimension such as `0`), or `#i` for
///   the i-th row or column counting from 0. Quote a label holding `,` `]` or spaces:
///   `"New York"`. With a row only, the reference is that whole row.
/// - `part` explains a softmax cell: `max` (the row maximum), `shifted` (score − max),
///   `exp` (its exponential), `sum` (Σ exp of the row) or `score` (the score itself).
///   On a softmax backward cell (`dω_scaled`, or `dω` without scaling) `rowsum` is its
///   row's Σ_k α_k·dα_k.
public struct TraceReference: Sendable, Hashable, CustomStringConvertible {
    public var block: String?
    public var matrix: String
    public var head: Int?
    public var row: String?
    public var column: String?
    public var part: String?
    public let text: String

    public var description: String { text }

    /// The ASCII spellings of event names, in the order error messages list them.
    static let asciiSpellings: [(name: String, spellings: [String])] = [
        ("ω", ["omega", "scores"]), ("ω_scaled", ["omega_scaled", "scaled"]), ("ω_masked", ["omega_masked", "masked"]), ("α_dropout", ["alpha_dropout", "dropout"]),
        ("α", ["alpha", "weights"]), ("Z", ["z", "context"]), ("Z_concat", ["concat"]), ("O", ["output"]),
    ]
    static let aliases: [String: String] = Dictionary(uniqueKeysWithValues: asciiSpellings.flatMap { entry in entry.spellings.map { ($0, entry.name) } })
    static let weights = ["W_Q", "W_K", "W_V", "W_O"]
    static let sizes = ["d_k", "d_v", "d_model", "heads", "n", "sqrt_d_k", "kv_heads", "cache_per_token"]
    static let parts = HandWork.Part.allCases.map(\.rawValue) + ["rowsum"]

    /// Parses the text between `{{` and `}}`.
    public static func parse(_ text: String, at location: SourceLocation) throws(Diagnostic) -> TraceReference {
        var rest = Substring(text.trimmingWhitespace())
        let usage = "write a trace reference like {{ alpha[am, good] }}, {{ block:Z@1[am] }} or {{ d_k }}"
        var reference = TraceReference(block: nil, matrix: "", head: nil, row: nil, column: nil, part: nil, text: String(rest))
        // Block names may hold '-'; matrix names never do, so one scan serves both.
        func name(_ s: inout Substring) -> String {
            let n = s.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            s = s.dropFirst(n.count)
            return String(n)
        }
        var first = name(&rest)
        if rest.first == ":" {
            reference.block = first
            rest = rest.dropFirst()
            first = name(&rest)
        }
        guard !first.isEmpty else { throw Diagnostic("empty trace reference {{ \(text) }}: \(usage)", at: location) }
        if reference.block == nil, first.first?.isNumber == true {
            throw Diagnostic("{{ \(text) }} is a number, not a trace reference: cite a traced value such as {{ alpha[am, good] }}, so that no number is typed by hand", at: location)
        }
        reference.matrix = aliases[first] ?? first
        if rest.first == "@" {
            rest = rest.dropFirst()
            let digits = rest.prefix(while: \.isNumber)
            guard let head = Int(digits) else { throw Diagnostic("'@' must be followed by a head number in {{ \(text) }}", at: location) }
            reference.head = head
            rest = rest.dropFirst(digits.count)
        }
        if rest.first == "[" {
            rest = rest.dropFirst()
            var labels: [String] = []
            while true {
                rest = rest.drop { $0 == " " }
                var label = ""
                if rest.first == "\"" {
                    rest = rest.dropFirst()
                    label = String(rest.prefix { $0 != "\"" })
                    rest = rest.dropFirst(label.count)
                    guard rest.first == "\"" else { throw Diagnostic("unclosed quote in {{ \(text) }}", at: location) }
                    rest = rest.dropFirst()
                } else {
                    label = String(rest.prefix { $0 != "," && $0 != "]" }).trimmingWhitespace()
                    rest = rest.dropFirst(rest.prefix { $0 != "," && $0 != "]" }.count)
                }
                labels.append(label)
                rest = rest.drop { $0 == " " }
                if rest.first == "," { rest = rest.dropFirst(); continue }
                if rest.first == "]" { rest = rest.dropFirst(); break }
                throw Diagnostic("expected ',' or ']' in {{ \(text) }}: \(usage)", at: location)
            }
            guard (1...2).contains(labels.count), !labels.contains(where: \.isEmpty) else {
                throw Diagnostic("give one or two labels in brackets, [row] or [row, column], in {{ \(text) }}", at: location)
            }
            reference.row = labels[0]
            reference.column = labels.count == 2 ? labels[1] : nil
        }
        if rest.first == "." {
            rest = rest.dropFirst()
            let part = name(&rest)
            guard parts.contains(part) else {
                throw Diagnostic("unknown part '.\(part)' in {{ \(text) }}: "
                    + "a softmax cell has .\(parts.dropLast().joined(separator: ", .")); "
                    + "a softmax backward cell (dω_scaled) has .rowsum", at: location)
            }
            reference.part = part
        }
        guard rest.trimmingWhitespace().isEmpty else {
            throw Diagnostic("unexpected '\(rest.trimmingWhitespace())' in {{ \(text) }}: \(usage)", at: location)
        }
        return reference
    }
}

/// What a reference stands for.
public enum ReferenceValue: Sendable, Equatable {
    case number(Double)
    case integer(Int)
    case vector([Double])
}

/// The cell of a trace a reference was read from: its event, row, column and, for a
/// softmax cell, the part (max, exp, …). Views explain it (`Worked`), answer boxes bound
/// the hand work behind it (`HandWork`), without looking the reference up again.
public struct ResolvedCell: Sendable {
    public let event: TraceEvent
    public let row: Int
    public let column: Int
    public let part: HandWork.Part?
}

/// A reference looked up: its value, and the cell it came from when it names one cell of
/// an event (not a size, a weight or a whole row).
public struct Resolution: Sendable {
    public let value: ReferenceValue
    public let cell: ResolvedCell?
}

extension TraceReference {
    /// Looks the reference up in a block's trace.
    public func resolve(in block: AttentionBlock, at location: SourceLocation) throws(Diagnostic) -> Resolution {
        let spec = block.spec
        if Self.sizes.contains(matrix) {
            guard row == nil, part == nil else { throw Diagnostic("\(matrix) is a number: write {{ \(matrix) }} without brackets", at: location) }
            switch matrix {
            case "d_k": return Resolution(value: .integer(spec.dK), cell: nil)
            case "d_v": return Resolution(value: .integer(spec.dV), cell: nil)
            case "d_model": return Resolution(value: .integer(spec.dModel), cell: nil)
            case "heads": return Resolution(value: .integer(spec.heads), cell: nil)
            case "n": return Resolution(value: .integer(spec.tokens.count), cell: nil)
            case "kv_heads": return Resolution(value: .integer(spec.kvHeadCount), cell: nil)
            // Numbers a KV cache holds per token (one layer): a key and a value per K/V head.
            case "cache_per_token": return Resolution(value: .integer(spec.kvHeadCount * (spec.dK + spec.dV)), cell: nil)
            default: return Resolution(value: .number(Double(spec.dK).squareRoot()), cell: nil)
            }
        }
        if let h = head, h >= spec.heads {
            throw Diagnostic("head \(h) does not exist in {{ \(text) }}: block '\(block.displayName)' has \(spec.heads) head\(spec.heads == 1 ? "" : "s"), numbered from 0", at: location)
        }
        let (values, rows, columns, event) = try lookUp(block, location)
        guard let row else {
            if values.rows == 1 && values.columns == 1 {
                return Resolution(value: .number(values[0, 0]), cell: event.map { ResolvedCell(event: $0, row: 0, column: 0, part: nil) })
            }
            throw Diagnostic("{{ \(text) }} is a whole \(values.rows)×\(values.columns) matrix: name a cell, e.g. {{ \(matrix)[\(rows.first ?? "#0"), \(columns.first ?? "#0")] }}", at: location)
        }
        let i = try index(row, in: rows, what: "row", of: values.rows, location)
        guard let column else {
            if let part { throw Diagnostic("a part such as .\(part) needs a cell: {{ \(matrix)[\(row), …].\(part) }}", at: location) }
            return Resolution(value: .vector(Array(values.row(i))), cell: nil)
        }
        let j = try index(column, in: columns, what: "column", of: values.columns, location)
        guard let part else {
            return Resolution(value: .number(values[i, j]), cell: event.map { ResolvedCell(event: $0, row: i, column: j, part: nil) })
        }
        if part == "rowsum" {
            guard let event, case .gradient(.softmax(let row, _, _)) = event.explain(row: i, column: j) else {
                throw Diagnostic(".rowsum is the Σ α·dα of a softmax backward row: use it with dω_scaled, e.g. {{ dω_scaled[\(row), \(column)].rowsum }}", at: location)
            }
            return Resolution(value: .number(row.rowSum), cell: nil)
        }
        guard let event, case .softmax(let work, _, _) = event.explain(row: i, column: j), let piece = HandWork.Part(rawValue: part) else {
            throw Diagnostic(".\(part) explains a softmax cell: use it with α, e.g. {{ alpha[\(row), \(column)].\(part) }}", at: location)
        }
        let value: Double
        switch piece {
        case .max: value = work.maximum
        case .shifted: value = work.shifted[j]
        case .exp: value = work.exponentials[j]
        case .sum: value = work.sum
        case .score: value = work.scores[j]
        }
        return Resolution(value: .number(value), cell: ResolvedCell(event: event, row: i, column: j, part: piece))
    }

    private func lookUp(_ block: AttentionBlock, _ location: SourceLocation) throws(Diagnostic) -> (Matrix, [String], [String], TraceEvent?) {
        let trace = block.trace
        if matrix.hasPrefix("W_") {
            let spec = block.spec
            let weights: [String: Matrix?] = ["W_Q": spec.projection?.W_Q, "W_K": spec.projection?.W_K,
                                              "W_V": spec.projection?.W_V, "W_O": spec.output?.W_O]
            guard let found = weights[matrix] else {
                // Only a difference of case: W_Z is as near to W_Q as to W_K, W_V and W_O.
                let hint = Self.weights.first { $0.lowercased() == matrix.lowercased() }.map { "did you mean '\($0)'? " } ?? ""
                throw Diagnostic("unknown weight \(matrix) in {{ \(text) }}: \(hint)the weights are W_Q, W_K, W_V and W_O", at: location)
            }
            guard let m = found else { throw Diagnostic("block '\(block.displayName)' has no \(matrix)", at: location) }
            let labels = { (n: Int) in (0..<n).map(String.init) }
            return (m, labels(m.rows), labels(m.columns), nil)
        }
        let candidates = trace.events.filter { $0.name == matrix }
        guard !candidates.isEmpty else {
            let (accepted, listed) = Self.acceptedNames(in: block)
            let hint = nearest(to: matrix, in: accepted).map { "did you mean '\($0)'? " } ?? ""
            throw Diagnostic("block '\(block.displayName)' has no \(matrix) in {{ \(text) }}: \(hint)it has \(listed)", at: location)
        }
        // A decode step's events (ω_t, α_t, z_t, cache) repeat once per token: pick the step whose row is named.
        let inHead = candidates.filter { $0.head == (head ?? 0) }
        let stepped = row.flatMap { row in inHead.first { $0.stage == .decoding && $0.rowLabels == [row] } }
        guard let event = stepped ?? inHead.first ?? candidates.first(where: { $0.head == nil }) else {
            throw Diagnostic("block '\(block.displayName)' has no \(matrix) in head \(head ?? 0) for {{ \(text) }}", at: location)
        }
        if head != nil && event.head == nil {
            throw Diagnostic("\(matrix) belongs to no head: write {{ \(matrix)[…] }} without @", at: location)
        }
        return (event.values, event.rowLabels, event.columnLabels, event)
    }

    /// Every name a reference to `block` may use — its events' names and their ASCII
    /// spellings, its weights, the sizes — and the same as a list for a message:
    /// `X, Q, K, V, ω (omega, scores), …, the weights W_Q, W_K, W_V and the sizes d_k, …`.
    static func acceptedNames(in block: AttentionBlock) -> (names: [String], listed: String) {
        var events: [String] = []
        for event in block.trace.events where !events.contains(event.name) { events.append(event.name) }
        let spellings = Dictionary(asciiSpellings.map { ($0.name, $0.spellings) }, uniquingKeysWith: { a, _ in a })
        let present: [String: Bool] = ["W_Q": block.spec.projection != nil, "W_K": block.spec.projection != nil,
                                       "W_V": block.spec.projection != nil, "W_O": block.spec.output != nil]
        let weights = Self.weights.filter { present[$0] == true }
        // On a tie the first wins: ASCII spellings and weights before the one-letter event names (WQ → W_Q, not Q).
        let names = events.flatMap { spellings[$0] ?? [] } + weights + sizes + events
        var parts = [events.map { name in spellings[name].map { "\(name) (\($0.joined(separator: ", ")))" } ?? name }.joined(separator: ", ")]
        if !weights.isEmpty { parts.append("the weights " + weights.joined(separator: ", ")) }
        let listed = parts.joined(separator: ", ") + " and the sizes " + sizes.joined(separator: ", ")
        return (names, listed)
    }

    private func index(_ label: String, in labels: [String], what: String, of count: Int, _ location: SourceLocation) throws(Diagnostic) -> Int {
        switch TokenChoice(label, in: labels) {
        case .found(let i):
            return i
        case .ambiguous(let matches):
            throw Diagnostic("'\(label)' is \(what)s \(matches.map { "#\($0)" }.joined(separator: ", ")) of \(matrix) in {{ \(text) }}: "
                + "the label is repeated, so pick one by number, e.g. #\(matches[matches.count - 1])", at: location)
        case .unknown(let near):
            let shown = labels.count > 12 ? labels.prefix(12).joined(separator: ", ") + ", …" : labels.joined(separator: ", ")
            let hint = near.map { "did you mean '\($0)'? " } ?? ""
            throw Diagnostic("no \(what) '\(label)' in {{ \(text) }}: \(hint)the \(what)s of \(matrix) are \(shown) (or #0 … #\(count - 1))", at: location)
        }
    }
}
