import Foundation
import Site

/// The course as served: the pages of the last build (or its error page), a version
/// number that changes with every rebuild, and the long-polls waiting for it.
public final class ServedSite: @unchecked Sendable {
    private let builder: SiteBuilder
    private let cache = RenderCache()
    private let condition = NSCondition()
    private var pages: [String: String] = [:]
    private var errorPage: String?
    /// The course's worked examples the playground offers (from the last good build).
    private var examples: [Playground.Example] = []
    private var currentVersion = 0
    private var stopping = false
    public private(set) var lastRebuildSeconds = 0.0

    public init(builder: SiteBuilder) { self.builder = builder }

    public var version: Int { condition.lock(); defer { condition.unlock() }; return currentVersion }
    public var isStopping: Bool { condition.lock(); defer { condition.unlock() }; return stopping }

    /// Builds the course in memory and publishes it as the next version. Returns a line
    /// for the terminal.
    @discardableResult
    public func rebuild() -> String {
        let start = Date()
        let result = Result { () throws(BuildFailure) in try builder.render(cache: cache) }
        let examples = (try? result.get().report.lessons).map(Playground.examples(from:))
        let seconds = Date().timeIntervalSince(start)
        condition.lock()
        defer { condition.unlock(); condition.broadcast() }
        currentVersion += 1
        lastRebuildSeconds = seconds
        let timing = String(format: "%.0f ms", seconds * 1000)
        switch result {
        case .success(let (rendered, report)):
            pages = Dictionary(rendered, uniquingKeysWith: { a, _ in a })
            self.examples = examples ?? []
            for lesson in report.lessons {
                let name = lesson.slug + ".html"
                if let html = pages[name] { pages[name] = Playground.linkingExamples(in: html, slug: lesson.slug, examples: self.examples) }
            }
            for (name, html) in pages where name.hasSuffix(".html") {
                pages[name] = LiveReload.inject(into: html, version: currentVersion)
            }
            errorPage = nil
            return "built \(report.lessons.count) lesson\(report.lessons.count == 1 ? "" : "s") in \(timing)"
        case .failure(let failure):
            errorPage = LiveReload.errorPage(failure, version: currentVersion)
            return failure.description + "\nattn: the build failed (\(timing)); the pages show the errors until the lesson is fixed"
        }
    }

    /// The answer to a request: a page of the course (`/` is index.html, `/slug` is
    /// slug.html), or, for the live-reload script's long poll, the version once it differs
    /// from the one asked about; the playground (`/playground`, GET and POST) and its
    /// stylesheet. Otherwise only GET and HEAD.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        if request.path == Playground.path {
            condition.lock()
            let examples = self.examples
            condition.unlock()
            return PlaygroundRoute.respond(to: request, examples: examples)
        }
        guard request.method == "GET" || request.method == "HEAD" else { return .text(405, "attn serve only answers GET (and POST to \(Playground.path))\n") }
        if request.path == Playground.path + ".css" {
            return HTTPResponse(status: 200, contentType: "text/css; charset=utf-8", body: Playground.stylesheet)
        }
        if request.path == LiveReload.waitPath {
            let asked = request.parameter("version").flatMap { Int($0) } ?? -1
            return .text(200, "\(wait(after: asked, timeout: 20))\n")
        }
        var name = String(request.path.drop { $0 == "/" })
        if name.isEmpty { name = "index.html" }
        if !name.contains("."), !name.contains("/") { name += ".html" }
        let (status, type, text) = response(for: name)
        return HTTPResponse(status: status, contentType: type, body: text)
    }

    /// The page for a request path: (status, content type, body).
    public func response(for name: String) -> (Int, String, String) {
        condition.lock(); defer { condition.unlock() }
        let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8"
        if let errorPage, !name.hasSuffix(".css") || pages[name] == nil {
            return (500, "text/html; charset=utf-8", errorPage)
        }
        if let page = pages[name] { return (200, type, page) }
        return (404, "text/plain; charset=utf-8", "attn serve: no page '\(name)'\n")
    }

    /// Waits until the version differs from `version`, the server stops, or `timeout`
    /// seconds pass; returns the version then.
    public func wait(after version: Int, timeout: TimeInterval) -> Int {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock(); defer { condition.unlock() }
        while currentVersion == version, !stopping, condition.wait(until: deadline) {}
        return currentVersion
    }

    public func stop() {
        condition.lock()
        stopping = true
        condition.unlock()
        condition.broadcast()
    }

    /// Polls the lessons folder's file names, sizes and modification times; rebuilds when
    /// they change. Returns when the site stops.
    public func watch(every interval: TimeInterval, report: (String) -> Void) {
        var last = snapshot()
        while !isStopping {
            Thread.sleep(forTimeInterval: interval)
            let now = snapshot()
            if now != last {
                // A lesson file's bytes key its cache entry; a spec or matrix file (a .yaml,
                // .csv, .npy, … anywhere in the folder) may feed any lesson.
                let changed = Set(now.keys).union(last.keys).filter { now[$0] != last[$0] }
                let data = ["yaml", "yml", "json", "csv", "npy"]
                if changed.contains(where: { data.contains(($0 as NSString).pathExtension.lowercased()) }) { cache.clear() }
                last = now
                report(rebuild())
            }
        }
    }

    private func snapshot() -> [String: [Double]] {
        let manager = FileManager.default
        var state: [String: [Double]] = [:]
        // The whole tree: spec files and matrices may sit in subfolders.
        let names = (manager.enumerator(atPath: builder.lessonsDirectory)?.allObjects as? [String]) ?? []
        for name in names where !(name as NSString).lastPathComponent.hasPrefix(".") {
            let attributes = try? manager.attributesOfItem(atPath: (builder.lessonsDirectory as NSString).appendingPathComponent(name))
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let size = (attributes?[.size] as? NSNumber)?.doubleValue ?? 0
            state[name] = [modified, size]
        }
        return state
    }
}
