import Foundation
import TestSupport
import Testing
import WorkbookChecks

/// The stubs as a newcomer finds them: a natural solution, typed into the stub as it is,
/// must compile (issue 10: `exp` was not in scope because the stubs did not import Foundation).
@Suite("the stubs compile a natural solution")
struct StubTests {
    /// The body each stub gets: the reference solution's, except where the stub's doc comment
    /// suggests something else (exercise 4 mentions `sqrt` from Foundation).
    static func naturalBody(_ exercise: WorkbookExercise) throws -> String {
        if exercise.number == 4 {
            return "let root = sqrt(Double(dK))\n    return scores.map { row in row.map { $0 / root } }"
        }
        let solution = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/WorkbookSolutions/\(exercise.file)"), encoding: .utf8)
        return try #require(body(of: name(exercise), in: solution), "\(exercise.file)")
    }

    static func name(_ exercise: WorkbookExercise) -> String { String(exercise.function.prefix { $0 != "(" }) }

    /// Sources/Workbook with every stub's `notStarted()` replaced by a natural solution, each
    /// file otherwise as it is (`edit` changes a file's text first). Files a student has
    /// already worked on are replaced by the reference solution, so that they cannot make this fail.
    static func solvedWorkbook(edit: (WorkbookExercise, String) -> String = { $1 }) throws -> String {
        var files = ["NotStarted.swift": try String(contentsOf: repositoryRoot.appendingPathComponent("workbook/harness/NotStarted.swift"), encoding: .utf8)]
        for exercise in WorkbookExercise.all {
            let folder = isStillStub(exercise) ? "Workbook" : "WorkbookSolutions"
            var text = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/\(folder)/\(exercise.file)"), encoding: .utf8)
            if isStillStub(exercise) {
                text = text.replacingOccurrences(of: "{\n    notStarted()\n}", with: "{\n    \(try naturalBody(exercise))\n}")
            }
            files[exercise.file] = edit(exercise, text)
        }
        return try temporaryFolder(files)
    }

    /// `swiftc -typecheck` of every Swift file in `folder`, as one module.
    static func typecheck(_ folder: String) throws -> Run {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") }.sorted()
        return try execute("/usr/bin/env", ["swiftc", "-typecheck", "-parse-as-library", "-module-name", "Workbook"]
                                             + files.map { folder + "/" + $0 })
    }

    @Test("each stub, its notStarted() replaced by a natural solution, compiles as it is")
    func naturalSolutionsCompile() throws {
        let folder = try Self.solvedWorkbook()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try Self.typecheck(folder)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    }

    @Test("the compile above would catch a stub that does not import what its solution uses")
    func compileCatchesMissingImport() throws {
        let folder = try Self.solvedWorkbook { exercise, text in
            exercise.number == 5 ? text.replacingOccurrences(of: "import Foundation\n", with: "") : text
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try Self.typecheck(folder)
        #expect(run.status != 0)
        #expect(run.stderr.contains("cannot find 'exp' in scope"), "\(run.stderr)")
    }
}
