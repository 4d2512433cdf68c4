import AttentionEngine
import Diagnostics
import Foundation

/// Matrices kept in files next to a spec: comma-separated text (`.csv`) and NumPy's `.npy`
/// format, so that embeddings and weights exported from a real model can be traced.
/// The formats and their rules are in docs/spec.md, "Matrices from files".
public enum MatrixFiles {
    /// Reads `path` (a `.csv` or `.npy` file). `displayPath` names it in messages.
    /// A problem inside the file is a diagnostic at the file (CSV: line and column;
    /// NPY: no line, the message starts with the file's name).
    public static func load(path: String, displayPath: String? = nil) throws(Diagnostic) -> Matrix {
        let shown = displayPath ?? path
        let ext = (path as NSString).pathExtension.lowercased()
        guard ext == "csv" || ext == "npy" else {
            throw Diagnostic("\(shown): a matrix file must end in .csv (numbers separated by commas) or .npy (NumPy's np.save)", at: nil)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Diagnostic("\(shown): no such file", at: nil)
        }
        guard !isDirectory.boolValue else {
            throw Diagnostic("\(shown): this is a directory, not a matrix file", at: nil)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Diagnostic("\(shown): cannot read this file (permission denied?)", at: nil)
        }
        return ext == "csv" ? try csv(data, path: shown) : try npy(data, path: shown)
    }

    // MARK: CSV

