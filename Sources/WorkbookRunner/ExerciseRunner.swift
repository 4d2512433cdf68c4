import Foundation
import Terminal
import WorkbookChecks

/// Checks exercises of one workbook: starts each exercise's program (compiling it first for
/// the Swift edition), runs the exercise's checks against it, and words nothing.
public final class ExerciseRunner: @unchecked Sendable {
    public let workbook: Workbook
    public let timeout: Double
    public let catalog: WorkbookRunner.Catalog
    let swift: SwiftEdition

    public init(workbook: Workbook, timeout: Double) {
        self.workbook = workbook
        self.timeout = timeout
        catalog = workbook.catalog
        swift = SwiftEdition(workbook)
    }

    /// The python that runs the NumPy edition: $ATTN_PYTHON, else the repository's
    /// .build/venv/bin/python3 (scripts/install-deps.sh --python test), else python3 on PATH.
    public static func python(root: URL) -> (program: URL, arguments: [String]) {
        if let chosen = ProcessInfo.processInfo.environment["ATTN_PYTHON"], !chosen.isEmpty {
            return (URL(fileURLWithPath: chosen), [])
        }
        let venv = root.appendingPathComponent(".build/venv/bin/python3")
        if FileManager.default.isExecutableFile(atPath: venv.path) { return (venv, []) }
        return (URL(fileURLWithPath: "/usr/bin/env"), ["python3"])
    }

    /// Exercise `exercise`, checked in a program of its own for at most `timeout` seconds.
    /// While it runs, a terminal on standard error shows "checking 5 · softmaxRows(_:)… (3 s)".
    public func check(_ exercise: WorkbookRunner.Exercise) -> WorkbookRunner.Result {
        guard let checks = WorkbookExercise.numbered(exercise.number) else { return .crashed("no exercise \(exercise.number)") }
        let program: URL, arguments: [String]
        switch workbook.edition {
        case .swift:
            switch swift.program(exercise.number) {
            case .failed(let result): return result
            case .built(let url): (program, arguments) = (url, [])
            }
        case .python:
            let python = Self.python(root: workbook.root)
            program = python.program
            arguments = python.arguments + [workbook.harness.appendingPathComponent("run_exercise.py").path, workbook.exercises.path,
                                            workbook.exercises.appendingPathComponent(exercise.file).path, exercise.name]
        }
        let line = StatusLine()
        line.show("checking \(exercise.number) · \(exercise.function)")
        defer { line.clear() }
        return Self.check(checks, catalog: catalog, program: program, arguments: arguments, timeout: timeout)
    }

    /// The checks of `exercise` against any program that speaks the protocol (tests give
    /// the reference solutions and wrong ones, in either language).
    public static func check(_ exercise: WorkbookExercise, catalog: WorkbookRunner.Catalog, program: URL, arguments: [String],
                             timeout: Double) -> WorkbookRunner.Result {
        let own = catalog.exercises.first { $0.number == exercise.number } ?? WorkbookRunner.Exercise(exercise, catalog.edition)
        let session = ExerciseSession(own, catalog: catalog, program: program, arguments: arguments, timeout: timeout)
        let result = session.check(exercise)
        session.close()
        return result
    }

    /// The program of a Swift exercise (tests use it to run reference solutions through the protocol).
    public func swiftProgram(_ number: Int) -> (URL?, WorkbookRunner.Result?) {
        switch swift.program(number) {
        case .built(let url): return (url, nil)
        case .failed(let result): return (nil, result)
        }
    }
}

/// What `attn check` remembers between runs, in .build/workbook/progress-EDITION.json of the
/// workbook's own repository (never in a shared build folder): the exercises that passed,
/// and whether the whole workbook was ever finished.
struct Memory: Codable {
    var passed: [Int] = []
    var finished = false

    static func url(_ workbook: Workbook) -> URL {
        workbook.root.appendingPathComponent(".build/workbook/progress-\(workbook.edition.rawValue).json")
    }

    static func load(_ workbook: Workbook) -> Memory {
        (try? Data(contentsOf: url(workbook))).flatMap { try? JSONDecoder().decode(Memory.self, from: $0) } ?? Memory()
    }

    func save(_ workbook: Workbook) {
        try? FileManager.default.createDirectory(at: Self.url(workbook).deletingLastPathComponent(), withIntermediateDirectories: true)
        if let data = try? JSONEncoder().encode(self) { try? data.write(to: Self.url(workbook), options: .atomic) }
    }

    /// Records `result` of exercise `number`.
    mutating func record(_ number: Int, _ result: WorkbookRunner.Result) {
        if result.isDone { if !passed.contains(number) { passed.append(number); passed.sort() } }
        else { passed.removeAll { $0 == number } }
    }
}
