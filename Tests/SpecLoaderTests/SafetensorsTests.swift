import AttentionEngine
import Diagnostics
import Foundation
@testable import SpecLoader
import Testing

/// Tensors from .safetensors files (docs/spec.md, "Tensors from .safetensors files"). The
/// files are written here, byte by byte, into a fresh folder: values must come back bit for
/// bit, and every malformed file must give its exact, located message.
@Suite("safetensors files")
struct SafetensorsTests {
    /// A tensor as it is stored: name, dtype, shape and its little-endian bytes.
    struct Tensor {
        var name: String
        var dtype: String
        var shape: [Int]
        var bytes: [UInt8]
    }

    static func le<T: FixedWidthInteger>(_ x: T) -> [UInt8] { (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: x >> (8 * $0)) } }
    static func f32(_ name: String, _ shape: [Int], _ values: [Float]) -> Tensor { Tensor(name: name, dtype: "F32", shape: shape, bytes: values.flatMap { le($0.bitPattern) }) }
    static func f64(_ name: String, _ shape: [Int], _ values: [Double]) -> Tensor { Tensor(name: name, dtype: "F64", shape: shape, bytes: values.flatMap { le($0.bitPattern) }) }

    /// The file safetensors' `save_file` writes: the header (with __metadata__, padded with
    /// spaces to a multiple of 8), then the tensors' data one after the other.
    static func file(_ tensors: [Tensor]) -> Data {
        var entries = [#""__metadata__":{"format":"pt"}"#]
        var offset = 0
        for t in tensors {
            entries.append("\"\(t.name)\":{\"dtype\":\"\(t.dtype)\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + t.bytes.count)]}")
            offset += t.bytes.count
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        return raw(header, tensors.flatMap(\.bytes))
    }

    /// Any header bytes, any data.
    static func raw(_ header: [UInt8], _ data: [UInt8] = [], length: UInt64? = nil) -> Data {
        Data(le(length ?? UInt64(header.count)) + header + data)
    }
    static func raw(_ header: String, _ data: [UInt8] = []) -> Data { raw(Array(header.utf8), data) }

    static func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("attn-safetensors-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Loads `yaml` (as s.yaml in a folder holding `files`) and traces it; the message of
    /// the diagnostic, with the folder left out, or nil.
    static func message(_ yaml: String, _ files: [String: Data]) throws -> String? {
        let dir = try folder()
        for (name, data) in files { try data.write(to: URL(fileURLWithPath: dir + "/" + name)) }
        do {
            _ = try SpecLoader.load(yaml, path: dir + "/s.yaml").loaded.trace()
            return nil
        } catch {
            return error.description.replacingOccurrences(of: dir + "/", with: "")
        }
    }

    static func load(_ yaml: String, _ files: [String: Data]) throws -> LoadedSpec {
        let dir = try folder()
        for (name, data) in files { try data.write(to: URL(fileURLWithPath: dir + "/" + name)) }
        return try SpecLoader.load(yaml, path: dir + "/s.yaml").loaded
    }

    // MARK: Reading

    /// A tiny "model": 2 tokens of width 4, one layer of 2 heads of 2, PyTorch's layout (out × in).
    static let x: [Float] = [0.5, -1, 2, 0.25, 1.5, 0, -0.75, 1]
    static let wq: [Float] = (0..<16).map { Float($0 % 5) * 0.25 - 0.5 }
    static let wk: [Float] = (0..<16).map { Float(($0 * 3) % 7) * 0.125 - 0.25 }
    static let wv: [Float] = (0..<16).map { Float(($0 * 5) % 9) * 0.1 - 0.3 }
    static let bq: [Float] = [0.1, -0.2, 0.3, -0.4]
    static let model = file([
        f32("x", [2, 4], x), f32("q.weight", [4, 4], wq), f32("q.bias", [4], bq),
        f32("k.weight", [4, 4], wk), f32("v.weight", [4, 4], wv),
    ])

    static func rows(_ values: [Float], _ r: Int, _ c: Int) -> [[Double]] {
        (0..<r).map { i in (0..<c).map { Double(values[i * c + $0]) } }
    }

    @Test("a spec reads X, transposed weights and a bias from a safetensors file, as the same numbers written out")
    func spec() throws {
        let loaded = try Self.load("""
            tokens: [a, b]
            heads: 2
            X: {file: m.safetensors, tensor: x}
            W_Q: {file: m.safetensors, tensor: q.weight, transpose: true}
            W_K: {file: m.safetensors, tensor: k.weight, transpose: true}
            W_V: {file: m.safetensors, tensor: v.weight, transpose: true}
            b_Q: {file: m.safetensors, tensor: q.bias}
            """, ["m.safetensors": Self.model])
        let t = { (m: [Float]) in Matrix(Self.rows(m, 4, 4)).transposed }
        #expect(loaded.spec.X == Matrix(Self.rows(Self.x, 2, 4)))
        #expect(loaded.spec.projection?.W_Q == t(Self.wq))
        #expect(loaded.spec.projection?.W_K == t(Self.wk))
        #expect(loaded.spec.projection?.W_V == t(Self.wv))
        #expect(loaded.spec.projection?.b_Q == Self.bq.map(Double.init))
        #expect(try loaded.trace().events.contains { $0.name == "α" && $0.head == 1 })
    }

    @Test("rows and columns take a half-open slice, after transpose: one head's block of W_Q and of its bias")
    func slices() throws {
        let loaded = try Self.load("""
            tokens: [a, b]
            X: {file: m.safetensors, tensor: x}
            W_Q: {file: m.safetensors, tensor: q.weight, transpose: true, columns: [2, 4]}
            W_K: {file: m.safetensors, tensor: k.weight, transpose: true, columns: [2, 4]}
            W_V: {file: m.safetensors, tensor: v.weight, transpose: true, columns: [2, 4]}
            b_Q: {file: m.safetensors, tensor: q.bias, columns: [2, 4]}
            """, ["m.safetensors": Self.model])
        let wq = Matrix(Self.rows(Self.wq, 4, 4)).transposed
        #expect(loaded.spec.projection?.W_Q == wq.columns(2..<4))
        #expect(loaded.spec.projection?.b_Q == [0.3, -0.4].map { Double(Float($0)) })
        let row = try Self.load("tokens: [b]\nX: {file: m.safetensors, tensor: x, rows: [1, 2]}", ["m.safetensors": Self.model])
        #expect(row.spec.X == Matrix([Self.rows(Self.x, 2, 4)[1]]))
        // The same keys work for .npy and .csv files.
        let csv = try Self.load("tokens: [a, b]\nX: {file: x.csv, columns: [1, 3], transpose: false}", ["x.csv": Data("1, 2, 3\n4, 5, 6\n".utf8)])
        #expect(csv.spec.X == Matrix([[2, 3], [5, 6]]))
    }

    @Test("F64, F32, F16 and BF16 are read exactly")
    func dtypes() throws {
        let doubles: [Double] = [0.1, -2.5, 1e-300, 1.0 / 3.0]
        let halves: [UInt16] = [0x3C00, 0xC000, 0x0001, 0x7BFF]        // 1, -2, 2⁻²⁴ (subnormal), 65504
        let brains: [UInt16] = [0x3F80, 0xC0A0, 0x0001, 0x7F7F]        // 1, -5, 2⁻¹³³ (subnormal), ≈ 3.39e38
        let data = Self.file([
            Self.f64("d", [4], doubles), Self.f32("f", [2, 2], [0.1, -2.5, 1e-30, 3]),
            Tensor(name: "h", dtype: "F16", shape: [4], bytes: halves.flatMap { Self.le($0) }),
            Tensor(name: "b", dtype: "BF16", shape: [4], bytes: brains.flatMap { Self.le($0) }),
        ])
        func read(_ tensor: String) throws -> [Double] {
            try Self.load("tokens: [a]\nX: {file: m.safetensors, tensor: \(tensor)}", ["m.safetensors": data]).spec.X.storage
        }
        #expect(try read("d").map(\.bitPattern) == doubles.map(\.bitPattern))
        #expect(try read("f") == [Float(0.1), -2.5, 1e-30, 3].map { Double($0) })
        #expect(try read("h") == [1, -2, 0x1p-24, 65504])
        #expect(try read("b") == [1, -5, 0x1p-133, Double(Float(bitPattern: 0x7F7F_0000))])
    }

    // MARK: Malformed files

    static let good = [Self.f32("w", [2, 2], [1, 2, 3, 4])]
    static let spec = "tokens: [a, b]\nX: {file: m.safetensors, tensor: w}"
    static func header(_ json: String, _ data: [UInt8] = [UInt8](repeating: 0, count: 16)) -> Data { raw(json, data) }

    static let malformed: [(data: Data, message: String)] = [
        (Data([1, 0, 0]), "s.yaml:2:11: m.safetensors: the file is truncated: it has 3 bytes, fewer than the 8 that give the header's length"),
        (raw([], length: 1 << 40), "s.yaml:2:11: m.safetensors: not a safetensors file: its first 8 bytes give a header of 1099511627776 bytes, more than the limit of 100000000"),
        (raw(Array("{}".utf8), length: 500), "s.yaml:2:11: m.safetensors: the file is truncated: the header should be 500 bytes, but the file ends at byte 10"),
        (header("[1, 2]  "), "s.yaml:2:11: m.safetensors: bad header: it does not start with '{' (a safetensors header is a JSON object)"),
        (header("{\"w\": {\"dtype\": \"F32\", "), "s.yaml:2:11: m.safetensors: bad header: it is not valid JSON"),
        (header("{\"w\": [1, 2]}"), "s.yaml:2:11: m.safetensors: bad header: the entry of 'w' is not an object with dtype, shape and data_offsets"),
        (header(#"{"w": {"dtype": "F32", "shape": [2, 2]}}"#), "s.yaml:2:11: m.safetensors: bad header: the entry of 'w' has no data_offsets"),
        (header(#"{"w": {"dtype": "F32", "shape": [2, -2], "data_offsets": [0, 16]}}"#), "s.yaml:2:11: m.safetensors: bad header: the shape of 'w' is not a list of whole numbers"),
        (header(#"{"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [16, 0]}}"#), "s.yaml:2:11: m.safetensors: bad header: the data_offsets of 'w' are not [begin, end] with 0 ≤ begin ≤ end"),
        (header(#"{"w": {"dtype": "F33", "shape": [2, 2], "data_offsets": [0, 16]}}"#), "s.yaml:2:11: m.safetensors: tensor 'w' has the unknown dtype 'F33': safetensors defines BF16, BOOL, C128, C64, F16, F32, F64, F8_E4M3, F8_E5M2, F8_E8M0, I16, I32, I64, I8, U16, U32, U64, U8"),
        (header(#"{"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [8, 24]}}"#), "s.yaml:2:11: m.safetensors: the data of 'w' (bytes 8–24 after the header) runs past the end of the file: only 16 bytes of data follow the header; the file may be truncated"),
        (header(#"{"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 16]}}"#), "s.yaml:2:11: m.safetensors: tensor 'w' of shape [2, 3] and dtype F32 needs 24 bytes, but its data_offsets [0, 16] hold 16"),
        (header(#"{"w": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 16]}}"#), "s.yaml:2:11: m.safetensors: tensor 'w' of shape [4611686018427387904, 4] does not fit in the file"),
        (header(#"{"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}, "v": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}"#),
         "s.yaml:2:11: m.safetensors: bad header: the data of 'w' and 'v' overlap (bytes 8–16 after the header)"),
        (header(#"{"w": {"dtype": "I64", "shape": [2], "data_offsets": [0, 16]}}"#), "s.yaml:2:34: m.safetensors: tensor 'w' has dtype I64: attn reads F32, F64, F16 and BF16 tensors; convert it, e.g. t.to(torch.float32), before saving"),
        (header(#"{"w": {"dtype": "F32", "shape": [2, 1, 2], "data_offsets": [0, 16]}}"#), "s.yaml:2:34: m.safetensors: tensor 'w' has 3 dimensions (shape [2, 1, 2]): attn reads 2-D tensors (matrices) and 1-D tensors (biases)"),
        (header(#"{"w": {"dtype": "F32", "shape": [], "data_offsets": [0, 4]}}"#), "s.yaml:2:34: m.safetensors: tensor 'w' has 0 dimensions (shape []): attn reads 2-D tensors (matrices) and 1-D tensors (biases)"),
        (header(#"{"w": {"dtype": "F32", "shape": [0, 2], "data_offsets": [0, 0]}}"#), "s.yaml:2:34: m.safetensors: tensor 'w' is empty (shape [0, 2])"),
        (file([f32("w", [2, 2], [1, .nan, 3, 4])]), "s.yaml:2:34: m.safetensors: the value at [0, 1] of 'w' is nan: every value must be a finite number"),
        (file([f32("encoder.w", [2, 2], [1, 2, 3, 4]), f32("x", [1], [1])]), "s.yaml:2:34: no tensor 'w' in m.safetensors: did you mean 'encoder.w'? it holds 2 tensors: encoder.w, x"),
        (file([f32("v", [2, 2], [1, 2, 3, 4])]), "s.yaml:2:34: no tensor 'w' in m.safetensors: did you mean 'v'? it holds 1 tensor: v"),
        (file([]), "s.yaml:2:34: no tensor 'w' in m.safetensors: it holds no tensors"),
        (file(good), ""),
    ]

    @Test("each malformed safetensors file gives its exact message, at the spec's line and column", arguments: malformed.indices)
    func malformedFiles(index: Int) throws {
        let (data, expected) = Self.malformed[index]
        let got = try Self.message(Self.spec, ["m.safetensors": data])
        #expect(got == (expected.isEmpty ? nil : expected), "got: \(got ?? "no error")")
    }

    static let specErrors: [(yaml: String, message: String)] = [
        ("tokens: [a, b]\nX: {file: m.safetensors}", "s.yaml:2:4: X needs tensor: a .safetensors file holds many tensors; name one, e.g. {file: m.safetensors, tensor: encoder.layer.0.attention.self.query.weight}"),
        ("tokens: [a, b]\nX: {file: m.safetensors, tensor: q.wieght}", "s.yaml:2:34: no tensor 'q.wieght' in m.safetensors: did you mean 'q.weight'? it holds 5 tensors: k.weight, q.bias, q.weight, …"),
        ("tokens: [a, b]\nX: {file: m.safetensors, tensr: x}", "s.yaml:2:26: unknown key 'tensr' in X: did you mean 'tensor'? {file: NAME} takes tensor (for a .safetensors file), transpose, rows and columns"),
        ("tokens: [a, b]\nX: {file: m.safetensors, tensor: x, seed: 1}", "s.yaml:2:4: X: {file: NAME} takes no other keys (seed, low, high and decimals are for seeded matrices)"),
        ("tokens: [a, b]\nX: {file: x.csv, tensor: x}", "s.yaml:2:26: X.tensor is for .safetensors files, which hold many tensors; 'x.csv' holds one matrix: remove tensor"),
        ("tokens: [a, b]\nX: {file: m.safetensor, tensor: x}", "s.yaml:2:11: X.file 'm.safetensor' must end in .csv (numbers separated by commas), .npy (NumPy's np.save) or .safetensors"),
        ("tokens: [a, b]\nX: {file: none.safetensors, tensor: x}", "s.yaml:2:11: X.file 'none.safetensors' does not exist (looked for none.safetensors): file names are relative to the file that names them"),
        ("tokens: [a, b]\nX: {file: m.safetensors, tensor: x, transpose: maybe}", "s.yaml:2:48: X.transpose must be true or false, not 'maybe'"),
        ("tokens: [a, b]\nX: {file: m.safetensors, tensor: x, columns: [2, 9]}", "s.yaml:2:46: X.columns [2, 9] runs past the 4 columns of the matrix: columns are [start, end] from 0, end not included"),
        ("tokens: [a, b]\nX: {file: m.safetensors, tensor: x, transpose: true, rows: [0, 5]}", "s.yaml:2:60: X.rows [0, 5] runs past the 4 rows of the matrix (after transpose): rows are [start, end] from 0, end not included"),
        ("tokens: [a, b]\nX: {file: m.safetensors, tensor: x, rows: [1, 1]}", "s.yaml:2:43: X.rows must be [start, end]: whole numbers from 0 with start < end (end not included), e.g. [0, 32]"),
        ("tokens: [a, b]\nX: {file: m.safetensors, tensor: x, rows: 1}", "s.yaml:2:43: X.rows must be [start, end]: whole numbers from 0 with start < end (end not included), e.g. [0, 32]"),
        ("tokens: [a, b]\nX: {file: m.safetensors, tensor: x}\nW_Q: {file: m.safetensors, tensor: q.weight}\nW_K: {file: m.safetensors, tensor: k.weight, columns: [0, 2]}\nW_V: {file: m.safetensors, tensor: v.weight}",
         "s.yaml:4:1: W_K has 2 columns but W_Q has 4: queries and keys must have the same width to take dot products\n  note: W_K is read from m.safetensors, tensor k.weight (4 × 4, columns 0..<2: 4 × 2)"),
        ("tokens: [a, b, c]\nX: {file: m.safetensors, tensor: x, transpose: true}", "s.yaml:2:1: X has 4 rows but there are 3 tokens: give one row of X per token\n  note: X is read from m.safetensors, tensor x (2 × 4, transposed: 4 × 2)"),
        ("tokens: [a, b]\nX: {file: m.safetensors, tensor: x}\nW_Q: {file: m.safetensors, tensor: q.weight}\nW_K: {file: m.safetensors, tensor: k.weight}\nW_V: {file: m.safetensors, tensor: v.weight}\nb_Q: {file: m.safetensors, tensor: q.weight}",
         "s.yaml:6:6: b_Q is 4 × 4 in its file, but a bias is one row of numbers (a 1-D array, or one line of CSV)"),
    ]

    @Test("mistakes in the keys of a tensor reference point at the spec", arguments: specErrors.indices)
    func keyErrors(index: Int) throws {
        let (yaml, expected) = Self.specErrors[index]
        let got = try Self.message(yaml, ["m.safetensors": Self.model, "x.csv": Data("1, 2, 3\n4, 5, 6\n".utf8)])
        #expect(got == expected, "got: \(got ?? "no error")")
    }

    @Test("an .npy problem behind tensor keys still points at the .npy file, with a note naming the spec line")
    func npyWithKeys() throws {
        let got = try Self.message("tokens: [a]\nX: {file: bad.npy, columns: [0, 1]}", ["bad.npy": Data("nonsense".utf8)])
        #expect(got == "bad.npy: not a NumPy .npy file (it does not start with \\x93NUMPY): save the array with np.save(path, a)\n  note: X is read from this file at s.yaml:2:11")
    }

    @Test("the header's length is checked before anything is read: a claimed 2⁶⁴ − 1 bytes costs nothing")
    func hugeLength() throws {
        let got = try Self.message(Self.spec, ["m.safetensors": Self.raw([], length: .max)])
        #expect(got == "s.yaml:2:11: m.safetensors: not a safetensors file: its first 8 bytes give a header of 18446744073709551615 bytes, more than the limit of 100000000")
    }
}
