import AttentionEngine
import Diagnostics
import Foundation
import Yams

/// Tensors in a `.safetensors` file, the format PyTorch and Hugging Face models ship in:
/// an 8-byte little-endian header length N, N bytes of JSON (for each tensor its dtype,
/// shape and data_offsets, relative to the end of the header), then the raw little-endian
/// data. Only the header and the one tensor asked for are read, so a 90 MB model costs a
/// few kilobytes per weight. The rules are in docs/spec.md, "Tensors from .safetensors files".
public enum Safetensors {
    /// The safetensors library's own limit on the header; checked before anything is allocated.
    public static let maxHeaderBytes = 100_000_000

    /// Element sizes of the dtypes the format defines; attn reads the four floating-point ones.
    static let dtypeSizes: [String: Int] = [
        "F64": 8, "F32": 4, "F16": 2, "BF16": 2,
        "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U64": 8, "U32": 4, "U16": 2, "U8": 1,
        "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1, "F8_E8M0": 1, "C64": 8, "C128": 16,
    ]
    static let readable = ["F64", "F32", "F16", "BF16"]

    /// One tensor of the header. `start` and `end` are offsets in the file (not in the data).
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let dtype: String
        public let shape: [Int]
        public let start: Int
        public let end: Int
    }

    /// The tensors of a file, by name.
    public struct Header: Sendable {
        public let entries: [String: Entry]
    }

    /// Reads and checks the header of the file at `path`. Messages start with `shown`
    /// (the file name as the spec wrote it).
    public static func header(path: String, shown: String) throws(Diagnostic) -> Header {
        func fail(_ message: String) -> Diagnostic { Diagnostic("\(shown): \(message)", at: nil) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw fail("cannot read this file (permission denied?)")
        }
        defer { try? handle.close() }
        let fileSize: Int
        do { fileSize = Int(try handle.seekToEnd()); try handle.seek(toOffset: 0) } catch {
            throw fail("cannot read this file: \(error.localizedDescription)")
        }
        guard fileSize >= 8 else {
            throw fail("the file is truncated: it has \(fileSize) byte\(fileSize == 1 ? "" : "s"), fewer than the 8 that give the header's length")
        }
        let lengthBytes = [UInt8](read(handle, count: 8))
        var length: UInt64 = 0
        for b in 0..<8 { length |= UInt64(lengthBytes[b]) << (8 * UInt64(b)) }
        guard length <= UInt64(maxHeaderBytes) else {
            throw fail("not a safetensors file: its first 8 bytes give a header of \(length) bytes, more than the limit of \(maxHeaderBytes)")
        }
        let headerLength = Int(length)
        guard headerLength >= 2 else {
            throw fail("bad header: it is \(headerLength) byte\(headerLength == 1 ? "" : "s") long, too short for a JSON object")
        }
        guard 8 + headerLength <= fileSize else {
            throw fail("the file is truncated: the header should be \(headerLength) bytes, but the file ends at byte \(fileSize)")
        }
        let headerData = read(handle, count: headerLength)
        guard headerData.first == UInt8(ascii: "{") else {
            throw fail("bad header: it does not start with '{' (a safetensors header is a JSON object)")
        }
        let raw: RawHeader
        do { raw = try JSONDecoder().decode(RawHeader.self, from: headerData) } catch {
            throw fail(jsonProblem(error))
        }
        let dataStart = 8 + headerLength
        let dataSize = fileSize - dataStart
        var entries: [String: Entry] = [:]
        for (name, fields) in raw.entries {
            guard let fields else { throw fail("bad header: the entry of '\(name)' is not an object with dtype, shape and data_offsets") }
            if let missing = fields.missing { throw fail("bad header: the entry of '\(name)' has no \(missing)") }
            guard let dtype = fields.dtype else { throw fail("bad header: the dtype of '\(name)' is not a string") }
            guard let elementSize = dtypeSizes[dtype] else {
                throw fail("tensor '\(name)' has the unknown dtype '\(dtype)': safetensors defines \(dtypeSizes.keys.sorted().joined(separator: ", "))")
            }
            guard let shape = fields.shape, shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("bad header: the shape of '\(name)' is not a list of whole numbers")
            }
            guard let offsets = fields.offsets, offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw fail("bad header: the data_offsets of '\(name)' are not [begin, end] with 0 ≤ begin ≤ end")
            }
            guard offsets[1] <= dataSize else {
                throw fail("the data of '\(name)' (bytes \(offsets[0])–\(offsets[1]) after the header) runs past the end of the file: "
                    + "only \(dataSize) bytes of data follow the header; the file may be truncated")
            }
            var count = 1
            for d in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow, product <= dataSize else {
                    throw fail("tensor '\(name)' of shape \(shapeText(shape)) does not fit in the file")
                }
                count = product
            }
            guard offsets[1] - offsets[0] == count * elementSize else {
                throw fail("tensor '\(name)' of shape \(shapeText(shape)) and dtype \(dtype) needs \(count * elementSize) bytes, "
                    + "but its data_offsets [\(offsets[0]), \(offsets[1])] hold \(offsets[1] - offsets[0])")
            }
            entries[name] = Entry(name: name, dtype: dtype, shape: shape, start: dataStart + offsets[0], end: dataStart + offsets[1])
        }
        // No two tensors may share bytes.
        let sorted = entries.values.filter { $0.end > $0.start }.sorted { ($0.start, $0.name) < ($1.start, $1.name) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.start < a.end {
            throw fail("bad header: the data of '\(a.name)' and '\(b.name)' overlap (bytes \(b.start - dataStart)–\(min(a.end, b.end) - dataStart) after the header)")
        }
        return Header(entries: entries)
    }

    /// The tensor `name` of the file at `path` as a matrix: a 2-D tensor as it is, a 1-D
    /// tensor as one row. `shown` names the file in messages.
    public static func matrix(path: String, shown: String, header: Header, entry: Entry) throws(Diagnostic) -> Matrix {
        func fail(_ message: String) -> Diagnostic { Diagnostic("\(shown): \(message)", at: nil) }
        let size = dtypeSizes[entry.dtype]!
        guard readable.contains(entry.dtype) else {
            throw fail("tensor '\(entry.name)' has dtype \(entry.dtype): attn reads F32, F64, F16 and BF16 tensors; convert it, e.g. t.to(torch.float32), before saving")
        }
        let rows: Int, columns: Int
        switch entry.shape.count {
        case 1: (rows, columns) = (1, entry.shape[0])
        case 2: (rows, columns) = (entry.shape[0], entry.shape[1])
        default:
            throw fail("tensor '\(entry.name)' has \(entry.shape.count) dimensions (shape \(shapeText(entry.shape))): attn reads 2-D tensors (matrices) and 1-D tensors (biases)")
        }
        guard rows > 0, columns > 0 else { throw fail("tensor '\(entry.name)' is empty (shape \(shapeText(entry.shape)))") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw fail("cannot read this file (permission denied?)") }
        defer { try? handle.close() }
        do { try handle.seek(toOffset: UInt64(entry.start)) } catch { throw fail("cannot read this file: \(error.localizedDescription)") }
        let data = [UInt8](read(handle, count: entry.end - entry.start))
        guard data.count == entry.end - entry.start else { throw fail("the file is truncated: it ends inside the data of '\(entry.name)'") }
        let count = rows * columns
        var values = [Double](repeating: 0, count: count)
        for i in 0..<count {
            var raw: UInt64 = 0
            for b in 0..<size { raw |= UInt64(data[i * size + b]) << (8 * UInt64(b)) }
            let value: Double
            switch entry.dtype {
            case "F64": value = Double(bitPattern: raw)
            case "F32": value = Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
            case "BF16": value = Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw) << 16))
            default: value = half(UInt16(truncatingIfNeeded: raw))
            }
            guard value.isFinite else {
                let index = entry.shape.count == 1 ? "[\(i)]" : "[\(i / columns), \(i % columns)]"
                throw fail("the value at \(index) of '\(entry.name)' is \(value.isNaN ? "nan" : value > 0 ? "inf" : "-inf"): every value must be a finite number")
            }
            values[i] = value
        }
        return Matrix(rows: rows, columns: columns, storage: values)
    }

    /// IEEE 754 binary16, exactly (every half is a Double).
    static func half(_ bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int(bits >> 10 & 0x1F)
        let fraction = Double(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    static func read(_ handle: FileHandle, count: Int) -> Data {
        (try? handle.read(upToCount: count)) ?? Data()
    }

    static func jsonProblem(_ error: Error) -> String {
        if case DecodingError.typeMismatch = error { return "bad header: it is not a JSON object of tensors" }
        return "bad header: it is not valid JSON"
    }

    static func shapeText(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
}

/// The header's JSON, decoded leniently so that each problem gets its own message.
struct RawHeader: Decodable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    struct Fields: Decodable {
        var dtype: String?
        var shape: [Int]?
        var offsets: [Int]?
        /// The first of dtype, shape, data_offsets that is not there.
        var missing: String?

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            for key in ["dtype", "shape", "data_offsets"] where !c.contains(Key(stringValue: key)) {
                missing = missing ?? key
            }
            dtype = try? c.decode(String.self, forKey: Key(stringValue: "dtype"))
            shape = try? c.decode([Int].self, forKey: Key(stringValue: "shape"))
            offsets = try? c.decode([Int].self, forKey: Key(stringValue: "data_offsets"))
        }
    }

    /// Every entry but __metadata__, by name (sorted, so the first problem is always the same);
    /// nil for an entry that is not an object.
    var entries: [(String, Fields?)] = []

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        for key in c.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where key.stringValue != "__metadata__" {
            entries.append((key.stringValue, try? c.decode(Fields.self, forKey: key)))
        }
    }
}

