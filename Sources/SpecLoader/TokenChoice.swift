import Diagnostics

/// A token named the way students and lessons name one: by its label (`am`), or by its
/// position counting from 0 (`#2`), which is the only way to pick one of several tokens
/// with the same label. The one rule for `--focus`, a block's `focus:` and the like.
public enum TokenChoice: Equatable, Sendable {
    case found(Int)
    /// The label names several tokens: these.
    case ambiguous([Int])
    /// No token has this label and it is no valid `#N`: the nearest label, if any is close.
    case unknown(nearest: String?)

    public init(_ text: String, in tokens: [String]) {
        let matches = tokens.indices.filter { tokens[$0] == text }
        if matches.count == 1 {
            self = .found(matches[0])
        } else if matches.count > 1 {
            self = .ambiguous(matches)
        } else if text.hasPrefix("#"), let n = Int(text.dropFirst()), tokens.indices.contains(n) {
            self = .found(n)
        } else {
            self = .unknown(nearest: nearest(to: text, in: tokens))
        }
    }

    /// The token's index, or a diagnostic whose message starts with `what` (`--focus 'the'`,
    /// `focus 'the'`) and says how to name the token instead. `yamlQuoting` adds the reminder
    /// that `#` must be quoted in YAML.
    public func index(_ what: String, tokens: [String], at location: SourceLocation?,
                      example: (Int) -> String, yamlQuoting: Bool = false) throws(Diagnostic) -> Int {
        switch self {
        case .found(let index):
            return index
        case .ambiguous(let matches):
            let quoting = yamlQuoting ? " (quoted: # starts a YAML comment)" : ""
            throw Diagnostic("\(what) is tokens \(matches.map { "#\($0)" }.joined(separator: ", ")): pick one by number, e.g. \(example(matches[matches.count - 1]))\(quoting)", at: location)
        case .unknown(let near):
            let hint = near.map { "did you mean '\($0)'? " } ?? ""
            let range = tokens.isEmpty ? "" : " (or #0 … #\(tokens.count - 1) by position)"
            throw Diagnostic("\(what) is not one of the tokens: \(hint)the tokens are \(tokens.joined(separator: ", "))\(range)", at: location)
        }
    }
}
