import AttentionEngine
import Diagnostics
import Foundation
import Yams

/// A spec read from YAML, with the place in the file of every key and value it holds,
/// so that any later error (from the engine's validation, too) points at a line.
public struct LoadedSpec: Sendable {
    public let spec: AttentionSpec
    let locations: [String: SourceLocation]
    /// The place of the whole document (line 1, column 1 of the YAML text).
    public let origin: SourceLocation
    /// Matrices read from files, by key path: "X is read from data/x.csv (3 × 4)".
    let files: [String: String]

    /// Where `path` is in the file, or its nearest recorded ancestor.
    public func location(of path: [SpecPathComponent]) -> SourceLocation {
        var path = path
        while !path.isEmpty {
            if let found = locations[SpecLoader.key(path)] { return found }
            path.removeLast()
        }
        return origin
    }

    /// Runs the forward pass, turning a spec problem into a located diagnostic.
    public func trace(recording: Recording = Recording()) throws(Diagnostic) -> Trace {
        do {
            return try Attention.run(spec, recording: recording)
        } catch {
            var notes: [String] = []
            var path = error.path
            while !path.isEmpty {
                if let file = files[SpecLoader.key(path)] { notes = [file]; break }
                path.removeLast()
            }
            throw Diagnostic(error.message, at: location(of: error.path), notes: notes)
        }
    }
}

/// Reads the YAML spec format documented in docs/spec.md.
public enum SpecLoader {
    /// Every key a spec may have, in the order docs/spec.md documents them.
    public static let keys = ["tokens", "X", "d_model", "heads", "d_k", "d_v", "W_Q", "W_K", "W_V",
                              "b_Q", "b_K", "b_V", "W_O", "b_O", "scale", "mask", "source", "positional",
                              "kv_heads", "decode", "tiles", "backward", "dropout"]

    /// The display options a lesson's attention block may hold besides the spec
    /// (docs/authoring.md). `attn trace` accepts them too, so a block copied out of a lesson
    /// traces as it is.
    public static let displayOptions = ["name", "title", "focus", "show", "decimals", "notation", "reveal"]

    /// Parses `text`. `path` names the file for messages; a YAML block embedded in a bigger
    /// file (a lesson) passes the line and column where the block's first line starts.
    /// Keys in `extraKeys` are allowed and returned untouched (lesson display options).
    /// Matrix files (`X: {file: data/x.csv}`) are found relative to `baseDirectory`, by
    /// default the folder of `path` (the current directory for `<stdin>`).
    /// With `allowSpecFile`, `spec: other.yaml` takes the whole spec from that file, and
    /// the text may then hold only `extraKeys` besides (a lesson block's display options).
    public static func load(_ text: String, path: String, line: Int = 1, column: Int = 1,
                            extraKeys: [String] = [], allowSpecFile: Bool = false,
                            baseDirectory: String? = nil) throws(Diagnostic) -> (loaded: LoadedSpec, extras: [String: YAMLOption]) {
        var reader = Reader(path: path, line: line, column: column,
                            baseDirectory: baseDirectory ?? defaultBase(for: path))
        let root: Node
        switch YAMLReading.compose(text) {
        case .success(let node?): root = node
        case .success(nil):
            throw Diagnostic("the spec is empty: give at least tokens and X (see docs/spec.md)", at: reader.place(line: 1, column: 1))
        case .failure(let failure): throw reader.diagnostic(for: failure)
        }
        if allowSpecFile, let spec = try reader.specFileReference(root, extraKeys: extraKeys) {
            return spec
        }
        return try reader.read(root, extraKeys: extraKeys)
    }

    /// The folder that relative file names in a spec at `path` start from.
    static func defaultBase(for path: String) -> String {
        if path.hasPrefix("<") { return "" }  // <stdin>: the current directory
        return (path as NSString).deletingLastPathComponent
    }

    /// `base` + `name`, unless `name` is absolute.
    static func resolve(_ name: String, from base: String) -> String {
        if name.hasPrefix("/") || base.isEmpty { return name }
        return (base as NSString).appendingPathComponent(name)
    }

