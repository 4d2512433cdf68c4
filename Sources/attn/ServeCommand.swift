import ArgumentParser
import Dispatch
import Foundation
import Markdown
import Site
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the course in a browser, rebuilt and reloaded as you save.",
        discussion: """
            Builds the course in memory and serves it on http://127.0.0.1:PORT/ (this \
            computer only). Every 250 ms it looks at the lessons folder; when a file \
            changes it rebuilds and the open page reloads itself. A lesson with an error \
            shows the error (file:line:column: message) in the page instead; saving the \
            fix brings the lesson back. Nothing is written to disk, and the reload script \
            exists only in served pages: `attn build` makes pages without JavaScript. \
            Ctrl-C stops the server.

            Examples:
              attn serve
              attn serve --port 0 --lessons my-lessons     (port 0: any free port)
            """
    )

    @Option(help: ArgumentHelp("The port on 127.0.0.1 (0 picks a free one).", valueName: "port"))
    var port: Int = 8000

    @Option(help: ArgumentHelp("The folder of lessons (NN-slug.md files).", valueName: "dir"))
    var lessons: String = "lessons"

    @Flag(help: "Let raw HTML in lessons through to the pages.")
    var allowRawHTML = false

    @Option(help: .hidden)
    var measure: Int?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535, not \(port)") }
    }

    func run() throws {
        let builder = SiteBuilder(lessons: lessons, output: "", options: MarkdownOptions(allowRawHTML: allowRawHTML))
        if let measure {
            try measureRebuilds(builder, runs: max(1, measure))
            return
        }
        let site = ServedSite(builder: builder)
        let report = site.rebuild()
        let server: HTTPServer
        do {
            server = try HTTPServer(port: UInt16(port), site: site)
        } catch {
            standardError("attn: \(error)")
            throw ExitCode(1)
        }
        // Ctrl-C (and SIGTERM) stop the loops below; the handlers run on a dispatch queue.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        var sources: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { site.stop() }
            source.resume()
            sources.append(source)
        }
        standardOutput(report)
        standardOutput("serving \(lessons)/ on http://127.0.0.1:\(server.port)/ (Ctrl-C stops)")
        let watcher = Thread { site.watch(every: 0.25) { standardOutput($0) } }
        watcher.start()
        server.run()   // returns once stopped
        withExtendedLifetime(sources) {}
        standardOutput("stopped")
    }

    /// `make bench`: copies the lessons to a temporary folder, edits one lesson `runs`
    /// times, and prints one JSON line with the rebuild times (render only, and from the
    /// edit to the new version the watcher publishes, which includes its 250 ms polling).
    func measureRebuilds(_ builder: SiteBuilder, runs: Int) throws {
        let manager = FileManager.default
        let copy = manager.temporaryDirectory.appendingPathComponent("attn-serve-bench-\(UUID().uuidString)")
        defer { try? manager.removeItem(at: copy) }
        try manager.copyItem(at: URL(fileURLWithPath: lessons), to: copy)
        var measured = builder
        measured.lessonsDirectory = copy.path
        let site = ServedSite(builder: measured)
        _ = site.rebuild()
        guard let name = try manager.contentsOfDirectory(atPath: copy.path).filter({ $0.hasSuffix(".md") }).sorted().first else {
            throw ValidationError("no lessons in \(lessons)")
        }
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
        let lessonsCount = try manager.contentsOfDirectory(atPath: copy.path).filter { $0.hasSuffix(".md") }.count
        print(String(format: "{\"benchmark\": \"serve-rebuild\", \"lessons\": %d, \"runs\": %d, \"rebuild_ms_median\": %.1f, \"rebuild_ms_max\": %.1f, \"edit_to_reload_ms_median\": %.1f, \"poll_ms\": 250}",
                     lessonsCount, runs, median(render), render.max() ?? 0, median(latency)))
    }
}

