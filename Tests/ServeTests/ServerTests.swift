import Foundation
import Markdown
import Testing
@testable import Serve
@testable import Site
#if canImport(Glibc)
import Glibc
#endif

/// A served course of one lesson on 127.0.0.1, port 0, for the length of `body`.
func withServer(_ body: (UInt16) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attn-serve-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let lesson = "---\ntitle: I am good\nsummary: S\nobjectives:\n  - O\n---\n\nThe focus is am.\n\n```attention\nfocus: am\n" + iAmGood + "```\n"
    try lesson.write(to: folder.appendingPathComponent("01-i-am-good.md"), atomically: true, encoding: .utf8)
    let site = ServedSite(builder: SiteBuilder(lessons: folder.path, output: "", options: .safe))
    _ = site.rebuild()
    let server = try HTTPServer(port: 0)
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        server.run(isStopping: { site.isStopping }, respond: site.respond(to:))
        done.signal()
    }
    defer {
        site.stop()
        _ = done.wait(timeout: .now() + 5)
    }
    try await body(server.port)
}

/// Sends `bytes` to 127.0.0.1:`port` (all of them, or until the server stops reading) and
/// reads the answer to its end: (status, body).
func exchange(_ port: UInt16, _ bytes: [UInt8]) -> (status: Int, body: String) {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return (0, "cannot connect") }
    var timeout = timeval(tv_sec: 20, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var sent = 0
    while sent < bytes.count {
        let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, min($0.count, 1 << 20), Int32(MSG_NOSIGNAL)) }
        guard count > 0 else { break }   // the server answered early and stopped reading
        sent += count
    }
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { break }
        answer += buffer[0..<count]
    }
    let text = String(decoding: answer, as: UTF8.self)
    let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
    let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
    return (status, body)
}

func postRequest(_ body: [UInt8], length: Int? = nil) -> [UInt8] {
    Array("POST /playground HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(length ?? body.count)\r\n\r\n".utf8) + body
}

@Suite("attn serve's playground over HTTP", .serialized, .timeLimit(.minutes(3)))
struct PlaygroundServerTests {
    @Test("GET /playground shows the form; POST traces I am good; lesson pages link to it; the stylesheet is served")
    func serves() async throws {
        try await withServer { port in
            let form = exchange(port, Array("GET /playground HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            #expect(form.status == 200 && form.body.contains("<textarea id=\"pg-spec\" name=\"spec\""))
            let traced = exchange(port, postRequest(formBody([("spec", iAmGood), ("focus", "am")])))
            #expect(traced.status == 200 && traced.body.contains("<math") && traced.body.contains("Worked for <strong>am</strong>"))
            let lesson = exchange(port, Array("GET /i-am-good.html HTTP/1.1\r\n\r\n".utf8))
            #expect(lesson.status == 200 && lesson.body.contains("Open in playground"))
            #expect(exchange(port, Array("GET /playground.css HTTP/1.1\r\n\r\n".utf8)).body.contains(".pg-form"))
        }
    }

    @Test("a 100 MB body is refused at once with a message, and the server serves on")
    func hugeBody() async throws {
        try await withServer { port in
            let start = Date()
            // The head announces 100 MB; the client then sends as much as the server reads.
            let answer = exchange(port, postRequest(Array(repeating: UInt8(ascii: "a"), count: 4 << 20), length: 100 << 20))
            #expect(Date().timeIntervalSince(start) < 5)
            #expect(answer.status == 413)
            #expect(answer.body.contains("the request body is 104857600 bytes; at most 1048576 bytes"))
            // Headers over 64 KiB, and a body that stops short.
            let head = exchange(port, Array(("GET /playground?spec=" + String(repeating: "a", count: 70_000) + " HTTP/1.1\r\n\r\n").utf8))
            #expect(head.status == 431)
            let chunked = exchange(port, Array("POST /playground HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nspec=\r\n0\r\n\r\n".utf8))
            #expect(chunked.status == 411 && chunked.body.contains("Content-Length"))
            #expect(exchange(port, Array("GET /playground HTTP/1.1\r\n\r\n".utf8)).status == 200)
        }
    }

    @Test("8 clients submitting 50 forms each: every answer is right")
    func concurrent() async throws {
        try await withServer { port in
            let specs = (0..<8).map { client in
                "tokens: [a, b, c, d]\nd_model: 4\nX: {seed: \(client)}\nW_Q: {seed: 1}\nW_K: {seed: 2}\nW_V: {seed: 3}\n"
            }
            let failures = submitConcurrently(port: port, specs: specs, rounds: 50)
            #expect(failures.isEmpty, "\(failures.prefix(3))")
        }
    }
}

/// Failures seen by one client thread per spec, each submitting `rounds` forms one after
/// another (threads of their own, not tasks, which share the few threads of the pool).
func submitConcurrently(port: UInt16, specs: [String], rounds: Int) -> [String] {
    final class Failures: @unchecked Sendable {
        let lock = NSLock()
        var list: [String] = []
        func add(_ text: String) { lock.lock(); list.append(text); lock.unlock() }
    }
    let failures = Failures()
    let group = DispatchGroup()
    for (client, spec) in specs.enumerated() {
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            for round in 0..<rounds {
                let focus = ["a", "b", "c", "d"][round % 4]
                let answer = exchange(port, postRequest(formBody([("spec", spec), ("focus", focus), ("action", "trace")])))
                if answer.status != 200 || !answer.body.contains("Worked for <strong>\(focus)</strong>") || !answer.body.contains("X: {seed: \(client)}") {
                    failures.add("client \(client) round \(round): \(answer.status) \(answer.body.prefix(200))")
                }
            }
        }
    }
    if group.wait(timeout: .now() + 150) == .timedOut { failures.add("the clients did not finish within 150 s") }
    failures.lock.lock(); defer { failures.lock.unlock() }
    return failures.list
}
