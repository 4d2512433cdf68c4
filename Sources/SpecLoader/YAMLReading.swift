import Diagnostics
import Yams

/// Parsing a YAML text with Yams, and saying why it failed in one shape every reader of
/// YAML in attn uses (specs, exercises and front matter, answers files). Each caller words
/// its own message; the line and column are 1-based within the text.
public enum YAMLReading {
    /// A place in the text: 1-based line and column (in Unicode scalars, as libyaml counts).
    public struct Place: Sendable, Equatable {
        public var line: Int
        public var column: Int
        public init(line: Int, column: Int) { self.line = line; self.column = column }
    }

    public enum Failure: Error, Sendable {
        /// Not YAML: libyaml's description of the problem.
        case syntax(problem: String, line: Int, column: Int)
        /// A mapping repeats `key`. `at` is the repeat (its second occurrence, the one to
        /// delete or rename) and `first` its first occurrence; when the repeat cannot be
        /// told, `first` is nil and `at` is the first occurrence.
        case duplicateKey(String, at: Place, first: Place?)
        /// Anything else: the reader's problem when it has one, and the error's full description.
        case other(problem: String?, description: String)
    }

    /// The document's node tree (nil for an empty document), or why there is none.
    public static func compose(_ text: String) -> Result<Node?, Failure> {
        do {
            return .success(try parse(text))
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                return .failure(.syntax(problem: problem, line: mark.line, column: mark.column))
            case .duplicatedKeysInMapping(let duplicates, let context):
                let first = Place(line: context.mark.line, column: context.mark.column)
                if let found = firstRepeat(in: text, key: duplicates.first ?? "", at: first) {
                    return .failure(.duplicateKey(found.key, at: found.repeat, first: found.first))
                }
                return .failure(.duplicateKey(duplicates.first ?? "", at: first, first: nil))
            case .reader(let problem, _, _, _):
                return .failure(.other(problem: problem, description: "\(error)"))
            default:
                return .failure(.other(problem: nil, description: "\(error)"))
            }
        } catch {
            return .failure(.other(problem: nil, description: "\(error)"))
        }
    }

    /// How one reader words a failure: the rest of each message, and its place, are the
    /// same for every reader of YAML in attn.
    public struct Wording: Sendable {
        /// What the text is, as in "this is not valid YAML: …" ("this", "the front matter").
        public var subject: String
        /// Said of a repeated key after its name ("" or " in the front matter").
        public var keyContext: String
        /// What to do about a repeated key ("give each key once"): the whole advice when
        /// its first occurrence is not known, and added after it with `adviseAlways`.
        public var advice: String
        public var adviseAlways: Bool
        /// The message for a failure that is not a syntax error or a repeated key, from
        /// the reader's problem (if any) and the error's description; by default
        /// "<subject> is not valid YAML: <description>".
        public var unreadable: (@Sendable (_ problem: String?, _ description: String) -> String)?

        public init(subject: String, keyContext: String = "", advice: String, adviseAlways: Bool = false,
                    unreadable: (@Sendable (_ problem: String?, _ description: String) -> String)? = nil) {
            self.subject = subject
            self.keyContext = keyContext
            self.advice = advice
            self.adviseAlways = adviseAlways
            self.unreadable = unreadable
        }
    }

    /// The diagnostic for `failure`, worded by `wording`. `place` turns a place in the text
    /// into one in the file; `start` is where the text starts (for failures without a place).
    public static func diagnostic(for failure: Failure, _ wording: Wording, start: SourceLocation,
                                  place: (Place) -> SourceLocation) -> Diagnostic {
        switch failure {
        case .syntax(let problem, let line, let column):
            return Diagnostic("\(wording.subject) is not valid YAML: \(problem)", at: place(Place(line: line, column: column)))
        case .duplicateKey(let key, let at, let first):
            let here = place(at)
            let given = first.map { alreadyGiven(place($0), repeat: here) }
            let advice = given.map { wording.adviseAlways ? "\($0); \(wording.advice)" : $0 } ?? wording.advice
            return Diagnostic("duplicate key '\(key)'\(wording.keyContext): \(advice)", at: here)
        case .other(let problem, let description):
            let message = wording.unreadable?(problem, description) ?? "\(wording.subject) is not valid YAML: \(description)"
            return Diagnostic(message, at: start)
        }
    }

    /// "it was already given at line 3", or "… at column 5 of this line": the end of a
    /// duplicate-key message, with both places in the file the message names.
    public static func alreadyGiven(_ first: SourceLocation, repeat: SourceLocation) -> String {
        first.line == `repeat`.line ? "it was already given at column \(first.column) of this line" : "it was already given at line \(first.line)"
    }

    private static func parse(_ text: String) throws -> Node? {
        // Every reader takes scalars as text and reads numbers itself, so tags are never
        // resolved (`.basic`: no regular expression run per scalar). The encoding is
        // given: Yams's default reads the process environment on every call (and prints
        // to stdout when YAMS_DEFAULT_ENCODING is set).
        try Yams.compose(yaml: text, .basic, .default, .utf8)
    }

    /// Yams names only the *first* occurrence of a repeated key (of the alphabetically first
    /// one, when a mapping repeats several). To find the repeat, the reported occurrence
    /// is renamed in a copy of the text — its first character replaced by a private-use
    /// character, so no line or column moves — and the copy parsed again, until it parses;
    /// then, in each mapping, the keys renamed or not are grouped by their original name,
    /// and the earliest second occurrence in the text wins. Nil when a key cannot be
    /// renamed that way (an anchor or escape at its start, say) or it takes too long.
    static func firstRepeat(in text: String, key: String, at place: Place) -> (key: String, repeat: Place, first: Place)? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        var renamed: [(key: String, place: Place)] = []
        func rename(_ key: String, _ place: Place) -> Bool {
            let l = place.line - 1
            guard lines.indices.contains(l) else { return false }
            var c = place.column - 1
            if lines[l].indices.contains(c), lines[l][c] == "\"" || lines[l][c] == "'" { c += 1 }
            guard lines[l].indices.contains(c), !["\"", "'", "\\", "\r"].contains(lines[l][c]),
                  let marker = Unicode.Scalar(0xF0000 + renamed.count) else { return false }   // a private-use character no YAML key starts with
            lines[l][c] = marker
            renamed.append((key, place))
            return true
        }
        guard rename(key, place) else { return nil }
        var root: Node?
        for _ in 0..<32 {
            let copy = lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
            do {
                root = try parse(copy)
                break
            } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
                guard rename(duplicates.first ?? "", Place(line: context.mark.line, column: context.mark.column)) else { return nil }
            } catch {
                return nil
            }
        }
        guard let root else { return nil }
        var best: (key: String, repeat: Place, first: Place)?
        func visit(_ node: Node) {
            if let mapping = node.mapping {
                var seen: [String: Place] = [:]
                for (keyNode, value) in mapping {
                    if let mark = keyNode.mark {
                        let here = Place(line: mark.line, column: mark.column)
                        if let name = renamed.first(where: { $0.place == here })?.key ?? keyNode.scalar?.string {
                            if let first = seen[name] {
                                if best.map({ (here.line, here.column) < ($0.repeat.line, $0.repeat.column) }) ?? true { best = (name, here, first) }
                            } else {
                                seen[name] = here
                            }
                        }
                    }
                    visit(value)
                }
            } else if let sequence = node.sequence {
                sequence.forEach(visit)
            }
        }
        visit(root)
        return best
    }
}