extension Reader {
    /// `{file: NAME, …}` with more than the file name: `tensor` (a .safetensors file),
    /// `transpose`, `rows` and `columns`. Every problem is reported at the spec's line and
    /// column, the message naming the file.
    mutating func referencedMatrix(_ node: Node, _ mapping: Node.Mapping, _ name: String) throws(Diagnostic) -> Matrix {
        let seededKeys = ["seed", "low", "high", "decimals"]
        let allowed = ["file", "tensor", "transpose", "rows", "columns"]
        var fields: [String: Node] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            if seededKeys.contains(key) {
                throw Diagnostic("\(name): {file: NAME} takes no other keys (seed, low, high and decimals are for seeded matrices)", at: place(node))
            }
            guard allowed.contains(key) else {
                let hint = nearest(to: key, in: allowed).map { "did you mean '\($0)'? " } ?? ""
                throw Diagnostic("unknown key '\(key)' in \(name): \(hint){file: NAME} takes tensor (for a .safetensors file), transpose, rows and columns", at: place(keyNode))
            }
            fields[key] = value
        }
        let fileNode = fields["file"]!
        guard let fileName = fileNode.scalar?.string, !fileName.isEmpty else {
            throw Diagnostic("\(name).file must be a file name such as data/x.csv or weights/w_q.npy", at: place(fileNode))
        }
        let ext = (fileName as NSString).pathExtension.lowercased()
        guard ["csv", "npy", "safetensors"].contains(ext) else {
            throw Diagnostic("\(name).file '\(fileName)' must end in .csv (numbers separated by commas), .npy (NumPy's np.save) or .safetensors", at: place(fileNode))
        }
        var tensorName: String?
        if let tensorNode = fields["tensor"] {
            guard ext == "safetensors" else {
                throw Diagnostic("\(name).tensor is for .safetensors files, which hold many tensors; '\(fileName)' holds one matrix: remove tensor", at: place(tensorNode))
            }
            guard let text = tensorNode.scalar?.string, !text.isEmpty else {
                throw Diagnostic("\(name).tensor must be the name of a tensor, such as encoder.layer.0.attention.self.query.weight", at: place(tensorNode))
            }
            tensorName = text
        } else if ext == "safetensors" {
            throw Diagnostic("\(name) needs tensor: a .safetensors file holds many tensors; name one, e.g. {file: \(fileName), tensor: encoder.layer.0.attention.self.query.weight}", at: place(node))
        }
        let transpose = try flag(fields["transpose"].map { ($0, $0) }, "\(name).transpose") ?? false
        let rowRange = try span(fields["rows"], "\(name).rows")
        let columnRange = try span(fields["columns"], "\(name).columns")

