/// A place in a text file: 1-based line and column, as editors and compilers count them.
/// Columns count Unicode scalars, as libyaml and libcmark-gfm do.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = max(1, line)
        self.column = max(1, column)
    }

    /// `path:line:column`, clickable in editors and terminals.
    public var description: String { "\(path):\(line):\(column)" }

    /// The same place seen from a file that embeds this text starting at `line`, `column`
    /// (for example a YAML block inside a markdown lesson).
    public func shifted(intoFile path: String, startingAtLine line: Int, column: Int = 1) -> SourceLocation {
        SourceLocation(path: path, line: self.line + line - 1,
                       column: self.line == 1 ? self.column + column - 1 : self.column)
    }
}

/// An error in user input, reported compiler-style: `path:line:column: message`.
/// The message says what is wrong and, where it can, how to fix it.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation?
    public var message: String
    /// Further lines printed after the first (for example "note: …" lines). May be empty.
    public var notes: [String]

    public init(_ message: String, at location: SourceLocation?, notes: [String] = []) {
        self.location = location
        self.message = message
        self.notes = notes
    }

    public var description: String {
        let head = location.map { "\($0): \(message)" } ?? message
        return ([head] + notes.map { "  note: \($0)" }).joined(separator: "\n")
    }
}

/// Suggests the nearest of `candidates` to a misspelt `word` ("did you mean 'W_Q'?"),
/// or nil when nothing is close. Case-insensitive Levenshtein distance, at most 1/3 of the length.
public func nearest(to word: String, in candidates: [String]) -> String? {
    let lowered = Array(word.lowercased())
    var best: (name: String, distance: Int)?
    for candidate in candidates {
        let distance = editDistance(lowered, Array(candidate.lowercased()))
        if distance <= max(1, lowered.count / 3), distance < (best?.distance ?? .max) {
            best = (candidate, distance)
        }
    }
    return best?.name
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// two neighbouring characters each cost 1 ("maks" is one edit from "mask").
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}
