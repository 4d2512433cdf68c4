import ArgumentParser

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
}