        let resolved = SpecLoader.resolve(fileName, from: baseDirectory)
        let lookedFor = resolved == fileName ? "" : " (looked for \(resolved))"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw Diagnostic("\(name).file '\(fileName)' does not exist\(lookedFor): file names are relative to the file that names them", at: place(fileNode))
        }

        // The whole matrix of the file (or tensor), read once per spec.
        let cacheKey = resolved + (tensorName.map { "\u{0}" + $0 } ?? "")
        var matrix: Matrix
        if let cached = cache.matrices[cacheKey] {
            matrix = cached
        } else if let tensorName {
            var header: Safetensors.Header
            do { header = try Safetensors.header(path: resolved, shown: resolved) } catch {
                throw Diagnostic(error.message, at: place(fileNode))
            }
            guard let entry = header.entries[tensorName] else {
                let names = header.entries.keys.sorted()
                // A name given without its prefix (query.weight for encoder.layer.0.attention.self.query.weight), or misspelt.
                let suffixed = names.filter { $0.hasSuffix("." + tensorName) }
                let hint = (suffixed.count == 1 ? suffixed[0] : nearest(to: tensorName, in: names)).map { "did you mean '\($0)'? " } ?? ""
                let some = names.isEmpty ? "it holds no tensors"
                    : "it holds \(names.count) tensor\(names.count == 1 ? "" : "s"): " + names.prefix(3).joined(separator: ", ")
                        + (names.count > 3 ? ", …" : "")
                throw Diagnostic("no tensor '\(tensorName)' in \(resolved): \(hint)\(some)", at: place(fields["tensor"]!))
            }
            do { matrix = try Safetensors.matrix(path: resolved, shown: resolved, header: header, entry: entry) } catch {
                throw Diagnostic(error.message, at: place(fields["tensor"]!))
            }
            cache.matrices[cacheKey] = matrix
        } else {
            do { matrix = try MatrixFiles.load(path: resolved) } catch {
                var located = error  // at the file, as for {file: NAME} alone
                located.notes.append("\(name) is read from this file at \(place(fileNode))")
                throw located
            }
            cache.matrices[cacheKey] = matrix
        }
        let original = (matrix.rows, matrix.columns)
        if transpose { matrix = matrix.transposed }
        let after = transpose ? " (after transpose)" : ""
        if let (start, end) = rowRange {
            guard end <= matrix.rows else {
                throw Diagnostic("\(name).rows [\(start), \(end)] runs past the \(matrix.rows) rows of the matrix\(after): rows are [start, end] from 0, end not included", at: place(fields["rows"]!))
            }
            matrix = Matrix(rows: end - start, columns: matrix.columns, storage: Array(matrix.storage[(start * matrix.columns)..<(end * matrix.columns)]))
        }
        if let (start, end) = columnRange {
            guard end <= matrix.columns else {
                throw Diagnostic("\(name).columns [\(start), \(end)] runs past the \(matrix.columns) columns of the matrix\(after): "
                    + "columns are [start, end] from 0, end not included", at: place(fields["columns"]!))
            }
            matrix = matrix.columns(start..<end)
        }
        var what = resolved + (tensorName.map { ", tensor \($0)" } ?? "") + " (\(original.0) × \(original.1)"
        if transpose { what += ", transposed" }
        if let (s, e) = rowRange { what += ", rows \(s)..<\(e)" }
        if let (s, e) = columnRange { what += ", columns \(s)..<\(e)" }
        files[SpecLoader.key(name.split(separator: ".").map { .key(String($0)) })] =
            "\(name) is read from \(what)\(transpose || rowRange != nil || columnRange != nil ? ": \(matrix.rows) × \(matrix.columns)" : ""))"
        return matrix
    }

    /// `[start, end]`, half-open, 0 ≤ start < end.
    func span(_ node: Node?, _ name: String) throws(Diagnostic) -> (Int, Int)? {
        guard let node else { return nil }
        let usage = "\(name) must be [start, end]: whole numbers from 0 with start < end (end not included), e.g. [0, 32]"
        guard let items = node.sequence, items.count == 2,
              let start = items[0].scalar.flatMap({ Int($0.string) }), let end = items[1].scalar.flatMap({ Int($0.string) }),
              start >= 0, start < end else {
            throw Diagnostic(usage, at: place(node))
        }
        return (start, end)
    }
}