    static func key(_ path: [SpecPathComponent]) -> String {
        path.map { if case .key(let k) = $0 { return "." + k } else { return $0.description } }.joined()
    }
}

/// A lesson display option left in the YAML for the caller, with its place.
public struct YAMLOption: Sendable {
    public let location: SourceLocation
    /// The scalar's text, or nil for a list or mapping.
    public let scalar: String?
    /// The items' texts for a list of scalars, else nil.
    public let list: [String]?
    /// The pairs of a mapping of scalars, in order, else nil.
    public let mapping: [(key: String, value: String, location: SourceLocation)]?
}

/// Walks the YAML tree, checking and converting as it goes.
struct Reader {
    let path: String
    let line: Int
    let column: Int
    let baseDirectory: String
    var locations: [String: SourceLocation] = [:]
    var files: [String: String] = [:]
    /// Matrix files read so far, shared by copies of the reader, so each is read once.
    let cache = FileCache()

    init(path: String, line: Int, column: Int, baseDirectory: String) {
        self.path = path
        self.line = line
        self.column = column
        self.baseDirectory = baseDirectory
    }

    func place(line: Int, column: Int) -> SourceLocation {
        SourceLocation(path: path, line: line, column: column).shifted(intoFile: path, startingAtLine: self.line, column: self.column)
    }

    func place(_ node: Node) -> SourceLocation {
        guard let mark = node.mark else { return place(line: 1, column: 1) }
        return place(line: mark.line, column: mark.column)
    }

    func diagnostic(for failure: YAMLReading.Failure) -> Diagnostic {
        YAMLReading.diagnostic(for: failure, Self.yamlWording, start: place(line: 1, column: 1)) { place(line: $0.line, column: $0.column) }
    }

    static let yamlWording = YAMLReading.Wording(subject: "this", advice: "each key may appear only once") { problem, description in
        problem.map { "cannot read the text: \($0)" } ?? "cannot read the YAML: \(description)"
    }

    mutating func note(_ path: [SpecPathComponent], _ node: Node) {
        locations[SpecLoader.key(path)] = place(node)
    }

    // MARK: The document

