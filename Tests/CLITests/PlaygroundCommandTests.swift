import Foundation
import TestSupport
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `attn serve`'s playground, end to end: the real binary on 127.0.0.1, port 0.
@Suite("attn serve: the playground", .timeLimit(.minutes(2)))
struct PlaygroundCommandTests {
    func fetch(_ url: String, form: [(String, String)]? = nil) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 20
        if let form {
            request.httpMethod = "POST"
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._*")
            request.httpBody = Data(form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&").utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("GET /playground shows the form, POST traces a spec, lesson pages link to it, and attn build's pages do not")
    func playground() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attn-playground-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lessons = folder.appendingPathComponent("lessons").path
        #expect(try attn("new", "First steps", "--lessons", lessons).status == 0)

        let build = try attn("build", "--quiet", "--lessons", lessons, "--out", folder.appendingPathComponent("site").path)
        #expect(build.status == 0)
        let built = try String(contentsOf: folder.appendingPathComponent("site/first-steps.html"), encoding: .utf8)
        #expect(!built.contains("playground"))

        let output = folder.appendingPathComponent("out.txt")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = attnBinary
        process.arguments = ["serve", "--port", "0", "--lessons", lessons]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        try process.run()
        defer {
            if process.isRunning { process.interrupt() }
            let deadline = Date(timeIntervalSinceNow: 10)
            while process.isRunning, Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        var base: String?
        let deadline = Date(timeIntervalSinceNow: 60)
        while base == nil, Date() < deadline, process.isRunning {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let range = text.range(of: "http://127.0.0.1:[0-9]+/", options: .regularExpression) { base = String(text[range]) }
            else { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        let url = try #require(base)

        let form = try await fetch(url + "playground")
        #expect(form.status == 200 && form.body.contains("<textarea id=\"pg-spec\" name=\"spec\"") && form.body.contains("first-steps/1"))
        let page = try await fetch(url + "first-steps.html")
        #expect(page.body.contains("<a href=\"playground?example=first-steps%2F1\">Open in playground"))

        let spec = try String(contentsOf: repositoryRoot.appendingPathComponent("examples/i-am-good.yaml"), encoding: .utf8)
        let traced = try await fetch(url + "playground", form: [("spec", spec), ("focus", "am"), ("action", "trace")])
        #expect(traced.status == 200 && traced.body.contains("<math") && traced.body.contains("Worked for <strong>am</strong>"))
        let ragged = try await fetch(url + "playground", form: [("spec", spec.replacingOccurrences(of: "  - [0, 2, 0, 2]", with: "  - [0, 2, 0]"))])
        #expect(ragged.status == 422 && ragged.body.contains("5:5: X row 1 has 3 numbers but row 0 has 4"))

        process.interrupt()
        let stop = Date(timeIntervalSinceNow: 10)
        while process.isRunning, Date() < stop { try await Task.sleep(nanoseconds: 50_000_000) }
        #expect(!process.isRunning)
    }
}
