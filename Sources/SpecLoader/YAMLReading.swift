import Yams

/// Parsing a YAML text with Yams, and saying why it failed in one shape every reader of
/// YAML in attn uses (specs, exercises and front matter, answers files). Each caller words
/// its own message; the line and column are 1-based within the text.
public enum YAMLReading {
    public enum Failure: Error, Sendable {
        /// Not YAML: libyaml's description of the problem.
        case syntax(problem: String, line: Int, column: Int)
        /// A mapping repeats keys; the place of the first.
        case duplicateKeys([String], line: Int, column: Int)
        /// Anything else: the reader's problem when it has one, and the error's full description.
        case other(problem: String?, description: String)
    }

    /// The document's node tree (nil for an empty document), or why there is none.
    public static func compose(_ text: String) -> Result<Node?, Failure> {
        do {
            // Every reader takes scalars as text and reads numbers itself, so tags are never
            // resolved (`.basic`: no regular expression run per scalar). The encoding is
            // given: Yams's default reads the process environment on every call (and prints
            // to stdout when YAMS_DEFAULT_ENCODING is set).
            return .success(try Yams.compose(yaml: text, .basic, .default, .utf8))
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                return .failure(.syntax(problem: problem, line: mark.line, column: mark.column))
            case .duplicatedKeysInMapping(let duplicates, let context):
                return .failure(.duplicateKeys(duplicates, line: context.mark.line, column: context.mark.column))
            case .reader(let problem, _, _, _):
                return .failure(.other(problem: problem, description: "\(error)"))
            default:
                return .failure(.other(problem: nil, description: "\(error)"))
            }
        } catch {
            return .failure(.other(problem: nil, description: "\(error)"))
        }
    }
}
