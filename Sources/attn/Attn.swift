import ArgumentParser
import Foundation
import Terminal

@main
struct Attn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attn",
        abstract: "Self-attention, traced step by step.",
        discussion: """
            attn computes scaled dot-product attention from a small YAML spec (tokens, \
            embeddings X, weights W_Q, W_K, W_V, heads, mask, …) and shows every number \
            being made: Q = X·W_Q, the scores ω = Q·Kᵀ, the scaling by √d_k, the mask, \
            the softmax weights α, and the context vectors Z = α·V.

            Start with:  attn trace examples/i-am-good.yaml --focus am
            The spec format is documented in docs/spec.md.
            """,
        version: "0.1.0",
        subcommands: [TraceCommand.self, BuildCommand.self, NewCommand.self, ServeCommand.self, WorksheetCommand.self, CheckCommand.self]
    )

    /// Runs the command as ArgumentParser would, then makes sure that what it printed
    /// reached standard output: `print` buffers, and a failed write (a full disk,
    /// `> /dev/full`) would otherwise be lost without a word and exit 0.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            // As ArgumentParser's exit(withError:): help and --version on standard output,
            // errors on standard error; but a failed write of the help fails too.
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
            } else if !message.isEmpty {
                StandardError.write(message + "\n")
            }
            finish(code.rawValue)
        }
        finish(0)
    }

    private static func finish(_ code: Int32) -> Never {
        if let problem = StandardOutput.flush() {
            StandardError.write("attn: cannot write the output: \(problem)\n")
            Foundation.exit(code == 0 ? 1 : code)
        }
        Foundation.exit(code)
    }
}
