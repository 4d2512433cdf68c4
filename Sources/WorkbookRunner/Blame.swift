import Foundation

/// An exercise that fails because an earlier one it calls is wrong: that one is to be
/// fixed first.
extension WorkbookProgress {
    /// `results` (one per exercise, in order), each exercise that does not pass while an
    /// earlier one it calls is wrong marked so: that one is to be fixed first.
    func blamingEarlier(_ results: [WorkbookRunner.Result], source: (WorkbookRunner.Exercise) -> String?) -> [WorkbookRunner.Result] {
        let exercises = catalog.exercises
        return zip(exercises, results).map { exercise, result in
            Self.blamingEarlier(exercise, result, source: source(exercise), among: exercises, python: catalog.edition == .python) { callee in
                exercises.firstIndex { $0.number == callee.number }.map { results[$0] } ?? .notStarted
            }
        }
    }

    /// `result`, or — when the exercise is attempted but not passing and its `source` calls
    /// earlier exercises whose own result (`resultOf`) is wrong — that, naming them.
    /// (A call to an exercise not started is reported by the runner already: "waits for".)
    static func blamingEarlier(_ exercise: WorkbookRunner.Exercise, _ result: WorkbookRunner.Result, source: String?,
                               among exercises: [WorkbookRunner.Exercise], python: Bool = false,
                               resultOf: (WorkbookRunner.Exercise) -> WorkbookRunner.Result) -> WorkbookRunner.Result {
        switch result {
        case .failed, .crashed, .timedOut, .doesNotCompile: break
        default: return result
        }
        guard let source else { return result }
        let wrong = callees(of: exercise, in: source, among: exercises, python: python).filter { resultOf($0).isWrong }
        return wrong.isEmpty ? result : .callsWrong(wrong, result)
    }

    /// The earlier exercises whose functions `source` calls, comments aside.
    static func callees(of exercise: WorkbookRunner.Exercise, in source: String,
                        among exercises: [WorkbookRunner.Exercise], python: Bool = false) -> [WorkbookRunner.Exercise] {
        let code = python ? withoutPythonComments(source) : withoutComments(source)
        let declaration = python ? "def " : "func "
        return exercises.filter { other in
            guard other.number < exercise.number else { return false }
            let name = NSRegularExpression.escapedPattern(for: String(other.function.prefix { $0 != "(" }))
            // A call `name(`, not a declaration `func name(` nor a member `x.name(`.
            guard let call = try? NSRegularExpression(pattern: "(?<![\\w.])(?<!\(declaration))\\b\(name)\\s*\\(") else { return false }
            return call.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil
        }
    }

    /// Python source without `#` comments and triple-quoted strings (doc strings).
    static func withoutPythonComments(_ source: String) -> String {
        var out = "", rest = Substring(source)
        while !rest.isEmpty {
            if rest.hasPrefix("#") {
                rest = rest.drop { $0 != "\n" }
            } else if let quote = ["\"\"\"", "'''"].first(where: { rest.hasPrefix($0) }) {
                rest = rest.dropFirst(3)
                rest = rest.range(of: quote).map { rest[$0.upperBound...] } ?? ""
                out += " "
            } else {
                out.append(rest.removeFirst())
            }
        }
        return out
    }

    /// Swift source without its `//` and `/* */` comments (string literals are not special).
    static func withoutComments(_ source: String) -> String {
        var out = "", rest = Substring(source)
        while !rest.isEmpty {
            if rest.hasPrefix("//") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                rest = rest.range(of: "*/").map { rest[$0.upperBound...] } ?? ""
                out += " "
            } else {
                out.append(rest.removeFirst())
            }
        }
        return out
    }
}