    /// One row per line, values separated by commas (spaces around them are allowed).
    /// Blank lines and lines starting with `#` (np.savetxt's header) are skipped.
    public static func csv(_ data: Data, path: String) throws(Diagnostic) -> Matrix {
        func at(_ line: Int, _ column: Int) -> SourceLocation { SourceLocation(path: path, line: line, column: column) }
        guard var text = String(data: data, encoding: .utf8) else {
            throw Diagnostic("the file is not UTF-8 text: a .csv file holds numbers separated by commas", at: at(1, 1))
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }  // spreadsheets write a byte-order mark
        var values: [Double] = []
        var width: Int?
        var firstRowLine = 0
        var rows = 0
        // "\r\n" is one Character in Swift: split on every kind of line ending.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        for (index, line) in lines.enumerated() {
            let lineNumber = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            var fields: [(text: Substring, column: Int)] = []
            var column = 1
            var start = line.startIndex
            var fieldColumn = 1
            for i in line.indices {
                if line[i] == "," {
                    fields.append((line[start..<i], fieldColumn))
                    start = line.index(after: i)
                    fieldColumn = column + 1
                }
                column += line[i].unicodeScalars.count
            }
            fields.append((line[start...], fieldColumn))

            var row: [Double] = []
            for (j, field) in fields.enumerated() {
                let leading = field.text.prefix(while: { $0 == " " || $0 == "\t" })
                let column = field.column + leading.unicodeScalars.count
                let value = field.text.trimmingCharacters(in: .whitespaces)
                if value.isEmpty {
                    throw Diagnostic(fields.count == 1 ? "this line holds no numbers" : "value \(j + 1) of this row is empty: write a number between every two commas",
                                     at: at(lineNumber, column))
                }
                let lowered = value.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "+-"))
                if ["nan", "inf", "infinity"].contains(lowered) {
                    throw Diagnostic("the value is \(value): every value must be a finite number", at: at(lineNumber, column))
                }
                guard let number = Double(value) else {
                    if rows == 0 && j == 0 && value.first?.isLetter == true {
                        throw Diagnostic("'\(value)' is not a number: a .csv matrix has no header line; "
                            + "remove it or start it with # (np.savetxt(path, a, delimiter=',') writes none)", at: at(lineNumber, column))
                    }
                    var hint = ""
                    if value.contains(";") || value.contains("\t") || value.contains(" ") {
                        hint = ": separate values with commas"
                    } else if value.hasPrefix("\"") || value.hasPrefix("'") {
                        hint = ": write numbers without quotes"
                    }
                    throw Diagnostic("'\(value)' is not a number\(hint)", at: at(lineNumber, column))
                }
                guard number.isFinite else {
                    throw Diagnostic("the value is \(value), too large to be a finite number", at: at(lineNumber, column))
                }
                row.append(number)
            }
            if let width, row.count != width {
                throw Diagnostic("this row has \(row.count) value\(row.count == 1 ? "" : "s") but the first row (line \(firstRowLine)) "
                    + "has \(width): every row needs the same number of values", at: at(lineNumber, 1))
            }
            if width == nil { width = row.count; firstRowLine = lineNumber }
            values.append(contentsOf: row)
            rows += 1
        }
        guard let width else {
            throw Diagnostic("the file holds no numbers: write one row of the matrix per line, values separated by commas", at: at(1, 1))
        }
        return Matrix(rows: rows, columns: width, storage: values)
    }

    // MARK: NPY

    /// NumPy's format (numpy.lib.format): the magic `\x93NUMPY`, a version, the header's
    /// length, a Python dict literal with descr, fortran_order and shape, then the data.
    public static func npy(_ data: Data, path: String) throws(Diagnostic) -> Matrix {
        func fail(_ message: String) -> Diagnostic { Diagnostic("\(path): \(message)", at: nil) }
        let bytes = [UInt8](data)
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
        guard bytes.count >= 6, Array(bytes[0..<6]) == magic else {
            if bytes.starts(with: [0x50, 0x4B]) {
                throw fail("this is an .npz archive (several arrays), not an .npy file: save one array with np.save(path, a)")
            }
            throw fail("not a NumPy .npy file (it does not start with \\x93NUMPY): save the array with np.save(path, a)")
        }
        guard bytes.count >= 10 else { throw fail("the file is truncated: it ends inside the header (\(bytes.count) bytes)") }
        let major = bytes[6], minor = bytes[7]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("the file is truncated: it ends inside the header (\(bytes.count) bytes)") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw fail("unsupported .npy format version \(major).\(minor): attn reads versions 1.0, 2.0 and 3.0")
        }
        let dataStart = headerStart + headerLength
        guard bytes.count >= dataStart else {
            throw fail("the file is truncated: the header should be \(headerLength) bytes, but the file ends at byte \(bytes.count)")
        }
        guard let header = String(bytes: bytes[headerStart..<dataStart], encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw fail("the header is not text")
        }
        let dict: [String: PyValue]
        do {
            var parser = PyLiteralParser(header)
            dict = try parser.parseHeader()
        } catch {
            throw fail("bad header at byte \(headerStart + error.offset): \(error.message) (header: \(header.trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
        for key in ["descr", "fortran_order", "shape"] where dict[key] == nil {
            throw fail("bad header: it has no '\(key)' (header: \(header.trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
        guard case .string(let descr) = dict["descr"]! else {
            throw fail("this is a structured array (descr is a list of fields): save a plain numeric matrix, e.g. np.save(path, a.astype('<f8'))")
        }
        guard case .bool(let fortran) = dict["fortran_order"]! else { throw fail("bad header: fortran_order must be True or False") }
        guard case .tuple(let shape) = dict["shape"]! else { throw fail("bad header: shape must be a tuple such as (3, 4)") }

        let element = try elementType(descr, fail: fail)
        let shapeText = "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
        let rows: Int, columns: Int
        switch shape.count {
        case 0: throw fail("the array holds a single number (shape ()), not a matrix: save at least a 1-D array")
        case 1: (rows, columns) = (1, shape[0])
        case 2: (rows, columns) = (shape[0], shape[1])
        default:
            throw fail("the array has \(shape.count) dimensions (shape \(shapeText)): save a 2-D matrix (or a 1-D vector), e.g. a[0] or a.reshape(-1, a.shape[-1])")
        }
        guard rows > 0, columns > 0 else { throw fail("the array is empty (shape \(shapeText))") }
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        let (byteCount, overflow2) = count.multipliedReportingOverflow(by: element.size)
        let available = bytes.count - dataStart
        guard !overflow, !overflow2, byteCount <= available else {
            throw fail("the file is truncated: shape \(shapeText) of \(descr) needs \(overflow || overflow2 ? "more" : String(byteCount)) "
                + "bytes of data from byte \(dataStart), but only \(available) follow")
        }
        guard byteCount == available else {
            throw fail("\(available - byteCount) bytes follow the data of shape \(shapeText): the file is not one array written by np.save")
        }
        var values = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let offset = dataStart + i * element.size
            var raw: UInt64 = 0
            for b in 0..<element.size { raw |= UInt64(bytes[offset + b]) << (8 * UInt64(b)) }
            values[i] = element.decode(raw)
        }
        var matrix = Matrix(rows: rows, columns: columns, storage: values)
        if fortran && shape.count == 2 {
            matrix = Matrix(rows: columns, columns: rows, storage: values).transposed
        }
        for i in 0..<matrix.rows {
            for j in 0..<matrix.columns where !matrix[i, j].isFinite {
                let index = shape.count == 1 ? "[\(j)]" : "[\(i), \(j)]"
                throw fail("the value at \(index) is \(matrix[i, j].isNaN ? "nan" : matrix[i, j] > 0 ? "inf" : "-inf"): every value must be a finite number")
            }
        }
        return matrix
    }

    struct Element {
        let size: Int
        let decode: (UInt64) -> Double
    }

    static func elementType(_ descr: String, fail: (String) -> Diagnostic) throws(Diagnostic) -> Element {
        guard let order = descr.first, descr.count >= 2 else { throw fail("unsupported dtype '\(descr)'") }
        let code = String(descr.dropFirst())
        let hint = "attn reads float64, float32 and integer arrays: convert with a.astype('<f8')"
        if order == ">" && code.count > 1 && !code.hasSuffix("1") {
            throw fail("the array is big-endian ('\(descr)'): \(hint)")
        }
        guard order == "<" || order == "|" || order == "=" else { throw fail("unsupported dtype '\(descr)': \(hint)") }
        switch code {
        case "f8": return Element(size: 8) { Double(bitPattern: $0) }
        case "f4": return Element(size: 4) { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) }
        case "i8": return Element(size: 8) { Double(Int64(bitPattern: $0)) }
        case "i4": return Element(size: 4) { Double(Int32(bitPattern: UInt32(truncatingIfNeeded: $0))) }
        case "i2": return Element(size: 2) { Double(Int16(bitPattern: UInt16(truncatingIfNeeded: $0))) }
        case "i1": return Element(size: 1) { Double(Int8(bitPattern: UInt8(truncatingIfNeeded: $0))) }
        case "u8": return Element(size: 8) { Double($0) }
        case "u4", "u2", "u1": return Element(size: Int(String(code.dropFirst()))!) { Double($0) }
        case "O": throw fail("the array holds Python objects (dtype object): \(hint)")
        case "b1": throw fail("the array holds booleans ('\(descr)'): \(hint)")
        case "f2": throw fail("the array is float16 ('\(descr)'): \(hint)")
        default:
            if code.hasPrefix("c") { throw fail("the array holds complex numbers ('\(descr)'): save the real part, a.real.astype('<f8')") }
            if code.hasPrefix("U") || code.hasPrefix("S") { throw fail("the array holds text ('\(descr)'), not numbers: \(hint)") }
            throw fail("unsupported dtype '\(descr)': \(hint)")
        }
    }
}

