import ArgumentParser
import AttentionEngine
import Diagnostics
import SpecLoader
import Terminal
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

            An attention block copied out of a lesson traces as it is: its display \
            options are used where they make sense (focus and decimals, and show picks \
            the stages of the text format) unless --focus or --decimals say otherwise; \
            name, title and notation are for lesson pages and are ignored here.

            Examples:
              .build/release/attn trace examples/i-am-good.yaml --focus am
              .build/release/attn trace examples/i-am-good.yaml --format json > trace.json
              cat examples/i-am-good.yaml | .build/release/attn trace - --decimals 2
            """
    )

    @Argument(help: ArgumentHelp("The spec file (YAML), or - to read standard input.", valueName: "file"))
    var file: String

    @Option(help: "Output format: text, json or summary.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Work out the arithmetic for this query token: its label, or #N for the N-th token counting from 0 (needed when a label repeats).", valueName: "token"))
    var focus: String?

    // `.unconditional`: `--decimals -1` is a wrong number to explain, not a missing value.
    @Option(parsing: .unconditional, help: ArgumentHelp("Decimal places in the text format, 0 to 12 (default 4, or the block's decimals:). JSON always keeps full precision.", valueName: "n"))
    var decimals: Int?

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, summary
    }

    /// JSON traces larger than this get a warning on standard error before they are written.
    static let largeOutput = 100_000_000

    func validate() throws {
        if let decimals, !(0...12).contains(decimals) {
            throw ValidationError("--decimals must be a whole number from 0 to 12, not \(decimals).")
        }
        if focus != nil && format != .text {
            throw ValidationError("--focus works with --format text only.")
        }
    }

    func run() throws {
        try reportingDiagnostics {
            let status = StatusLine()
            defer { status.clear() }
            status.show("reading \(file == "-" ? "the spec" : file)")
            let (text, path) = try readInput(file)
            let (loaded, options) = try SpecLoader.load(text, path: path, extraKeys: SpecLoader.displayOptions, allowSpecFile: true)
            let spec = loaded.spec
            status.show("tracing \(grouped(spec.tokens.count)) token\(spec.tokens.count == 1 ? "" : "s"), \(spec.heads) head\(spec.heads == 1 ? "" : "s")")
            let trace = try loaded.trace()
            status.clear()
            switch format {
            case .json:
                let size = JSONTrace.estimatedBytes(trace)
                if size > Self.largeOutput {
                    StandardError.write("attn: warning: this JSON trace is about \(byteSize(size)) (\(grouped(trace.events.count)) events); --format summary, or the text format with --focus, print far less\n")
                }
                var written = 0
                try JSONTrace.stream(trace) { (piece: String) throws(Diagnostic) in
                    try StandardOutput.write(piece)
                    written += piece.utf8.count
                    if size > 10_000_000 && !StandardOutput.isTerminal {
                        status.show("writing the JSON trace: \(min(99, 100 * written / size)) %")
                    }
                }
            case .summary:
                try StandardOutput.write(SummaryTrace.render(trace))
            case .text:
                let options = try DisplayOptions(options, tokens: spec.tokens, present: trace.events.map(\.stage), decimals: 0...12)
                var view = TextTrace(decimals: decimals ?? options.decimals ?? 4,
                                     focus: try focus.map { try focusIndex($0, in: spec.tokens) } ?? options.focus)
                view.stages = options.stages
                try StandardOutput.write(view.render(trace))
            }
        }
    }
}

/// `am` → the token labelled "am" (an error if several are); `#2` → token 2.
func focusIndex(_ focus: String, in tokens: [String]) throws(Diagnostic) -> Int {
    try TokenChoice(focus, in: tokens).index("--focus '\(focus)'", tokens: tokens, at: nil, example: { "--focus '#\($0)'" })
}
