import Foundation

/// The values the exercise protocol carries: numbers (with NaN, Infinity and -Infinity, as
/// Python's json writes them) and arrays of them. One call is a JSON array of arguments on
/// one line; one result is a value on one line.
enum JSONLine: Equatable {
    case number(Double)
    case integer(Int)
    case list([JSONLine])
    /// A matrix with no rows, `{"rows": 0, "columns": N}`: `[]` would lose its width, and
    /// NumPy needs it (an empty KV cache is a 0 × d_k array, which np.vstack can grow).
    /// Sent only; the Swift harness reads it as an empty `[[Double]]`.
    case emptyMatrix(columns: Int)

    static func vector(_ v: [Double]) -> JSONLine { .list(v.map(JSONLine.number)) }
    static func matrix(_ m: [[Double]]) -> JSONLine { .list(m.map(vector)) }
    /// A matrix whose rows have `columns` numbers, kept when it has no rows.
    static func matrix(_ m: [[Double]], columns: Int) -> JSONLine { m.isEmpty ? .emptyMatrix(columns: columns) : .matrix(m) }
    static func matrices(_ m: [[[Double]]]) -> JSONLine { .list(m.map(matrix)) }

    var text: String {
        switch self {
        case .integer(let n): return String(n)
        case .number(let x):
            if x.isNaN { return "NaN" }
            if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
            return "\(x)"
        case .list(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
        case .emptyMatrix(let columns): return "{\"rows\":0,\"columns\":\(columns)}"
        }
    }

    /// How deep the arrays go: 0 for a number, 1 for a vector, 2 for a matrix.
    var depth: Int {
        if case .emptyMatrix = self { return 2 }
        guard case .list(let items) = self else { return 0 }
        return 1 + (items.map(\.depth).max() ?? 0)
    }

    var asNumber: Double? {
        switch self {
        case .number(let x): return x
        case .integer(let n): return Double(n)
        case .list, .emptyMatrix: return nil
        }
    }
    var asVector: [Double]? {
        guard case .list(let items) = self else { return nil }
        let numbers = items.compactMap(\.asNumber)
        return numbers.count == items.count ? numbers : nil
    }
    var asMatrix: [[Double]]? {
        if case .emptyMatrix = self { return [] }
        guard case .list(let items) = self else { return nil }
        let rows = items.compactMap(\.asVector)
        return rows.count == items.count ? rows : nil
    }
    var asMatrices: [[[Double]]]? {
        guard case .list(let items) = self else { return nil }
        let parts = items.compactMap(\.asMatrix)
        return parts.count == items.count ? parts : nil
    }

    /// Parses one value; nil if the text is not one.
    static func parse(_ text: String) -> JSONLine? {
        var parser = Parser(bytes: Array(text.utf8))
        guard let value = parser.value() else { return nil }
        parser.skip()
        return parser.i == parser.bytes.count ? value : nil
    }

    struct Parser {
        let bytes: [UInt8]
        var i = 0

        mutating func skip() { while i < bytes.count, [32, 9, 10, 13].contains(bytes[i]) { i += 1 } }

        mutating func value() -> JSONLine? {
            skip()
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: "[") {
                i += 1
                var items: [JSONLine] = []
                skip()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
                while true {
                    guard let item = value() else { return nil }
                    items.append(item)
                    skip()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
                    return nil
                }
            }
            let start = i
            while i < bytes.count, !",] \t\r\n".utf8.contains(bytes[i]) { i += 1 }
            let token = String(decoding: bytes[start..<i], as: UTF8.self)
            switch token {
            case "NaN": return .number(.nan)
            case "Infinity": return .number(.infinity)
            case "-Infinity": return .number(-.infinity)
            default: return Double(token).map(JSONLine.number)
            }
        }
    }
}