    mutating func read(_ root: Node, extraKeys: [String]) throws(Diagnostic) -> (loaded: LoadedSpec, extras: [String: YAMLOption]) {
        guard let mapping = root.mapping else {
            throw Diagnostic("a spec is a YAML mapping of keys such as tokens: and X:, not a \(kind(root))", at: place(root))
        }
        let allowed = SpecLoader.keys + extraKeys
        var fields: [String: (key: Node, value: Node)] = [:]
        var extras: [String: YAMLOption] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                throw Diagnostic("keys must be plain names such as X or W_Q", at: place(keyNode))
            }
            guard allowed.contains(key) else {
                if SpecLoader.displayOptions.contains(key) {
                    throw Diagnostic("'\(key)' is a display option of a lesson's attention block "
                        + "(\(SpecLoader.displayOptions.joined(separator: ", "))), not part of a spec: put it in the block, "
                        + "next to spec:", at: place(keyNode))
                }
                let hint = nearest(to: key, in: allowed).map { "did you mean '\($0)'? " } ?? ""
                throw Diagnostic("unknown key '\(key)': \(hint)allowed keys are \(allowed.joined(separator: ", "))", at: place(keyNode))
            }
            if extraKeys.contains(key) {
                extras[key] = option(value)
            } else {
                fields[key] = (keyNode, value)
                locations[SpecLoader.key([.key(key)])] = place(keyNode)
            }
        }

        // Sizes first: seeded matrices take their shapes from them.
        let tokens = try labels(fields["tokens"], "tokens", in: root)
        let heads = try size(fields["heads"], "heads") ?? 1
        let kvHeads = try size(fields["kv_heads"], "kv_heads")
        if let g = kvHeads, heads % g != 0 {
            throw Diagnostic("kv_heads = \(g) does not divide heads = \(heads): each key/value head serves the same number of query heads", at: place(fields["kv_heads"]!.value))
        }
        let g = kvHeads ?? heads
        var dModel = try size(fields["d_model"], "d_model")
        let explicitX = try explicitMatrix(fields["X"], "X")
        if let x = explicitX {
            if let d = dModel, d != x.columns {
                throw Diagnostic("X has \(x.columns) columns but d_model is \(d): make them agree, or leave d_model out", at: place(fields["X"]!.key))
            }
            dModel = x.columns
        }
        if dModel == nil {
            for name in ["W_Q", "W_K", "W_V"] {
                if let w = try explicitMatrix(fields[name], name) { dModel = w.rows; break }
            }
        }

        let weightNames = ["W_Q", "W_K", "W_V"].filter { fields[$0] != nil }
        if !weightNames.isEmpty && weightNames.count < 3 {
            let missing = ["W_Q", "W_K", "W_V"].filter { fields[$0] == nil }
            throw Diagnostic("\(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") missing: give all of W_Q, "
                + "W_K and W_V, or none of them for attention without projections (Q = K = V = X)", at: place(fields[weightNames[0]]!.key))
        }
        for bias in ["b_Q", "b_K", "b_V"] where fields[bias] != nil && weightNames.isEmpty {
            throw Diagnostic("\(bias) needs W_Q, W_K and W_V: a bias is added after a projection", at: place(fields[bias]!.key))
        }
        if fields["b_O"] != nil && fields["W_O"] == nil {
            throw Diagnostic("b_O needs W_O: a bias is added after the output projection", at: place(fields["b_O"]!.key))
        }

        // Widths per head: given, read off explicit weights, or d_model / heads.
        let dK = try headWidth("d_k", fields, explicitFrom: [("W_Q", heads), ("W_K", g)], heads: heads, dModel: dModel)
        let dV = try headWidth("d_v", fields, explicitFrom: [("W_V", g)], heads: heads, dModel: dModel)

        let X = try matrix(fields["X"], "X", rows: tokens.count, columns: dModel, range: (-1, 1), needs: "d_model")!
        let fanIn = X.columns
        let bound = 1 / Double(fanIn).squareRoot()
        var projection: AttentionSpec.Projection?
        if !weightNames.isEmpty {
            projection = AttentionSpec.Projection(
                W_Q: try matrix(fields["W_Q"], "W_Q", rows: fanIn, columns: dK.map { heads * $0 }, range: (-bound, bound), needs: "d_k")!,
                W_K: try matrix(fields["W_K"], "W_K", rows: fanIn, columns: dK.map { g * $0 }, range: (-bound, bound), needs: "d_k")!,
                W_V: try matrix(fields["W_V"], "W_V", rows: fanIn, columns: dV.map { g * $0 }, range: (-bound, bound), needs: "d_v")!,
                b_Q: try vector(fields["b_Q"], "b_Q", count: dK.map { heads * $0 }, range: (-bound, bound)),
                b_K: try vector(fields["b_K"], "b_K", count: dK.map { g * $0 }, range: (-bound, bound)),
                b_V: try vector(fields["b_V"], "b_V", count: dV.map { g * $0 }, range: (-bound, bound)))
        }

        var output: AttentionSpec.OutputProjection?
        if fields["W_O"] != nil {
            let concatWidth = projection.map { $0.W_V.columns / g * heads } ?? X.columns  // heads·d_v
            let outBound = 1 / Double(max(concatWidth, 1)).squareRoot()
            let W_O = try matrix(fields["W_O"], "W_O", rows: concatWidth, columns: X.columns, range: (-outBound, outBound), needs: "d_model")!
            output = AttentionSpec.OutputProjection(
                W_O: W_O, b_O: try vector(fields["b_O"], "b_O", count: W_O.columns, range: (-outBound, outBound)))
        }

        let scale = try flag(fields["scale"], "scale") ?? true
        let mask = try readMask(fields["mask"])
        let source = try readSource(fields["source"], dModel: X.columns)
        let positional = try readPositional(fields["positional"])
        let decode = try readDecode(fields["decode"])
        let tiles = try readTiles(fields["tiles"])

        // dO has the output's shape: O's with W_O, else Z_concat's (heads·d_v columns)
        let outputWidth = output?.W_O.columns ?? projection?.W_V.columns ?? X.columns
        let backward = try readBackward(fields["backward"], rows: tokens.count, columns: outputWidth)
        var spec = AttentionSpec(tokens: tokens, X: X, projection: projection, heads: heads, scale: scale,
                                 mask: mask, source: source, positional: positional, output: output,
                                 backward: backward, kvHeads: kvHeads, decode: decode, tiles: tiles)
        spec.dropout = try readDropout(fields["dropout"])
        return (LoadedSpec(spec: spec, locations: locations, origin: place(line: 1, column: 1), files: files), extras)
    }

    // MARK: Pieces

    func kind(_ node: Node) -> String {
        switch node {
        case .scalar: return "single value"
        case .sequence: return "list"
        case .mapping: return "mapping"
        case .alias: return "alias"
        }
    }

    func option(_ node: Node) -> YAMLOption {
        YAMLOption(location: place(node), scalar: node.scalar?.string,
                   list: node.sequence.flatMap { seq in
                       let items = seq.compactMap { $0.scalar?.string }
                       return items.count == seq.count ? items : nil
                   },
                   mapping: node.mapping.flatMap { map in
                       let pairs = map.compactMap { k, v -> (key: String, value: String, location: SourceLocation)? in
                           guard let key = k.scalar?.string, let value = v.scalar?.string else { return nil }
                           return (key, value, place(v))
                       }
                       return pairs.count == map.count ? pairs : nil
                   })
    }

    mutating func labels(_ field: (key: Node, value: Node)?, _ name: String, in root: Node) throws(Diagnostic) -> [String] {
        guard let field else {
            throw Diagnostic("missing key '\(name)': list the tokens, e.g. \(name): [I, am, good]", at: place(root))
        }
        guard let items = field.value.sequence else {
            throw Diagnostic("\(name) must be a list of labels, e.g. [I, am, good], not a \(kind(field.value))", at: place(field.value))
        }
        if items.isEmpty {
            throw Diagnostic("\(name) is empty: give at least one token, e.g. \(name): [I, am, good]", at: place(field.value))
        }
        var result: [String] = []
        for (i, item) in items.enumerated() {
            guard let text = item.scalar?.string else {
                throw Diagnostic("\(name)[\(i)] must be a single label, not a \(kind(item))", at: place(item))
            }
            if text.isEmpty {
                throw Diagnostic("\(name)[\(i)] is an empty label: give every token a visible name", at: place(item))
            }
            result.append(text)
        }
        return result
    }

    func scalarText(_ node: Node, _ name: String) throws(Diagnostic) -> String {
        guard let text = node.scalar?.string else {
            throw Diagnostic("\(name) must be a single value, not a \(kind(node))", at: place(node))
        }
        return text
    }

    func size(_ field: (key: Node, value: Node)?, _ name: String) throws(Diagnostic) -> Int? {
        guard let field else { return nil }
        let text = try scalarText(field.value, name)
        guard let value = Int(text), value >= 1 else {
            throw Diagnostic("\(name) must be a whole number of at least 1, not '\(text)'", at: place(field.value))
        }
        guard value <= Limits.maxDimension else {
            throw Diagnostic("\(name) = \(value) is more than the limit of \(Limits.maxDimension)", at: place(field.value))
        }
        return value
    }

    func flag(_ field: (key: Node, value: Node)?, _ name: String) throws(Diagnostic) -> Bool? {
        guard let field else { return nil }
        let text = try scalarText(field.value, name)
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw Diagnostic("\(name) must be true or false, not '\(text)'", at: place(field.value))
        }
    }

    func number(_ node: Node, _ name: String) throws(Diagnostic) -> Double {
        guard let text = node.scalar?.string else {
            throw Diagnostic("\(name) must be a number, not a \(kind(node))", at: place(node))
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lowered = trimmed.lowercased()
        if [".nan", "nan", ".inf", "+.inf", "-.inf", "inf", "-inf", "+inf", "infinity", "-infinity"].contains(lowered) {
            throw Diagnostic("\(name) is \(trimmed): every value must be a finite number", at: place(node))
        }
        guard let value = Double(trimmed), trimmed.first.map({ !$0.isWhitespace }) ?? false else {
            throw Diagnostic("\(name) is '\(text)', which is not a number", at: place(node))
        }
        guard value.isFinite else {
            throw Diagnostic("\(name) is \(trimmed), too large to be a finite number", at: place(node))
        }
        return value
    }

    /// `weights` pairs each weight with the number of blocks its columns hold (heads, or
    /// kv_heads for W_K and W_V).
    mutating func headWidth(_ name: String, _ fields: [String: (key: Node, value: Node)], explicitFrom weights: [(String, Int)],
                            heads: Int, dModel: Int?) throws(Diagnostic) -> Int? {
        if let given = try size(fields[name], name) { return given }
        for (weight, blocks) in weights {
            if let w = try explicitMatrix(fields[weight], weight) {
                return w.columns % blocks == 0 ? w.columns / blocks : nil  // validation reports it
            }
        }
        guard let d = dModel else { return nil }
        if d % heads != 0 {
            let at = fields["heads"]?.value
            throw Diagnostic("heads = \(heads) does not divide d_model = \(d): set \(name) explicitly, "
                + "or choose a number of heads that divides \(d)", at: at.map { place($0) } ?? place(line: 1, column: 1))
        }
        return d / heads
    }

    /// An explicit list of rows or a matrix file, or nil when the key is absent or seeded.
    func explicitMatrix(_ field: (key: Node, value: Node)?, _ name: String) throws(Diagnostic) -> Matrix? {
        guard let field else { return nil }
        var copy = self
        if field.value.sequence != nil { return try copy.rows(field.value, name) }
        return try copy.fileMatrix(field.value, name)
    }

    mutating func rows(_ node: Node, _ name: String) throws(Diagnostic) -> Matrix {
        guard let rows = node.sequence else {
            throw Diagnostic("\(name) must be a list of rows such as [[1, 0], [0, 1]], {seed: N} or {file: data.csv}", at: place(node))
        }
        var values: [Double] = []
        var width: Int?
        for (i, row) in rows.enumerated() {
            guard let items = row.sequence else {
                throw Diagnostic("\(name)[\(i)] must be a row, a list of numbers such as [1, 0, 2]: \(name) is a list of rows", at: place(row))
            }
            note([.key(name), .index(i)], row)
            if let width, items.count != width {
                throw Diagnostic("\(name) row \(i) has \(items.count) number\(items.count == 1 ? "" : "s") but row 0 has \(width): every row needs the same length", at: place(row))
            }
            width = items.count
            for (j, item) in items.enumerated() {
                values.append(try number(item, "\(name)[\(i)][\(j)]"))
            }
        }
        if rows.isEmpty {
            throw Diagnostic("\(name) is an empty list: give one row per token", at: place(node))
        }
        if width == 0 {
            throw Diagnostic("\(name) has empty rows: each row needs at least one number", at: place(node))
        }
        return Matrix(rows: rows.count, columns: width ?? 0, storage: values)
    }

    /// An explicit or seeded matrix; nil when the key is absent.
    mutating func matrix(_ field: (key: Node, value: Node)?, _ name: String, rows: Int, columns: Int?,
                         range: (Double, Double), needs: String) throws(Diagnostic) -> Matrix? {
        guard let field else {
            if name == "X" { throw Diagnostic("missing key 'X': give one row of numbers per token, or X: {seed: 1} with d_model", at: place(line: 1, column: 1)) }
            return nil
        }
        if field.value.sequence != nil { return try self.rows(field.value, name) }
        if let fromFile = try fileMatrix(field.value, name) { return fromFile }
        guard let distribution = try seeded(field.value, name, range: range) else {
            throw Diagnostic("\(name) must be a list of rows such as [[1, 0], [0, 1]], {seed: N} or {file: data.csv}", at: place(field.value))
        }
        guard let columns else {
            throw Diagnostic("a seeded \(name) needs its width: add \(needs): N", at: place(field.value))
        }
        return distribution.matrix(rows: rows, columns: columns)
    }

    mutating func vector(_ field: (key: Node, value: Node)?, _ name: String, count: Int?, range: (Double, Double)) throws(Diagnostic) -> [Double]? {
        guard let field else { return nil }
        if let items = field.value.sequence {
            var values: [Double] = []
            for (j, item) in items.enumerated() {
                note([.key(name), .index(j)], item)
                values.append(try number(item, "\(name)[\(j)]"))
            }
            return values
        }
        if let fromFile = try fileMatrix(field.value, name) {
            guard fromFile.rows == 1 || fromFile.columns == 1 else {
                throw Diagnostic("\(name) is \(fromFile.rows) × \(fromFile.columns) in its file, but a bias is one row of numbers (a 1-D array, or one line of CSV)", at: place(field.value))
            }
            return fromFile.storage
        }
        guard let distribution = try seeded(field.value, name, range: range) else {
            throw Diagnostic("\(name) must be a list of numbers such as [0.1, 0, -0.2], {seed: N} or {file: b.npy}", at: place(field.value))
        }
        guard let count else {
            throw Diagnostic("a seeded \(name) needs its width: give the weights explicitly or add d_k / d_v", at: place(field.value))
        }
        return distribution.matrix(rows: 1, columns: count).storage
    }

    /// `{seed: S, low: a, high: b, decimals: k}`; nil when the node is not a mapping.
    func seeded(_ node: Node, _ name: String, range: (Double, Double)) throws(Diagnostic) -> SeededDistribution? {
        guard let mapping = node.mapping else { return nil }
        if mapping.keys.contains(where: { $0.scalar?.string == "file" }) {
            throw Diagnostic("\(name) takes either a file or a seed: {file: x.csv} has no other keys", at: place(node))
        }
        var seed: UInt64?
        var (low, high) = range
        var decimals: Int?
        let allowed = ["seed", "low", "high", "decimals"]
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            switch key {
            case "seed":
                let text = try scalarText(value, "\(name).seed")
                guard let s = UInt64(text) else {
                    throw Diagnostic("\(name).seed must be a whole number from 0 to \(UInt64.max), not '\(text)'", at: place(value))
                }
                seed = s
            case "low": low = try number(value, "\(name).low")
            case "high": high = try number(value, "\(name).high")
            case "decimals":
                let text = try scalarText(value, "\(name).decimals")
                guard let k = Int(text), (0...12).contains(k) else {
                    throw Diagnostic("\(name).decimals must be a whole number from 0 to 12, not '\(text)'", at: place(value))
                }
                decimals = k
            default:
                let hint = nearest(to: key, in: allowed + ["file"]).map { "did you mean '\($0)'? " } ?? ""
                throw Diagnostic("unknown key '\(key)' in \(name): \(hint)a seeded matrix takes seed, low, high and decimals", at: place(keyNode))
            }
        }
        guard let seed else {
            throw Diagnostic("\(name) needs a seed, e.g. \(name): {seed: 1}", at: place(node))
        }
        guard low < high else {
            throw Diagnostic("\(name): low (\(low)) must be less than high (\(high))", at: place(node))
        }
        return SeededDistribution(seed: seed, low: low, high: high, decimals: decimals)
    }

    mutating func readMask(_ field: (key: Node, value: Node)?) throws(Diagnostic) -> AttentionSpec.Mask? {
        guard let field else { return nil }
        let usage = "mask must be causal, none, {window: w} (causal, and at most w keys back) or {padding: [false, false, true]} (true marks a padding key)"
        if let text = field.value.scalar?.string {
            switch text {
            case "causal": return .causal
            case "none": return nil
            default: throw Diagnostic("\(usage), not '\(text)'", at: place(field.value))
            }
        }
        guard let mapping = field.value.mapping else { throw Diagnostic(usage, at: place(field.value)) }
        var padding: [Bool]?
        for (keyNode, value) in mapping {
            if keyNode.scalar?.string == "window", mapping.count == 1 {
                locations[SpecLoader.key([.key("mask"), .key("window")])] = place(value)
                return .window(try size((keyNode, value), "mask.window")!)
            }
            guard keyNode.scalar?.string == "padding" else {
                throw Diagnostic("unknown key '\(keyNode.scalar?.string ?? "")' in mask: \(usage)", at: place(keyNode))
            }
            locations[SpecLoader.key([.key("mask"), .key("padding")])] = place(keyNode)
            guard let items = value.sequence else {
                throw Diagnostic("mask.padding must be a list of true/false, one per key token", at: place(value))
            }
            padding = []
            for (j, item) in items.enumerated() {
                padding!.append(try flag((keyNode, item), "mask.padding[\(j)]")!)
            }
        }
        guard let padding else { throw Diagnostic(usage, at: place(field.value)) }
        return .padding(padding)
    }

    /// `backward: {dO: MATRIX}`: any matrix form (rows, seed, file), with the output's shape.
    mutating func readBackward(_ field: (key: Node, value: Node)?, rows: Int, columns: Int) throws(Diagnostic) -> AttentionSpec.Backward? {
        guard let field else { return nil }
        let usage = "backward must be a mapping with dO, the gradient of the loss with respect to the output, e.g. backward: {dO: {seed: 1}}"
        guard let mapping = field.value.mapping else { throw Diagnostic(usage, at: place(field.value)) }
        var dO: Matrix?
        for (keyNode, value) in mapping {
            guard keyNode.scalar?.string == "dO" else {
                throw Diagnostic("unknown key '\(keyNode.scalar?.string ?? "")' in backward: it takes dO", at: place(keyNode))
            }
            locations[SpecLoader.key([.key("backward"), .key("dO")])] = place(keyNode)
            dO = try matrix((keyNode, value), "backward.dO", rows: rows, columns: columns, range: (-1, 1), needs: "d_model")
        }
        guard let dO else { throw Diagnostic(usage, at: place(field.value)) }
        return AttentionSpec.Backward(dO: dO)
    }

    mutating func readSource(_ field: (key: Node, value: Node)?, dModel: Int) throws(Diagnostic) -> AttentionSpec.Source? {
        guard let field else { return nil }
        guard let mapping = field.value.mapping else {
            throw Diagnostic("source must be a mapping with tokens and X, e.g. source: {tokens: [Ich, bin], X: [[1, 0], [0, 1]]}", at: place(field.value))
        }
        var tokensField: (key: Node, value: Node)?
        var xField: (key: Node, value: Node)?
        for (keyNode, value) in mapping {
            switch keyNode.scalar?.string {
            case "tokens": tokensField = (keyNode, value)
            case "X": xField = (keyNode, value)
            default:
                throw Diagnostic("unknown key '\(keyNode.scalar?.string ?? "")' in source: it takes tokens and X", at: place(keyNode))
            }
            locations[SpecLoader.key([.key("source"), .key(keyNode.scalar!.string)])] = place(keyNode)
        }
        let tokens = try labels(tokensField, "source.tokens", in: field.value)
        guard let xField else {
            throw Diagnostic("source needs X: one row of numbers per source token, or X: {seed: N}", at: place(field.value))
        }
        let X: Matrix
        if xField.value.sequence != nil {
            X = try rows(xField.value, "source.X")
        } else if let fromFile = try fileMatrix(xField.value, "source.X") {
            X = fromFile
        } else if let distribution = try seeded(xField.value, "source.X", range: (-1, 1)) {
            X = distribution.matrix(rows: tokens.count, columns: dModel)
        } else {
            throw Diagnostic("source.X must be a list of rows, {seed: N} or {file: data.csv}", at: place(xField.value))
        }
        return AttentionSpec.Source(tokens: tokens, X: X)
    }
}

