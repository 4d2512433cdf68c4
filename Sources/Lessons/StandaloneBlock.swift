import Diagnostics
import Markdown

extension LessonParser {
    /// An attention block's text on its own, outside any lesson (the playground of
    /// `attn serve`): read, traced and checked by exactly the rules of a lesson's block,
    /// display options included. Locations are lines of `text`, named `path`.
    public static func standaloneBlock(_ text: String, path: String) throws(Diagnostic) -> AttentionBlock {
        let fence = FencedCode(info: "attention", name: "attention", arguments: "", literal: text,
                               contentStartLine: 1, isClosed: true)
        return try parseAttention(fence, path: path, ordinal: 1, location: SourceLocation(path: path, line: 1, column: 1))
    }
}
