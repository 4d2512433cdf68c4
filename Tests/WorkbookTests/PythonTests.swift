import Foundation
import TestSupport
import Testing
import WorkbookChecks
import WorkbookRunner

/// The NumPy edition: the same checks judge what a Python process returns (run_exercise.py).
/// Needs python3 with numpy: .build/venv/bin/python3 when present (scripts/install-deps.sh
/// --python test), else python3 on PATH.
@Suite("the NumPy edition")
struct PythonTests {
    static let python: URL = {
        let venv = repositoryRoot.appendingPathComponent(".build/venv/bin/python3")
        return FileManager.default.isExecutableFile(atPath: venv.path) ? venv : URL(fileURLWithPath: "/usr/bin/env")
    }()
    static var pythonArguments: [String] { python.path == "/usr/bin/env" ? ["python3"] : [] }
    static let environment = python.path == "/usr/bin/env" ? [:] : ["ATTN_PYTHON": python.path]
    static let catalog = Workbook(root: repositoryRoot, edition: .python).catalog
    static let solutions = repositoryRoot.appendingPathComponent("Sources/WorkbookSolutions/python")
    static let harness = repositoryRoot.appendingPathComponent("workbook/harness/run_exercise.py").path

    /// Exercise `n` run as `function` of `file`, with `folder`'s exercises for the earlier ones.
    static func check(_ n: Int, file: URL, function: String, folder: URL = solutions, timeout: Double = 10) -> WorkbookRunner.Result {
        ExerciseRunner.check(WorkbookExercise.numbered(n)!, catalog: catalog, program: python,
                             arguments: pythonArguments + [harness, folder.path, file.path, function], timeout: timeout)
    }

    /// The catalogue of wrong implementations in tests/python/wrong.py: name, exercise, words.
    static let wrong: [(name: String, exercise: Int, says: String)] = {
        let text = (try? String(contentsOf: repositoryRoot.appendingPathComponent("Tests/WorkbookTests/python/wrong.py"), encoding: .utf8)) ?? ""
        let pattern = try! NSRegularExpression(pattern: #"^    "(\w+)": \((\d+), "(.*)"\),$"#, options: .anchorsMatchLines)
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
            let group = { (i: Int) in String(text[Range(m.range(at: i), in: text)!]) }
            return (group(1), Int(group(2))!, group(3))
        }
    }()

    @Test("the Python reference solutions pass every check", arguments: exerciseNumbers)
    func referencePasses(n: Int) {
        let exercise = WorkbookExercise.numbered(n)!
        let result = Self.check(n, file: Self.solutions.appendingPathComponent(exercise.pythonFile), function: exercise.pythonName)
        guard case .passed(let cases) = result else { Issue.record("exercise \(n): \(result)"); return }
        #expect(cases >= 3)
    }

    @Test("the catalogue of wrong implementations, in Python, is rejected with the right diagnosis")
    func wrongRejected() {
        #expect(Self.wrong.count >= 40)
        // Every exercise from 2 on has wrong implementations in Python, as in Swift.
        #expect(Set(Self.wrong.map(\.exercise)) == Set(exerciseNumbers.filter { $0 >= 2 }))
        #expect(Set(Self.wrong.map(\.exercise)) == Set(wrongImplementations.map(\.exercise)))
        let file = repositoryRoot.appendingPathComponent("Tests/WorkbookTests/python/wrong.py")
        for wrong in Self.wrong {
            let result = Self.check(wrong.exercise, file: file, function: wrong.name)
            guard case .failed(let message) = result else { Issue.record("\(wrong.name) (\(wrong.exercise)): \(result)"); continue }
            #expect(message.contains("likely mistake — "), "\(wrong.name): \(message)")
            #expect(message.contains(wrong.says), "\(wrong.name): \(message)")
        }
    }

    /// A scratch NumPy edition with one file `text` for exercise `n`.
    static func scratch(_ n: Int, _ text: String) throws -> URL {
        try scratchWorkbook(python: [WorkbookExercise.numbered(n)!.pythonFile: text])
    }

    @Test("an exception, a syntax error, a hang, None, a wrong shape and one matrix for a pair each fail their exercise, with the Python file and line")
    func failures() throws {
        let cases: [(Int, String, String)] = [
            (5, "import numpy as np\n\ndef softmax_rows(scores):\n    return scores / 0 + [1, 2, 3, 4, 5, 6, 7]\n",
             "It raised ValueError: operands could not be broadcast"),
            (4, "def scaled(scores, d_k):\n    return scores / (d_k - d_k) // 0 if False else 1 / 0\n",
             "It raised ZeroDivisionError: division by zero (at workbook/python/04_scaled.py:2: return scores / (d_k - d_k) // 0 if False else 1 / 0)"),
            (3, "def project(X, W)\n    return X @ W\n", "workbook/python/03_project.py:1:18: SyntaxError: expected ':'"),
            (6, "def context_vector(weights, values):\n    while True:\n        pass\n", "It was stopped after 2 s"),
            (1, "def scores(query, keys):\n    x = keys @ query\n", "scores returned None: the function returned nothing -- did you forget `return`?"),
            (2, "def score_matrix(queries, keys):\n    return keys @ queries.T\n", "likely mistake — your scores are transposed"),
            (9, "def split_heads(matrix, heads):\n    return matrix\n", "your function returned a list of lists of numbers (a matrix), but it must return a list of matrices, one per head"),
            (14, "def query_key_gradients(d_scores, queries, keys, d_k):\n    return d_scores @ keys\n",
             "your function returned a list of lists of numbers (a matrix), but it must return two matrices, the pair (dQ, dK)"),
        ]
        for (n, text, says) in cases {
            let root = try Self.scratch(n, text)
            defer { try? FileManager.default.removeItem(at: root) }
            let run = try attn("check", "--python", String(n), "--timeout", "2", environment: Self.environment, in: root)
            #expect(run.status == 1, "\(n): \(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains(says), "\(n): \(run.stdout)")
        }
    }

