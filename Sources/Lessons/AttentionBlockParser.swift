import AttentionEngine
import Diagnostics
import Foundation
import Markdown
import SpecLoader
import Yams

/// ```` ```attention ```` blocks: a spec (or `spec: file`) and its display options
/// (docs/authoring.md), traced; and the diagnosis of a block left open.
extension LessonParser {
    static func parseAttention(_ fence: FencedCode, path: String, ordinal: Int, location: SourceLocation) throws(Diagnostic) -> AttentionBlock {
        // `spec: specs/x.yaml` takes the spec from a file (relative to the lesson); matrix
        // files (`X: {file: data/x.csv}`) are relative to the file that names them.
        let (loaded, extras) = try SpecLoader.load(fence.literal, path: path, line: fence.contentStartLine,
                                                   extraKeys: blockOptions, allowSpecFile: true)
        let spec = loaded.spec
        // The block's focus first: tiles record their online softmax for it.
        let focusFirst = try DisplayOptions(extras, tokens: spec.tokens, present: Stage.allCases, decimals: 0...8).focus
        let trace = try loaded.trace(recording: Recording(focus: focusFirst))
        let present = trace.events.map(\.stage)
        let display = try DisplayOptions(extras, tokens: spec.tokens, present: present, decimals: 0...8)
        let focus = display.focus
        let stages = display.stages ?? Stage.allCases.filter { present.contains($0) }
        let decimals = display.decimals ?? 2
        var notation = AttentionBlock.Notation.row
        if let option = extras["notation"] {
            let text = try DisplayOptions.scalar(option, "notation")
            guard let n = AttentionBlock.Notation(rawValue: text) else {
                throw Diagnostic("notation must be row (Q = X·W_Q) or column (q⁽ⁱ⁾ = U_q x⁽ⁱ⁾), not '\(text)'", at: option.location)
            }
            notation = n
        }
        var name: String?
        if let option = extras["name"] {
            let text = try DisplayOptions.scalar(option, "name")
            guard text.first?.isLetter == true, text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw Diagnostic("a block name starts with a letter and holds letters, digits, _ and -, not '\(text)'", at: option.location)
            }
            name = text
        }
        let title = try extras["title"].map { (option: YAMLOption) throws(Diagnostic) in try DisplayOptions.scalar(option, "title") }
        return AttentionBlock(name: name, title: title, spec: spec, trace: trace, focus: focus, stages: stages,
                              decimals: decimals, notation: notation, reveal: display.reveal ?? .always, location: location, ordinal: ordinal)
    }


    /// An `attention` or `exercise` block whose closing fence was forgotten runs on into the
    /// lesson, up to the next line holding only ``` — often the opening fence of a later
    /// plain code block, or the closing fence of a later block, whose opening line
    /// (```` ```exercise ````) cmark then takes as text. Its YAML then fails somewhere in
    /// the prose. When the block failed and holds such a line, or a line of prose (a letter
    /// at the start of the line, a first word without ':', more words) after a blank line
    /// or a heading, the error is the unclosed fence, at the opening fence.
    static func unclosed(_ fence: FencedCode, at location: SourceLocation, failing error: Diagnostic) -> Diagnostic? {
        var evidence: String?
        var afterBreak = false
        for (index, line) in fence.literal.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = fence.contentStartLine + index
            if line.hasPrefix("```") || line.hasPrefix("~~~") {
                evidence = "line \(lineNumber) opens another fenced block: \(line)"
                break
            }
            let firstWord = line.prefix { $0 != " " }
            if afterBreak, line.first?.isLetter == true, !firstWord.contains(":"), firstWord.count < line.count {
                evidence = "line \(lineNumber) looks like prose, not YAML: \(line)"
                break
            }
            let heading = line.hasPrefix("#") && line.drop { $0 == "#" }.first == " "
            afterBreak = line.allSatisfy { $0 == " " } || heading
        }
        guard let evidence else { return nil }
        let what = fence.name == "attention" ? "spec" : "fields"
        return Diagnostic("the \(fence.name) block opened at line \(location.line) is probably not closed: add a line with ``` after its \(what)", at: location,
                          notes: [evidence, "read as part of the block, the lesson fails with: \(error.description)"])
    }
}
