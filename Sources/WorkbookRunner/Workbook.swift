import Diagnostics
import Foundation
import WorkbookChecks

/// Which edition of the workbook: the Swift functions in Sources/Workbook, or the NumPy
/// functions in workbook/python. Both are checked by the same checks (Sources/WorkbookChecks).
public enum Edition: String, Sendable {
    case swift, python
}

/// Where a workbook's files are, in a checkout of attn (`root`):
///
///   Sources/Workbook/NN-Name.swift        the Swift edition, the student's (not a SwiftPM target)
///   workbook/python/NN_name.py            the NumPy edition, the student's
///   workbook/stubs/{swift,python}/        the stubs as shipped (`attn check --reset N`)
///   workbook/harness/                     what each exercise is compiled or run with
///   Sources/WorkbookSolutions/            the reference solutions (Swift; python/ for NumPy)
///   .build/workbook/                      compiled exercises, remembered progress (ignored)
public struct Workbook: Sendable {
    public let root: URL
    public let edition: Edition
    /// Where compiled exercises and the progress file go.
    public let buildFolder: URL

    public init(root: URL, edition: Edition, buildFolder: URL? = nil) {
        self.root = root
        self.edition = edition
        self.buildFolder = buildFolder
            ?? ProcessInfo.processInfo.environment["ATTN_WORKBOOK_BUILD"].map { URL(fileURLWithPath: $0) }
            ?? root.appendingPathComponent(".build/workbook")
    }

    /// The folder holding `workbook/harness`: the current folder or one above it.
    public static func locate(edition: Edition, from start: String = FileManager.default.currentDirectoryPath) throws(Diagnostic) -> Workbook {
        var folder = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("workbook/harness/Harness.swift").path) {
                return Workbook(root: folder, edition: edition)
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        throw Diagnostic("attn check: no workbook here: run it in your copy of the attn repository (the folder with workbook/ and Sources/Workbook/), or in a folder inside it", at: nil)
    }

    /// The student's exercises.
    public var exercises: URL {
        root.appendingPathComponent(edition == .swift ? "Sources/Workbook" : "workbook/python")
    }
    public var stubs: URL { root.appendingPathComponent("workbook/stubs/\(edition.rawValue)") }
    public var harness: URL { root.appendingPathComponent("workbook/harness") }
    public var solutions: URL {
        root.appendingPathComponent(edition == .swift ? "Sources/WorkbookSolutions" : "Sources/WorkbookSolutions/python")
    }

    public func fileName(_ exercise: WorkbookExercise) -> String {
        edition == .swift ? exercise.file : exercise.pythonFile
    }

    /// The exercises as this edition names them.
    public var catalog: WorkbookRunner.Catalog {
        WorkbookRunner.Catalog(workbook: exercises.path, solutions: solutions.path, edition: edition,
                               exercises: WorkbookExercise.all.map { WorkbookRunner.Exercise($0, edition) })
    }
}

/// FNV-1a, 64 bits, as 16 hex digits: the content keys of compiled exercises.
func contentKey(_ parts: [String]) -> String {
    var hash: UInt64 = 0xcbf29ce484222325
    for part in parts {
        for byte in part.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        hash = (hash ^ 0xff) &* 0x100000001b3   // a separator, so that ["ab", "c"] ≠ ["a", "bc"]
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
