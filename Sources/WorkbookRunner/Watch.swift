import Dispatch
import Foundation

/// `attn check --watch`: checks the exercise being worked on, then again each time one of the
/// edition's exercise files is saved (the files are polled: no new dependency), and shows
/// the result. Ctrl-C ends the exercise being checked and stops.
public struct Watch: Sendable {
    public let workbook: Workbook
    public let timeout: Double
    /// Seconds between two looks at the files.
    public var interval: Double = 0.3

    public init(workbook: Workbook, timeout: Double) {
        self.workbook = workbook
        self.timeout = timeout
    }

    /// Runs until Ctrl-C, or after `limit` checks of a changed file (tests bound the run).
    public func run(limit: Int?) -> Never {
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler {
            ActiveChild.kill()
            print("\nStopped watching.")
            fflush(nil)
            exit(0)
        }
        interrupt.resume()

        let check = WorkbookCheck(workbook: workbook, timeout: timeout)
        let runner = ExerciseRunner(workbook: workbook, timeout: timeout)
        let progress = WorkbookProgress(catalog: runner.catalog)
        let exercises = runner.catalog.exercises
        let edition = workbook.edition == .python ? "NumPy edition" : "Swift edition"
        say("Watching \(progress.display(workbook.exercises.path)) (\(edition)): each exercise file you save is checked again. Ctrl-C stops.\n")

        var memory = Memory.load(workbook)
        let show = { (exercise: WorkbookRunner.Exercise) in
            // A runner of its own each time: it compiles each module once per run, and the files changed.
            let result = check.checkBlaming(exercise, runner: ExerciseRunner(workbook: workbook, timeout: timeout), progress: progress)
            memory.record(exercise.number, result)
            var text = progress.detail(exercise, result)
            // Counted over this catalogue: a progress file may name exercises it no longer has.
            let done = exercises.filter { memory.passed.contains($0.number) }.count
            text += "\n\(done) of \(exercises.count) done."
            if done == exercises.count {
                text += memory.finished ? " Every exercise passes." : " You have finished the workbook: all \(exercises.count) exercises pass. Well done!"
                memory.finished = true
            } else if result.isDone, let next = exercises.first(where: { !memory.passed.contains($0.number) }) {
                text += " Next: exercise \(next.number) · \(next.function), in \(progress.file(next))."
            }
            memory.save(workbook)
            say(text + "\n")
        }

        var stamps = self.stamps(exercises)
        if let first = exercises.first(where: { !memory.passed.contains($0.number) }) {
            say("── exercise \(first.number) ──")
            show(first)
        }
        var checks = 0
        while limit.map({ checks < $0 }) ?? true {
            Thread.sleep(forTimeInterval: interval)
            let now = self.stamps(exercises)
            let changed = exercises.filter { now[$0.number] != stamps[$0.number] }
            stamps = now
            for exercise in changed where now[exercise.number] != nil {
                say("── \(progress.file(exercise)) changed: exercise \(exercise.number) ──")
                show(exercise)
                checks += 1
            }
        }
        exit(0)
    }

    func say(_ text: String) {
        print(text)
        fflush(nil)
    }

    /// Each exercise file's modification time and size (nil when it is missing).
    func stamps(_ exercises: [WorkbookRunner.Exercise]) -> [Int: String] {
        var out: [Int: String] = [:]
        for exercise in exercises {
            let path = workbook.exercises.appendingPathComponent(exercise.file).path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { continue }
            let date = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            out[exercise.number] = "\(date) \(attributes[.size] as? Int ?? -1)"
        }
        return out
    }
}