// MARK: Variants: rotary positions, decode, tiles

extension Reader {
    /// `sinusoidal`, `rope`, `none`, or `{rope: adjacent | half, base: B}`.
    mutating func readPositional(_ field: (key: Node, value: Node)?) throws(Diagnostic) -> AttentionSpec.PositionalEncoding? {
        guard let field else { return nil }
        let usage = "positional must be sinusoidal, rope, none, or {rope: adjacent | half, base: 10000}"
        if let text = field.value.scalar?.string {
            switch text {
            case "sinusoidal": return .sinusoidal
            case "rope": return .rotary(.init())
            case "none": return nil
            default: throw Diagnostic("\(usage), not '\(text)'", at: place(field.value))
            }
        }
        guard let mapping = field.value.mapping else { throw Diagnostic(usage, at: place(field.value)) }
        var rope = AttentionSpec.Rotary()
        var sawRope = false
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            locations[SpecLoader.key([.key("positional"), .key(key)])] = place(value)
            switch key {
            case "rope":
                let text = try scalarText(value, "positional.rope")
                guard let pairing = AttentionSpec.Rotary.Pairing(rawValue: text) else {
                    throw Diagnostic("positional.rope must be adjacent (pairs of columns 2i, 2i+1, as in RoFormer) or half (columns i and i + d_k/2, as in Llama), not '\(text)'", at: place(value))
                }
                rope.pairing = pairing
                sawRope = true
            case "base":
                rope.base = try number(value, "positional.base")
                guard rope.base > 1 else { throw Diagnostic("positional.base must be greater than 1, not \(rope.base)", at: place(value)) }
            default:
                let hint = nearest(to: key, in: ["rope", "base"]).map { "did you mean '\($0)'? " } ?? ""
                throw Diagnostic("unknown key '\(key)' in positional: \(hint)\(usage)", at: place(keyNode))
            }
        }
        guard sawRope else { throw Diagnostic("\(usage): the mapping needs rope:", at: place(field.value)) }
        return .rotary(rope)
    }

    /// `{prefill: p}`.
    mutating func readDecode(_ field: (key: Node, value: Node)?) throws(Diagnostic) -> AttentionSpec.Decode? {
        guard let field else { return nil }
        let usage = "decode must be a mapping {prefill: p}: the first p tokens at once, then one decode step per token"
        guard let mapping = field.value.mapping, mapping.count == 1, let (keyNode, value) = mapping.first else {
            throw Diagnostic(usage, at: place(field.value))
        }
        guard keyNode.scalar?.string == "prefill" else {
            throw Diagnostic("unknown key '\(keyNode.scalar?.string ?? "")' in decode: \(usage)", at: place(keyNode))
        }
        locations[SpecLoader.key([.key("decode"), .key("prefill")])] = place(value)
        let text = try scalarText(value, "decode.prefill")
        guard let p = Int(text), p >= 0 else {
            throw Diagnostic("decode.prefill must be a whole number of at least 0, not '\(text)'", at: place(value))
        }
        return AttentionSpec.Decode(prefill: p)
    }

    /// `{rows: Br, columns: Bc}`.
    mutating func readTiles(_ field: (key: Node, value: Node)?) throws(Diagnostic) -> AttentionSpec.Tiles? {
        guard let field else { return nil }
        let usage = "tiles must be a mapping {rows: Br, columns: Bc}: queries in blocks of Br, keys in blocks of Bc"
        guard let mapping = field.value.mapping else { throw Diagnostic(usage, at: place(field.value)) }
        var sizes: [String: Int] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            guard key == "rows" || key == "columns" else {
                throw Diagnostic("unknown key '\(key)' in tiles: \(usage)", at: place(keyNode))
            }
            locations[SpecLoader.key([.key("tiles"), .key(key)])] = place(value)
            sizes[key] = try size((keyNode, value), "tiles.\(key)")
        }
        guard let rows = sizes["rows"], let columns = sizes["columns"] else {
            throw Diagnostic("\(usage): give both", at: place(field.value))
        }
        return AttentionSpec.Tiles(rows: rows, columns: columns)
    }
}
