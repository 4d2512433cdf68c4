import Dispatch
import Foundation
import Lessons
import Markdown
import Site
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `attn serve`: the course built in memory, served on 127.0.0.1 with live reload, and
/// rebuilt whenever the lessons folder changes, until Ctrl-C.
public enum CourseServer {
    /// Builds the course, listens on `port` and serves until SIGINT or SIGTERM. `report`
    /// gets each line for the terminal: the first build, the address, every rebuild,
    /// "stopped". Throws only when it cannot listen.
    public static func serve(lessons: String, options: MarkdownOptions, port: UInt16,
                             report: @escaping @Sendable (String) -> Void) throws(HTTPServer.Failure) {
        let site = ServedSite(builder: SiteBuilder(lessons: lessons, output: "", options: options))
        // Ctrl-C (and SIGTERM) stop the loops below; the handlers run on a dispatch queue.
        // Installed before the first build, so that Ctrl-C during it is not lost.
        var sources: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { site.stop() }
            source.resume()
            sources.append(source)
        }
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let built = site.rebuild()
        let server = try HTTPServer(port: port)
        report(built)
        report("serving \(lessons)/ on http://127.0.0.1:\(server.port)/ (Ctrl-C stops)")
        let watcher = Thread { site.watch(every: 0.25) { report($0) } }
        watcher.start()
        server.run(isStopping: { site.isStopping }, respond: site.respond(to:))   // returns once stopped
        withExtendedLifetime(sources) {}
        report("stopped")
    }

    /// `make bench`: copies the lessons to a temporary folder, edits one lesson `runs`
    /// times, and returns one JSON line with the rebuild times (render only, and from the
    /// edit to the new version the watcher publishes, which includes its 250 ms polling);
    /// nil when the folder has no lessons.
    public static func measureRebuilds(lessons: String, options: MarkdownOptions, runs: Int) throws -> String? {
        let manager = FileManager.default
        let copy = manager.temporaryDirectory.appendingPathComponent("attn-serve-bench-\(UUID().uuidString)")
        defer { try? manager.removeItem(at: copy) }
        try manager.copyItem(at: URL(fileURLWithPath: lessons), to: copy)
        let site = ServedSite(builder: SiteBuilder(lessons: copy.path, output: "", options: options))
        _ = site.rebuild()
        let folder = LessonsFolder(copy.path)
        guard let name = folder.lessonFileNames().first else { return nil }
        let file = copy.appendingPathComponent(name)
        var render: [Double] = []
        var latency: [Double] = []
        let watcher = Thread { site.watch(every: 0.25) { _ in } }
        watcher.start()
        for run in 0..<runs {
            let version = site.version
            let text = try String(contentsOf: file, encoding: .utf8) + "\nEdited \(run).\n"
            let start = Date()
            try Data(text.utf8).write(to: file)
            _ = site.wait(after: version, timeout: 10)
            latency.append(Date().timeIntervalSince(start) * 1000)
            render.append(site.lastRebuildSeconds * 1000)
        }
        site.stop()
        func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }
        let lessonsCount = folder.lessonFileNames().count
        return String(format: "{\"benchmark\": \"serve-rebuild\", \"lessons\": %d, \"runs\": %d, \"rebuild_ms_median\": %.1f, "
            + "\"rebuild_ms_max\": %.1f, \"edit_to_reload_ms_median\": %.1f, \"poll_ms\": 250}",
                      lessonsCount, runs, median(render), render.max() ?? 0, median(latency))
    }
}
