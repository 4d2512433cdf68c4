import Diagnostics

/// Math in a guide (`lessons/guides/*.md`): guides have no traces, but they may write
/// `$…$` and `$$…$$` as lessons do (docs/authoring.md#math).
public enum GuideMath {
    /// The markdown with each math span replaced by a placeholder (as in lessons), and the
    /// spans' TeX in order. `firstLine` is the file line where `text` starts. A trace
    /// reference `{{ … }}` is an error: a guide has no attention blocks to cite.
    public static func scan(_ text: String, path: String, firstLine: Int) throws(Diagnostic) -> (markdown: String, math: [InlineSpan]) {
        var scanner = InlineScanner(path: path, firstLine: firstLine)
        let markdown = try scanner.scanDocument(text)
        for span in scanner.spans {
            if case .reference = span.kind {
                throw Diagnostic("a guide has no attention blocks, so it cannot cite a traced number: write the number in a lesson, or link to one", at: span.location)
            }
        }
        return (markdown, scanner.spans)
    }
}