// MARK: The header's Python literal

enum PyValue: Equatable {
    case string(String)
    case bool(Bool)
    case tuple([Int])
    case list
}

struct PyLiteralError: Error {
    let message: String
    let offset: Int
}

/// Reads the dict literal NumPy writes, e.g. `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`.
struct PyLiteralParser {
    let scalars: [Unicode.Scalar]
    var i = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    mutating func skipSpace() {
        while i < scalars.count, [" ", "\t", "\n", "\r"].contains(scalars[i]) { i += 1 }
    }

    func error(_ message: String) -> PyLiteralError { PyLiteralError(message: message, offset: i) }

    mutating func expect(_ c: Unicode.Scalar) throws(PyLiteralError) {
        skipSpace()
        guard i < scalars.count, scalars[i] == c else {
            throw error(i < scalars.count ? "expected '\(c)' but found '\(scalars[i])'" : "expected '\(c)' but the header ends")
        }
        i += 1
    }

    mutating func peek() -> Unicode.Scalar? {
        skipSpace()
        return i < scalars.count ? scalars[i] : nil
    }

    mutating func parseHeader() throws(PyLiteralError) -> [String: PyValue] {
        try expect("{")
        var dict: [String: PyValue] = [:]
        while true {
            guard let next = peek() else { throw error("the header ends before its closing '}'") }
            if next == "}" { break }
            let key = try string()
            try expect(":")
            dict[key] = try value()
            if peek() == "," { i += 1 } else { break }
        }
        try expect("}")
        skipSpace()
        guard i == scalars.count else { throw error("unexpected text after the dict") }
        return dict
    }

    mutating func string() throws(PyLiteralError) -> String {
        skipSpace()
        guard i < scalars.count, let quote = Optional(scalars[i]), quote == "'" || quote == "\"" else {
            throw error("expected a quoted key")
        }
        i += 1
        var out = String.UnicodeScalarView()
        while i < scalars.count, scalars[i] != quote {
            out.append(scalars[i])
            i += 1
        }
        guard i < scalars.count else { throw error("a string is never closed") }
        i += 1
        return String(out)
    }

    mutating func value() throws(PyLiteralError) -> PyValue {
        switch peek() {
        case "'", "\"": return .string(try string())
        case "(": return .tuple(try tuple())
        case "[":
            // A structured dtype: skip the list, brackets balanced.
            var depth = 0
            while i < scalars.count {
                if scalars[i] == "[" { depth += 1 }
                if scalars[i] == "]" { depth -= 1; if depth == 0 { i += 1; return .list } }
                i += 1
            }
            throw error("a list is never closed")
        default:
            var word = ""
            while i < scalars.count, scalars[i].properties.isAlphabetic { word.unicodeScalars.append(scalars[i]); i += 1 }
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            default: throw error(word.isEmpty ? "expected a value" : "unexpected value '\(word)'")
            }
        }
    }

    mutating func tuple() throws(PyLiteralError) -> [Int] {
        try expect("(")
        var items: [Int] = []
        while peek() != ")" {
            var digits = ""
            while i < scalars.count, ("0"..."9").contains(scalars[i]) { digits.unicodeScalars.append(scalars[i]); i += 1 }
            if i < scalars.count, scalars[i] == "L" { i += 1 }  // Python 2's long
            guard let n = Int(digits) else { throw error("shape must hold whole numbers") }
            items.append(n)
            if peek() == "," { i += 1 } else { break }
        }
        try expect(")")
        return items
    }
}