    @Test("issue 14: the untouched stubs are 0 of N done and exit 0; a right exercise 5 is ✓, one without max subtraction ✗ with that diagnosis")
    func doneWhen() throws {
        let root = try scratchWorkbook()
        defer { try? FileManager.default.removeItem(at: root) }
        let fresh = try attn("check", "--python", environment: Self.environment, in: root)
        #expect(fresh.status == 0, "\(fresh.stdout)\(fresh.stderr)")
        #expect(fresh.stdout.contains("Workbook: workbook/python (NumPy edition)"))
        #expect(fresh.stdout.contains("0 of \(exerciseCount) done · 0 wrong · \(exerciseCount) not started"), "\(fresh.stdout)")
        #expect(fresh.stdout.contains("replace `raise NotImplementedError(…)` with your code"))
        let five = root.appendingPathComponent("workbook/python/05_softmax_rows.py")
        try solution(5, python: true).write(to: five, atomically: true, encoding: .utf8)
        let right = try attn("check", "--python", environment: Self.environment, in: root)
        #expect(right.status == 0)
        #expect(CheckCommandTests.line(5, in: right.stdout).hasSuffix("7 cases pass"), "\(right.stdout)")
        try "import numpy as np\n\n\ndef softmax_rows(scores):\n    e = np.exp(scores)\n    return e / e.sum(axis=1, keepdims=True)\n".write(to: five, atomically: true, encoding: .utf8)
        let wrong = try attn("check", "--python", environment: Self.environment, in: root)
        #expect(wrong.status == 1)
        // The progress file remembers that it passed before.
        #expect(CheckCommandTests.line(5, in: wrong.stdout).hasSuffix("wrong (passed before)"), "\(wrong.stdout)")
        #expect(wrong.stdout.contains("likely mistake — no max subtraction"), "\(wrong.stdout)")
        // Exercise 8 calls it: blamed on exercise 5.
        try solution(8, python: true).write(to: root.appendingPathComponent("workbook/python/08_causal_weights.py"), atomically: true, encoding: .utf8)
        let eight = try attn("check", "--python", "8", environment: Self.environment, in: root)
        #expect(eight.stdout.contains("Your softmax_rows(scores) from exercise 5 is wrong: fix it first."), "\(eight.stdout)")
        // Exercise 15's reference calls it too (and scores and context_vector, solved here), and
        // --reset 15 puts its stub back.
        for n in [1, 6] {
            try solution(n, python: true).write(to: root.appendingPathComponent("workbook/python/\(WorkbookExercise.numbered(n)!.pythonFile)"),
                                                atomically: true, encoding: .utf8)
        }
        let fifteen = root.appendingPathComponent("workbook/python/15_decode_step.py")
        try solution(15, python: true).write(to: fifteen, atomically: true, encoding: .utf8)
        let decode = try attn("check", "--python", "15", environment: Self.environment, in: root)
        #expect(decode.stdout.contains("Your softmax_rows(scores) from exercise 5 is wrong: fix it first."), "\(decode.stdout)")
        let reset = try attn("check", "--python", "--reset", "15", "--yes", environment: Self.environment, in: root)
        #expect(reset.stdout.hasPrefix("Exercise 15 is a stub again: workbook/python/15_decode_step.py"), "\(reset.stdout)")
        #expect(try String(contentsOf: fifteen, encoding: .utf8)
                == String(contentsOf: repositoryRoot.appendingPathComponent("workbook/stubs/python/15_decode_step.py"), encoding: .utf8))
    }

    @Test("every Python reference solution, typed into its stub's file, passes through attn check --python")
    func allSolved() throws {
        var files: [String: String] = [:]
        for exercise in WorkbookExercise.all { files[exercise.pythonFile] = try solution(exercise.number, python: true) }
        let root = try scratchWorkbook(python: files)
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try attn("check", "--python", environment: Self.environment, in: root)
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains("\(exerciseCount) of \(exerciseCount) done"), "\(run.stdout)")
        #expect(run.stdout.contains("You have finished the workbook"), "\(run.stdout)")
    }
}