/// A line on standard output, unbuffered (a test or a pipe sees it at once).
func standardOutput(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The course as served: the pages of the last build (or its error page), a version
/// number that changes with every rebuild, and the long-polls waiting for it.
final class ServedSite: @unchecked Sendable {
    private let builder: SiteBuilder
    private let cache = RenderCache()
    private let condition = NSCondition()
    private var pages: [String: String] = [:]
    private var errorPage: String?
    private var currentVersion = 0
    private var stopping = false
    private(set) var lastRebuildSeconds = 0.0

    init(builder: SiteBuilder) { self.builder = builder }

    var version: Int { condition.lock(); defer { condition.unlock() }; return currentVersion }
    var isStopping: Bool { condition.lock(); defer { condition.unlock() }; return stopping }

    /// Builds the course in memory and publishes it as the next version. Returns a line
    /// for the terminal.
    @discardableResult
    func rebuild() -> String {
        let start = Date()
        let result = Result { () throws(BuildFailure) in try builder.render(cache: cache) }
        let seconds = Date().timeIntervalSince(start)
        condition.lock()
        defer { condition.unlock(); condition.broadcast() }
        currentVersion += 1
        lastRebuildSeconds = seconds
        let timing = String(format: "%.0f ms", seconds * 1000)
        switch result {
        case .success(let (rendered, report)):
            pages = Dictionary(rendered, uniquingKeysWith: { a, _ in a })
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

    /// The page for a request path: (status, content type, body).
    func response(for name: String) -> (Int, String, String) {
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
    func wait(after version: Int, timeout: TimeInterval) -> Int {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock(); defer { condition.unlock() }
        while currentVersion == version, !stopping, condition.wait(until: deadline) {}
        return currentVersion
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.unlock()
        condition.broadcast()
    }

    /// Polls the lessons folder's file names, sizes and modification times; rebuilds when
    /// they change. Returns when the site stops.
    func watch(every interval: TimeInterval, report: (String) -> Void) {
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

/// A small HTTP/1.1 server on 127.0.0.1: GET and HEAD, one request per connection, one
/// thread per connection. Enough for one author's browser; not for the internet.
final class HTTPServer: @unchecked Sendable {
    let port: UInt16
    private let socketFD: Int32
    private let site: ServedSite

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(port: UInt16, site: ServedSite) throws {
        self.site = site
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "cannot open a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "cannot listen on 127.0.0.1:\(port): \(reason)" + (port == 0 ? "" : "; try another --port, or --port 0 for any free one"))
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = UInt16(bigEndian: address.sin_port)
        socketFD = fd
    }

    /// Accepts connections until the site stops (checked every 200 ms), then closes the socket.
    func run() {
        while !site.isStopping {
            var entry = pollfd(fd: socketFD, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 200) > 0 else { continue }
            let client = accept(socketFD, nil, nil)
            guard client >= 0 else { continue }
            let site = self.site
            Thread.detachNewThread { HTTPServer.handle(client, site: site) }
        }
        close(socketFD)
    }

    static func handle(_ client: Int32, site: ServedSite) {
        defer { close(client) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while request.count < 16384 {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            request += buffer[0..<count]
            if request.count >= 4, request.suffix(from: max(0, request.count - count - 3)).containsHeaderEnd { break }
        }
        let head = String(decoding: request, as: UTF8.self).split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
        let parts = head.split(separator: " ")
        guard parts.count >= 2 else { return send(client, 400, "text/plain; charset=utf-8", "bad request\n", body: true) }
        let method = parts[0]
        guard method == "GET" || method == "HEAD" else { return send(client, 405, "text/plain; charset=utf-8", "attn serve only answers GET\n", body: true) }
        let target = String(parts[1])
        let pathPart = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(pathPart[0]).removingPercentEncoding ?? String(pathPart[0])
        let query = pathPart.count > 1 ? String(pathPart[1]) : ""
        if path == LiveReload.waitPath {
            let asked = query.split(separator: "&").first { $0.hasPrefix("version=") }.flatMap { Int($0.dropFirst("version=".count)) } ?? -1
            let version = site.wait(after: asked, timeout: 20)
            return send(client, 200, "text/plain; charset=utf-8", "\(version)\n", body: method == "GET")
        }
        var name = String(path.drop { $0 == "/" })
        if name.isEmpty { name = "index.html" }
        if !name.contains("."), !name.contains("/") { name += ".html" }
        let (status, type, text) = site.response(for: name)
        send(client, status, type, text, body: method == "GET")
    }

    static func send(_ client: Int32, _ status: Int, _ type: String, _ text: String, body: Bool) {
        let reasons = [200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error"]
        let payload = Array(text.utf8)
        var bytes = Array("HTTP/1.1 \(status) \(reasons[status] ?? "Error")\r\nContent-Type: \(type)\r\nContent-Length: \(payload.count)\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n".utf8)
        if body { bytes += payload }
        var sent = 0
        while sent < bytes.count {
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0
            #endif
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, flags) }
            guard count > 0 else { return }
            sent += count
        }
    }
}

private extension ArraySlice where Element == UInt8 {
    var containsHeaderEnd: Bool {
        let end: [UInt8] = [13, 10, 13, 10]
        guard count >= 4 else { return false }
        var i = startIndex
        while i + 4 <= endIndex {
            if Array(self[i..<(i + 4)]) == end { return true }
            i += 1
        }
        return false
    }
}
