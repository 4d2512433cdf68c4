import ArgumentParser
import AttentionEngine
import Diagnostics
import SpecLoader
import TraceFormat

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Compute attention for a spec and show every stage.",
        discussion: """
            Reads a YAML spec (see docs/spec.md) and prints each stage in order: input, \
            positional encoding, the projections Q, K, V, the scores ω, scaling by √d_k, \
            masking, the weights α (a softmax of each row) and the context vectors Z; \
            with several heads also their concatenation and the output projection.

            Formats:
              text     matrices with labels, for reading in a terminal (default)
              json     the full trace as JSON, for other tools (docs/trace-format.md)
              summary  one line per event: stage, head, name, shape

            With --focus, the text format also works out the arithmetic for one token: \
            each score as a sum of products, the softmax of its row (max, exp, sum) and \
            its context vector as a weighted sum of value rows.

            Examples:
              attn trace examples/i-am-good.yaml --focus am
              attn trace examples/i-am-good.yaml --format json > trace.json
              cat spec.yaml | attn trace - --decimals 2
            """
    )

    @Argument(help: ArgumentHelp("The spec file (YAML), or - to read standard input.", valueName: "file"))
    var file: String

    @Option(help: "Output format: text, json or summary.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Work out the arithmetic for this query token (its label, or #N for the N-th token counting from 0).", valueName: "token"))
    var focus: String?

    @Option(help: "Decimal places in the text format (0 to 12; JSON always keeps full precision).")
    var decimals: Int = 4

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, summary
    }

    func validate() throws {
        guard (0...12).contains(decimals) else {
            throw ValidationError("--decimals must be between 0 and 12, not \(decimals).")
        }
        if focus != nil && format != .text {
            throw ValidationError("--focus works with --format text only.")
        }
    }

    func run() throws {
        try reportingDiagnostics {
            let (text, path) = try readInput(file)
            let loaded = try SpecLoader.load(text, path: path).spec
            let trace = try loaded.trace()
            switch format {
            case .json:
                print(JSONTrace.encode(trace), terminator: "")
            case .summary:
                print(SummaryTrace.render(trace), terminator: "")
            case .text:
                let index = try focus.map { try focusIndex($0, in: loaded.spec.tokens) }
                print(TextTrace(decimals: decimals, focus: index).render(trace), terminator: "")
            }
        }
    }
}

/// `am` → the first token labelled "am"; `#2` → token 2.
func focusIndex(_ focus: String, in tokens: [String]) throws(Diagnostic) -> Int {
    if let index = tokens.firstIndex(of: focus) { return index }
    if focus.hasPrefix("#"), let n = Int(focus.dropFirst()), tokens.indices.contains(n) { return n }
    let hint = nearest(to: focus, in: tokens).map { "did you mean '\($0)'? " } ?? ""
    throw Diagnostic("--focus '\(focus)' is not one of the tokens: \(hint)the tokens are \(tokens.joined(separator: ", ")) (or use #0 … #\(tokens.count - 1))", at: nil)
}
