// The harness `attn check` compiles with each exercise of the Swift edition (it never
// changes; a student does not edit it). The program reads one call per line on standard
// input — a JSON array of the function's arguments — calls the exercise's function, and
// writes its result as JSON on standard output after the marker "@@attn-workbook@@ ok ".
// Anything else on standard output is the student's own printing. The checks themselves
// run in `attn`: this program only computes (workbook/harness/README.md).
import Foundation

/// A JSON value as the protocol uses it: numbers (NaN, Infinity and -Infinity allowed, as
/// Python's json writes them) and arrays.
enum Value {
    case number(Double)
    case list([Value])
}

/// The arguments of one call.
struct Arguments {
    let values: [Value]

    func vector(_ i: Int) -> [Double] { Self.vector(values[i]) }
    func matrix(_ i: Int) -> [[Double]] { Self.list(values[i]).map(Self.vector) }
    func matrices(_ i: Int) -> [[[Double]]] { Self.list(values[i]).map { Self.list($0).map(Self.vector) } }
    func number(_ i: Int) -> Double {
        guard case .number(let x) = values[i] else { protocolError("argument \(i) is not a number") }
        return x
    }
    func integer(_ i: Int) -> Int {
        guard case .number(let x) = values[i] else { protocolError("argument \(i) is not a number") }
        return Int(x)
    }
    static func list(_ v: Value) -> [Value] {
        guard case .list(let items) = v else { protocolError("expected an array") }
        return items
    }
    static func vector(_ v: Value) -> [Double] {
        list(v).map { item in
            guard case .number(let x) = item else { protocolError("expected a number") }
            return x
        }
    }
}

func protocolError(_ message: String) -> Never {
    FileHandle.standardError.write(Data("attn-workbook harness: \(message)\n".utf8))
    exit(4)
}

/// Reads calls until standard input ends; each result follows the marker on a line of its own.
func serve(_ call: (Arguments) -> String) -> Never {
    while let line = readLine() {
        var parser = Parser(Array(line.utf8))
        guard case .list(let values) = parser.value() else { protocolError("a call must be a JSON array: \(line.prefix(80))") }
        let result = call(Arguments(values: values))
        print("\n@@attn-workbook@@ ok " + result)
        fflush(stdout)
    }
    exit(0)
}

func encode(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
    return "\(x)"
}
func encode(_ v: [Double]) -> String { "[" + v.map(encode).joined(separator: ",") + "]" }
func encode(_ m: [[Double]]) -> String { "[" + m.map(encode).joined(separator: ",") + "]" }
func encode(_ m: [[[Double]]]) -> String { "[" + m.map(encode).joined(separator: ",") + "]" }
/// Exercise 14's pair, as a list of its two matrices.
func encode(_ r: (dQ: [[Double]], dK: [[Double]])) -> String { "[" + encode(r.dQ) + "," + encode(r.dK) + "]" }
/// Exercise 15's tuple, as a list of its parts.
func encode(_ r: (keys: [[Double]], values: [[Double]], z: [Double])) -> String {
    "[" + encode(r.keys) + "," + encode(r.values) + "," + encode(r.z) + "]"
}
/// Exercise 16's tuple, as a list of its parts.
func encode(_ r: (m: Double, l: Double, o: [Double])) -> String { "[" + encode(r.m) + "," + encode(r.l) + "," + encode(r.o) + "]" }

/// Numbers and arrays of JSON, with NaN, Infinity and -Infinity; and an object
/// `{"rows": 0, "columns": N}`, a matrix with no rows (for NumPy, which needs its width).
struct Parser {
    let bytes: [UInt8]
    var i = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func skip() { while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 13 { i += 1 } }

    mutating func value() -> Value {
        skip()
        guard i < bytes.count else { protocolError("unexpected end of a call") }
        if bytes[i] == UInt8(ascii: "{") {
            while i < bytes.count, bytes[i] != UInt8(ascii: "}") { i += 1 }
            guard i < bytes.count else { protocolError("unclosed object") }
            i += 1
            return .list([])
        }
        if bytes[i] == UInt8(ascii: "[") {
            i += 1
            var items: [Value] = []
            skip()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
            while true {
                items.append(value())
                skip()
                guard i < bytes.count else { protocolError("unclosed array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
                protocolError("unexpected character in an array")
            }
        }
        let start = i
        while i < bytes.count, !(bytes[i] == UInt8(ascii: ",") || bytes[i] == UInt8(ascii: "]") || bytes[i] == 32) { i += 1 }
        let token = String(decoding: bytes[start..<i], as: UTF8.self)
        switch token {
        case "NaN": return .number(.nan)
        case "Infinity": return .number(.infinity)
        case "-Infinity": return .number(-.infinity)
        default:
            guard let x = Double(token) else { protocolError("not a number: \(token)") }
            return .number(x)
        }
    }
}
