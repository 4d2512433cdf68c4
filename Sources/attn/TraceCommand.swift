import ArgumentParser
import AttentionEngine
import Diagnostics
import SpecLoader
import Terminal
import TraceFormat

extension Recording.Keep: ExpressibleByArgument {}

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

            With --keep focus, the trace keeps only the focus token's row of each \
            matrix (and a summary of the rest: its shape, least and greatest value); \
            with tiles: in the spec, no matrix of scores is ever whole, so long \
            sequences fit in memory. --focus then works with every format.

            An attention block copied out of a lesson traces as it is: its display \
            options are used where they make sense (focus and decimals, and show picks \
            the stages of the text format) unless --focus or --decimals say otherwise; \
            name, title and notation are for lesson pages and are ignored here.

            Examples:
              .build/release/attn trace examples/i-am-good.yaml --focus am
              .build/release/attn trace examples/i-am-good.yaml --format json > trace.json
              cat examples/i-am-good.yaml | .build/release/attn trace - --decimals 2
              .build/release/attn trace bench/specs/tiled16384.yaml --format summary --focus t0 --keep focus
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

    @Option(help: ArgumentHelp("Rows to keep: all (default), or focus: only the --focus token's rows, the rest summarised.", valueName: "rows"))
    var keep: Recording.Keep = .all

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, summary
    }

    /// JSON traces larger than this get a warning on standard error before they are written.
    static let largeOutput = 100_000_000

    func validate() throws {
        if let decimals, !(0...12).contains(decimals) {
            throw ValidationError("--decimals must be a whole number from 0 to 12, not \(decimals).")
        }
        if focus != nil && format != .text && keep != .focus {
            throw ValidationError("--focus works with --format text only, or with --keep focus.")
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
            // The focus token: --focus, else the block's focus: (the tiles' online softmax records it)
            let chosen = try focus.map { try focusIndex($0, in: spec.tokens) }
                ?? DisplayOptions(options, tokens: spec.tokens, present: Stage.allCases, decimals: 0...12).focus
            if keep == .focus && chosen == nil {
                throw Diagnostic("--keep focus needs a focus token: add --focus TOKEN", at: loaded.origin)
            }
            let trace = try loaded.trace(recording: Recording(focus: chosen, keep: keep))
            status.clear()
            switch format {
            case .json:
                let size = JSONTrace.estimatedBytes(trace)
                if size > Self.largeOutput {
                    StandardError.write("attn: warning: this JSON trace is about \(byteSize(size)) (\(grouped(trace.events.count)) "
                        + "events); --format summary, or the text format with --focus, print far less\n")
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
                var view = TextTrace(decimals: decimals ?? options.decimals ?? 4, focus: chosen)
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
