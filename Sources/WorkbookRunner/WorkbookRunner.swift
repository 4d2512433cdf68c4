import Diagnostics
import Foundation
import WorkbookChecks

/// Runs the workbook's exercises for `attn check`: each exercise is a program of its own
/// (Swift: compiled from the student's file by `SwiftEdition`; Python: run_exercise.py),
/// which computes; the checks (WorkbookChecks) run here, in `attn`, and judge what it returns.
public enum WorkbookRunner {
    /// The exercises as one edition names them, and where its files are.
    public struct Catalog: Sendable {
        /// The student's folder and the reference solutions' folder, as absolute paths.
        public let workbook: String
        public let solutions: String
        public let edition: Edition
        public let exercises: [Exercise]

        /// An exercise's function as this edition shows it, from its bare or Swift name.
        func display(function: String) -> String {
            let bare = String(function.prefix { $0 != "(" })
            return exercises.first { $0.name == bare || $0.function == function }?.function ?? function
        }
    }

    public struct Exercise: Sendable {
        public let number: Int
        /// `softmaxRows(_:)` or `softmax_rows(scores)`.
        public let function: String
        /// `softmaxRows` or `softmax_rows`.
        public let name: String
        public let title: String
        public let lesson: String
        /// The file's name in the edition's folder.
        public let file: String
        public let hint: String
        public let calls: [Int]

        public init(_ exercise: WorkbookExercise, _ edition: Edition) {
            number = exercise.number
            function = edition == .swift ? exercise.function : exercise.python
            name = edition == .swift ? exercise.swiftName : exercise.pythonName
            title = exercise.title
            lesson = exercise.lesson
            file = edition == .swift ? exercise.file : exercise.pythonFile
            hint = edition == .swift ? exercise.hint : exercise.pythonHint
            calls = exercise.calls
        }
    }

    /// How one exercise came out.
    public enum Result: Sendable {
        case passed(cases: Int)
        /// Wrong: the checks' message (case, first wrong number, likely mistake).
        case failed(String)
        case notStarted
        /// Calls an earlier exercise's function that is not started yet.
        case waiting(for: String)
        case crashed(String)
        case timedOut(seconds: Double)
        /// The file does not compile: the compiler's first error (`file:line:column: message`
        /// and the line).
        case doesNotCompile(String)
        /// Not passing (`result`) while earlier exercises it calls are wrong themselves.
        indirect case callsWrong([Exercise], Result)

        public var isDone: Bool { if case .passed = self { return true } else { return false } }
        public var isNotStarted: Bool { if case .notStarted = self { return true } else { return false } }
        /// Attempted but not passing: wrong, crashed, hung, not compiling, or waiting on another exercise.
        public var isWrong: Bool { !isDone && !isNotStarted }
    }

    /// A path relative to the current folder when it is inside it.
    static func display(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : path
    }

    /// `  14 | return y` and a caret under `column`, as a compiler shows a line.
    static func quote(_ code: String, line: Int, column: Int) -> String {
        let number = "  \(line) | "
        var text = number + code
        if column > 0 {
            text += "\n" + String(repeating: " ", count: number.count - 2) + "| " + String(repeating: " ", count: max(0, column - 1)) + "^"
        }
        return text
    }

    /// "Index out of range — …", from the Swift runtime's "file:line: Fatal error: message".
    static func crashReason(signal: Int32, stderr: String) -> String {
        if let line = stderr.split(separator: "\n").first(where: { $0.contains("Fatal error: ") }) {
            let parts = line.components(separatedBy: "Fatal error: ")
            let message = parts.dropFirst().joined(separator: "Fatal error: ")
            let place = parts[0].trimmingCharacters(in: CharacterSet(charactersIn: ": "))
            let explained = explanations.first { message.hasPrefix($0.key) }.map { "\(message) — \($0.value)" } ?? message
            // The runtime names its own files (Swift/…); a student's fatalError names theirs.
            return place.isEmpty || place.hasPrefix("Swift/") ? explained : "\(explained) (at \(place))"
        }
        switch signal {
        case SIGSEGV, SIGBUS: return "signal \(signal), a segmentation fault — often a function that calls itself forever"
        case SIGILL, SIGTRAP: return "signal \(signal), a failed runtime check (an index out of range, a division by zero, an overflow or a nil unwrapped)"
        default: return "signal \(signal)"
        }
    }

    /// The innermost frame of the crash's stack trace in a workbook file, e.g.
    /// `Sources/Workbook/05-SoftmaxRows.swift:21:30` (from the Swift backtracer's
    /// "… in attn-workbook at /path/Sources/Workbook/05-SoftmaxRows.swift:21:30").
    static func crashPlace(in stderr: String, under workbook: String) -> String? {
        // A compiled exercise is shared by every folder with the same code (it is named by
        // the hash of its content), so the trace may name another copy of the workbook:
        // match on the folder's last two components (Sources/Workbook) and show it here.
        let tail = "/" + workbook.split(separator: "/").suffix(2).joined(separator: "/") + "/"
        for line in stderr.split(separator: "\n") {
            guard let at = line.range(of: " at /"), let range = line[at.lowerBound...].range(of: tail) else { continue }
            let place = line[range.upperBound...].prefix { !$0.isWhitespace }
            let full = workbook + "/" + place
            let here = FileManager.default.currentDirectoryPath + "/"
            return full.hasPrefix(here) ? String(full.dropFirst(here.count)) : full
        }
        return nil
    }

    static let explanations: [(key: String, value: String)] = [
        ("Index out of range", "an index past the end of an array (or below 0): check your loops' bounds against the shapes in the doc comment"),
        ("Division by zero", "an integer divided by 0"),
        ("Range requires lowerBound <= upperBound", "a range a..<b with a > b"),
        ("Unexpectedly found nil", "a ! on a value that was nil (for example max()! of an empty array)"),
        ("Arithmetic overflow", "an integer grew past its limit"),
        ("Not enough bits", "an integer conversion that does not fit"),
        ("Double value cannot be converted to Int", "Int(x) of an infinite or NaN number"),
    ].map { (key: $0.0, value: $0.1) }
}
