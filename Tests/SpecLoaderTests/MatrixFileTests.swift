import AttentionEngine
import Diagnostics
import Foundation
@testable import SpecLoader
import Testing

/// Matrices from .csv and .npy files (docs/spec.md, "Matrices from files"). The fixtures in
/// Fixtures/ were written by NumPy (Fixtures/make_fixtures.py); values must come back
/// bit for bit, and every malformed file must give its exact message.
@Suite("matrix files")
struct MatrixFileTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// The matrix NumPy saved as x_f8.npy and friends.
    static let x: [Double] = [0.1, -2.5, 1e-300, 3.0, 1.0 / 3.0, -0.0]

    static func load(_ name: String) throws(Diagnostic) -> Matrix {
        try MatrixFiles.load(path: fixtures + "/" + name, displayPath: name)
    }

    /// The message of `body`'s diagnostic, with the fixtures folder left out of paths.
    static func message(_ body: () throws(Diagnostic) -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return error.description.replacingOccurrences(of: fixtures + "/", with: "")
        }
    }

    static func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

    // MARK: Reading

    @Test("float64 .npy, .npy version 2.0, Fortran order and NumPy's CSV give NumPy's values bit for bit",
          arguments: ["x_f8.npy", "x_v2.npy", "x_fortran.npy", "x.csv", "x_header.csv"])
    func exact(name: String) throws {
        let m = try Self.load(name)
        #expect(m.rows == 2 && m.columns == 3)
        #expect(Self.bits(m.storage) == Self.bits(Self.x))
    }

    @Test("float32 is widened exactly; integers become Doubles")
    func widening() throws {
        #expect(Self.bits(try Self.load("x_f4.npy").storage) == Self.bits(Self.x.map { Double(Float($0)) }))
        #expect(try Self.load("x_i8.npy").storage == [1, -2, 3, 1_099_511_627_776])
        #expect(try Self.load("x_i4.npy").storage == [1, -2, 3, 4])
    }

    @Test("a 1-D array is one row")
    func oneDimensional() throws {
        let b = try Self.load("b_1d.npy")
        #expect(b.rows == 1 && b.columns == 3 && b.storage == [0.5, -1.25, 2])
    }

    @Test("CSV: spaces, CRLF, a byte-order mark, blank and # lines are fine")
    func csvLeniency() throws {
        let text = "\u{FEFF}# exported\r\n 1, 2.5 ,-3e-1\r\n\r\n4,\t5,6\r\n"
        let m = try MatrixFiles.csv(Data(text.utf8), path: "m.csv")
        #expect(m.rows == 2 && m.columns == 3 && m.storage == [1, 2.5, -0.3, 4, 5, 6])
    }

    // MARK: Malformed files

    static let badNPY: [(file: String, message: String)] = [
        ("nan.npy", "nan.npy: the value at [1, 0] is nan: every value must be a finite number"),
        ("inf.npy", "inf.npy: the value at [1] is -inf: every value must be a finite number"),
        ("truncated.npy", "truncated.npy: the file is truncated: shape (2, 3) of <f8 needs 48 bytes of data from byte 128, but only 40 follow"),
        ("bad_magic.npy", "bad_magic.npy: not a NumPy .npy file (it does not start with \\x93NUMPY): save the array with np.save(path, a)"),
        ("archive.npy", "archive.npy: this is an .npz archive (several arrays), not an .npy file: save one array with np.save(path, a)"),
        ("bad_header.npy", "bad_header.npy: bad header: shape must be a tuple such as (3, 4)"),
        ("big_endian.npy", "big_endian.npy: the array is big-endian ('>f8'): attn reads float64, float32 and integer arrays: convert with a.astype('<f8')"),
        ("object.npy", "object.npy: the array holds Python objects (dtype object): attn reads float64, float32 and integer arrays: convert with a.astype('<f8')"),
        ("complex.npy", "complex.npy: the array holds complex numbers ('<c16'): save the real part, a.real.astype('<f8')"),
        ("structured.npy", "structured.npy: this is a structured array (descr is a list of fields): save a plain numeric matrix, e.g. np.save(path, a.astype('<f8'))"),
        ("three_d.npy", "three_d.npy: the array has 3 dimensions (shape (2, 2, 2)): save a 2-D matrix (or a 1-D vector), e.g. a[0] or a.reshape(-1, a.shape[-1])"),
        ("scalar.npy", "scalar.npy: the array holds a single number (shape ()), not a matrix: save at least a 1-D array"),
        ("missing.npy", "missing.npy: no such file"),
        ("good.yaml", "good.yaml: a matrix file must end in .csv (numbers separated by commas) or .npy (NumPy's np.save)"),
    ]

    @Test("each malformed or unsupported .npy file gives its exact message", arguments: badNPY.indices)
    func npyErrors(index: Int) {
        let (file, expected) = Self.badNPY[index]
        #expect(Self.message { () throws(Diagnostic) in _ = try Self.load(file) } == expected)
    }

    /// Headers NumPy would not write, built byte by byte.
    static func npy(_ header: String, version: UInt8 = 1, data: [UInt8] = []) -> Data {
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let h = Array(header.utf8)
        bytes += version == 1 ? [UInt8(h.count & 0xFF), UInt8(h.count >> 8)] : [UInt8(h.count & 0xFF), UInt8(h.count >> 8), 0, 0]
        return Data(bytes + h + data)
    }

    static let craftedNPY: [(data: Data, message: String)] = [
        (npy("{'descr': '<f8', 'fortran_order': False}"), "m.npy: bad header: it has no 'shape' (header: {'descr': '<f8', 'fortran_order': False})"),
        (npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), "), "m.npy: bad header at byte 66: the header ends before its closing '}' (header: {'descr': '<f8', 'fortran_order': False, 'shape': (1,),)"),
        (npy("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,)}"), "m.npy: bad header at byte 49: unexpected value 'Maybe' (header: {'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,)})"),
        (npy("{'descr': '<f2', 'fortran_order': False, 'shape': (1,)}", data: [0, 0]), "m.npy: the array is float16 ('<f2'): attn reads float64, float32 and integer arrays: convert with a.astype('<f8')"),
        (npy("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3)}"), "m.npy: the array is empty (shape (0, 3))"),
        (npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", data: [UInt8](repeating: 0, count: 9)), "m.npy: 1 bytes follow the data of shape (1,): the file is not one array written by np.save"),
        (npy("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999, 99999999999)}"), "m.npy: the file is truncated: shape (99999999999, 99999999999) of <f8 needs more bytes of data from byte 87, but only 0 follow"),
        (npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", version: 4), "m.npy: unsupported .npy format version 4.0: attn reads versions 1.0, 2.0 and 3.0"),
        (npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", version: 3, data: [0, 0, 0, 0, 0, 0, 0xF0, 0x3F]), ""),
        (Data([0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF]), "m.npy: the file is truncated: it ends inside the header (9 bytes)"),
        (Data([0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF, 0]), "m.npy: the file is truncated: the header should be 255 bytes, but the file ends at byte 10"),
        (Data(), "m.npy: not a NumPy .npy file (it does not start with \\x93NUMPY): save the array with np.save(path, a)"),
    ]

    @Test("headers NumPy would not write give clear messages", arguments: craftedNPY.indices)
    func craftedNPYErrors(index: Int) {
        let (data, expected) = Self.craftedNPY[index]
        let got = Self.message { () throws(Diagnostic) in _ = try MatrixFiles.npy(data, path: "m.npy") }
        #expect(got == (expected.isEmpty ? nil : expected))
    }

    static let badCSV: [(text: String, message: String)] = [
        ("1,2,3\n4,5\n", "m.csv:2:1: this row has 2 values but the first row (line 1) has 3: every row needs the same number of values"),
        ("1,2\n3,x\n", "m.csv:2:3: 'x' is not a number"),
        ("1, 2\n3, nan\n", "m.csv:2:4: the value is nan: every value must be a finite number"),
        ("1, -inf\n", "m.csv:1:4: the value is -inf: every value must be a finite number"),
        ("1, 1e999\n", "m.csv:1:4: the value is 1e999, too large to be a finite number"),
        ("a,b,c\n1,2,3\n", "m.csv:1:1: 'a' is not a number: a .csv matrix has no header line; remove it or start it with # (np.savetxt(path, a, delimiter=',') writes none)"),
        ("1;2;3\n", "m.csv:1:1: '1;2;3' is not a number: separate values with commas"),
        ("1 2 3\n", "m.csv:1:1: '1 2 3' is not a number: separate values with commas"),
        ("\"1\",2\n", "m.csv:1:1: '\"1\"' is not a number: write numbers without quotes"),
        ("1,,3\n", "m.csv:1:3: value 2 of this row is empty: write a number between every two commas"),
        ("1,2,\n", "m.csv:1:5: value 3 of this row is empty: write a number between every two commas"),
        ("", "m.csv:1:1: the file holds no numbers: write one row of the matrix per line, values separated by commas"),
        ("# only a comment\n\n", "m.csv:1:1: the file holds no numbers: write one row of the matrix per line, values separated by commas"),
        ("1,2\n酸,3\n", "m.csv:2:1: '酸' is not a number"),
    ]

    @Test("each malformed CSV file gives its exact message", arguments: badCSV.indices)
    func csvErrors(index: Int) {
        let (text, expected) = Self.badCSV[index]
        #expect(Self.message { () throws(Diagnostic) in _ = try MatrixFiles.csv(Data(text.utf8), path: "m.csv") } == expected)
    }

    @Test("a CSV file that is not UTF-8 is refused")
    func csvNotUTF8() {
        #expect(Self.message { () throws(Diagnostic) in _ = try MatrixFiles.csv(Data([0x31, 0x2C, 0xFF]), path: "m.csv") }
                == "m.csv:1:1: the file is not UTF-8 text: a .csv file holds numbers separated by commas")
    }

    // MARK: In specs

    static func spec(_ yaml: String, path: String = "s.yaml") throws(Diagnostic) -> LoadedSpec {
        try SpecLoader.load(yaml, path: path, baseDirectory: fixtures).loaded
    }

    @Test("a spec whose matrices all come from files computes the same as the explicit one")
    func fromFiles() throws {
        let text = try String(contentsOfFile: Self.fixtures + "/good.yaml", encoding: .utf8)
        let loaded = try SpecLoader.load(text, path: Self.fixtures + "/good.yaml").loaded
        let explicit = try SpecLoader.load("""
            tokens: [I, am, good]
            X: [[1, 0, 1, 0], [0, 2, 0, 2], [1, 1, 1, 1]]
            W_Q: [[1, 0, 1], [1, 0, 0], [0, 0, 1], [0, 1, 1]]
            W_K: [[0, 0, 1], [1, 1, 0], [0, 1, 0], [1, 1, 0]]
            W_V: [[0, 2, 0], [0, 3, 0], [1, 0, 3], [1, 1, 0]]
            """, path: "e.yaml").loaded
        #expect(loaded.spec.X == explicit.spec.X)
        #expect(loaded.spec.projection?.W_Q == explicit.spec.projection?.W_Q)
        #expect(loaded.spec.projection?.W_K == explicit.spec.projection?.W_K)
        #expect(loaded.spec.projection?.W_V == explicit.spec.projection?.W_V)
        #expect(try loaded.trace().output == explicit.trace().output)
    }

    @Test("file matrices set d_model and d_k as explicit rows do; biases and source.X may be files too")
    func inference() throws {
        let loaded = try Self.spec("""
            tokens: [a]
            X: {file: b_1d.npy}
            heads: 1
            W_Q: {file: good_W_V.npy}
            W_K: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
            W_V: {seed: 1}
            b_Q: {file: b_1d.npy}
            source: {tokens: [p, q], X: {file: x.csv}}
            """)
        #expect(loaded.spec.projection?.W_V.rows == 3 && loaded.spec.projection?.W_V.columns == 3)
        #expect(loaded.spec.projection?.b_Q == [0.5, -1.25, 2])
        #expect(loaded.spec.source?.X.rows == 2)
    }

    static let specErrors: [(yaml: String, message: String)] = [
        ("tokens: [a, b]\nX: {file: nope.csv}", "s.yaml:2:11: X.file 'nope.csv' does not exist (looked for nope.csv): file names are relative to the file that names them"),
        ("tokens: [a, b]\nX: {file: x.txt}", "s.yaml:2:11: X.file 'x.txt' must end in .csv (numbers separated by commas) or .npy (NumPy's np.save)"),
        ("tokens: [a, b]\nX: {file: x.csv, seed: 1}", "s.yaml:2:4: X: {file: NAME} takes no other keys (seed, low, high and decimals are for seeded matrices)"),
        ("tokens: [a, b]\nX: {file: [x.csv]}", "s.yaml:2:11: X.file must be a file name such as data/x.csv or weights/w_q.npy"),
        ("tokens: [a, b]\nd_model: 2\nX: {fil: x.csv}", "s.yaml:3:5: unknown key 'fil' in X: did you mean 'file'? a seeded matrix takes seed, low, high and decimals"),
        ("tokens: [a, b, c]\nX: {file: x.csv}", "s.yaml:2:1: X has 2 rows but there are 3 tokens: give one row of X per token\n  note: X is read from x.csv (2 × 3)"),
        ("tokens: [a, b]\nX: {file: nan.npy}", "nan.npy: the value at [1, 0] is nan: every value must be a finite number\n  note: X is read from this file at s.yaml:2:11"),
        ("tokens: [a, b]\nX: {file: x.csv}\nW_Q: {file: x_f8.npy}\nW_K: {file: x_f8.npy}\nW_V: {file: x_f8.npy}", "s.yaml:3:1: W_Q has 2 rows but X has 3 columns: W_Q needs one row per column of X (d_model = 3)\n  note: W_Q is read from x_f8.npy (2 × 3)"),
        ("tokens: [a, b]\nX: {file: x.csv}\nW_Q: {file: x.csv}\nW_K: {file: x.csv}\nW_V: {file: x.csv}\nb_Q: {file: x.csv}", "s.yaml:6:6: b_Q is 2 × 3 in its file, but a bias is one row of numbers (a 1-D array, or one line of CSV)"),
        ("tokens: [a, b]\nd_model: 4\nX: {file: x.csv}", "s.yaml:3:1: X has 3 columns but d_model is 4: make them agree, or leave d_model out"),
    ]

    @Test("problems with matrix files in a spec point at the spec or at the file", arguments: specErrors.indices)
    func specFileErrors(index: Int) {
        let (yaml, expected) = Self.specErrors[index]
        let got = Self.message { () throws(Diagnostic) in _ = try Self.spec(yaml).trace() }
        #expect(got?.replacingOccurrences(of: "looked for " + Self.fixtures + "/", with: "looked for ") == expected)
    }

    @Test("a CSV problem points at the file's line and column, with a note naming the spec line")
    func csvInSpec() throws {
        let dir = try Self.temporaryDirectory()
        try "1, 2\n3, oops\n".write(toFile: dir + "/m.csv", atomically: true, encoding: .utf8)
        let got = Self.message { () throws(Diagnostic) in
            _ = try SpecLoader.load("tokens: [a, b]\nX: {file: m.csv}", path: dir + "/s.yaml").loaded
        }
        #expect(got == "\(dir)/m.csv:2:4: 'oops' is not a number\n  note: X is read from this file at \(dir)/s.yaml:2:11")
    }

    @Test("file names in a spec read from standard input are relative to the current directory")
    func stdinBase() {
        #expect(SpecLoader.defaultBase(for: "<stdin>") == "")
        #expect(SpecLoader.defaultBase(for: "examples/a.yaml") == "examples")
        #expect(SpecLoader.defaultBase(for: "a.yaml") == "")
        #expect(SpecLoader.resolve("/abs/x.csv", from: "examples") == "/abs/x.csv")
        #expect(SpecLoader.resolve("data/x.csv", from: "examples") == "examples/data/x.csv")
    }

    // MARK: spec: in a lesson block

    static let options = SpecLoader.displayOptions

    static func block(_ yaml: String, lesson: String) throws(Diagnostic) -> (loaded: LoadedSpec, extras: [String: YAMLOption]) {
        try SpecLoader.load(yaml, path: lesson, line: 10, extraKeys: options, allowSpecFile: true)
    }

    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("attn-spec-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/specs", withIntermediateDirectories: true)
        return dir
    }

    @Test("spec: takes the spec from a file relative to the lesson; display options stay in the block")
    func specReference() throws {
        let dir = try Self.temporaryDirectory()
        try "tokens: [I, am]\nX: {file: x.csv}\n".write(toFile: dir + "/specs/two.yaml", atomically: true, encoding: .utf8)
        try "1, 0\n0, 1\n".write(toFile: dir + "/specs/x.csv", atomically: true, encoding: .utf8)
        let (loaded, extras) = try Self.block("focus: am\nspec: specs/two.yaml\ndecimals: 3", lesson: dir + "/01-x.md")
        #expect(loaded.spec.tokens == ["I", "am"])
        #expect(loaded.spec.X == Matrix([[1, 0], [0, 1]]))
        #expect(extras["focus"]?.scalar == "am")
        #expect(extras["decimals"]?.location == SourceLocation(path: dir + "/01-x.md", line: 12, column: 11))
        #expect(try loaded.trace().output.rows == 2)
    }

    @Test("errors inside the referenced spec point at that file's line and column")
    func errorsInReferencedSpec() throws {
        let dir = try Self.temporaryDirectory()
        try "tokens: [a]\nX: [[1, nope]]\n".write(toFile: dir + "/specs/bad.yaml", atomically: true, encoding: .utf8)
        try "tokens: [a, b]\nX: [[1, 2], [3, 4]]\nW_Q: [[1], [2], [3]]\nW_K: [[1], [2], [3]]\nW_V: [[1], [2], [3]]\n"
            .write(toFile: dir + "/specs/shape.yaml", atomically: true, encoding: .utf8)
        let lesson = dir + "/01-x.md"
        #expect(Self.message { () throws(Diagnostic) in _ = try Self.block("spec: specs/bad.yaml", lesson: lesson) }
                == "\(dir)/specs/bad.yaml:2:9: X[0][1] is 'nope', which is not a number")
        #expect(Self.message { () throws(Diagnostic) in _ = try Self.block("spec: specs/shape.yaml", lesson: lesson).loaded.trace() }
                == "\(dir)/specs/shape.yaml:3:1: W_Q has 3 rows but X has 2 columns: W_Q needs one row per column of X (d_model = 2)")
    }

    static let blockErrors: [(yaml: String, message: String)] = [
        ("spec: specs/none.yaml", "01-x.md:10:7: spec file 'specs/none.yaml' does not exist (looked for specs/none.yaml): file names are relative to the lesson"),
        ("spec: specs/two.yaml\nX: [[1]]", "01-x.md:11:1: X is given here, but this block takes its spec from a file (spec:): put X in that file; besides spec, a block then holds only name, title, focus, show, decimals, notation, reveal"),
        ("spec: specs/two.yaml\nfocs: am", "01-x.md:11:1: unknown key 'focs': did you mean 'focus'? a block with spec: holds only spec, name, title, focus, show, decimals, notation, reveal"),
        ("spec: [a.yaml]", "01-x.md:10:7: spec must be a file name such as specs/example.yaml"),
    ]

    @Test("mistakes in a block with spec: point at the lesson", arguments: blockErrors.indices)
    func specBlockErrors(index: Int) throws {
        let dir = try Self.temporaryDirectory()
        try "tokens: [a]\nX: [[1]]\n".write(toFile: dir + "/specs/two.yaml", atomically: true, encoding: .utf8)
        let (yaml, expected) = Self.blockErrors[index]
        let got = Self.message { () throws(Diagnostic) in _ = try Self.block(yaml, lesson: dir + "/01-x.md") }
        #expect(got?.replacingOccurrences(of: dir + "/", with: "") == expected)
    }

    @Test("spec: is not a key of a spec file itself, or of attn trace")
    func noSpecKeyInSpecs() {
        let got = Self.message { () throws(Diagnostic) in _ = try SpecLoader.load("spec: x.yaml", path: "s.yaml") }
        #expect(got?.hasPrefix("s.yaml:1:1: unknown key 'spec'") == true)
    }
}
