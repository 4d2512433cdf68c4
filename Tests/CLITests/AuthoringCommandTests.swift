import Foundation
import TestSupport
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

private func scratchFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("attn-authoring-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("attn new")
struct NewCommandTests {
    @Test("scaffolds the next lesson, which builds, also strictly")
    func scaffold() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lessons = folder.appendingPathComponent("lessons").path
        try FileManager.default.createDirectory(atPath: lessons, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: lessons + "/07-old.md"))
        try FileManager.default.removeItem(atPath: lessons + "/07-old.md")
        let first = try attn("new", "Why divide by √d_k?", "--lessons", lessons)
        #expect(first.status == 0)
        #expect(first.stdout.hasPrefix("created \(lessons)/01-why-divide-by-d-k.md\n"))
        let second = try attn("new", "Crème brûlée & Masks", "--lessons", lessons)
        #expect(second.stdout.hasPrefix("created \(lessons)/02-creme-brulee-masks.md\n"))
        let text = try String(contentsOfFile: lessons + "/01-why-divide-by-d-k.md", encoding: .utf8)
        #expect(text.hasPrefix("---\ntitle: \"Why divide by √d_k?\"\n"))
        #expect(text.contains("```attention\nname: first\n") && text.contains("focus: am\n") && text.contains("```exercise\n"))
        let build = try attn("build", "--strict", "--quiet", "--lessons", lessons, "--out", folder.appendingPathComponent("site").path)
        #expect(build.status == 0 && build.stderr.isEmpty, "\(build.stderr)")
    }

    @Test("refuses a slug that exists and a title without letters")
    func refusals() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lessons = folder.path
        _ = try attn("new", "Masks", "--lessons", lessons)
        let again = try attn("new", "masks!", "--lessons", lessons)
        #expect(again.status == 1)
        #expect(again.stderr == "attn: \(lessons)/01-masks.md already has the slug 'masks' (its page is masks.html); choose another title\n")
        let empty = try attn("new", "√α", "--lessons", lessons)
        #expect(empty.status == 1)
        #expect(empty.stderr == "attn: the title '√α' has no ASCII letters or digits to make a file name from; write it with some (e.g. \"Masks\")\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: lessons) == ["01-masks.md"])
    }
}

@Suite("attn serve", .timeLimit(.minutes(2)))
struct ServeCommandTests {
    struct Page { var status: Int; var body: String }

    func get(_ url: String) async throws -> Page {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 10
        let (data, response) = try await URLSession.shared.data(for: request)
        return Page(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self))
    }

    /// Polls `url` until `done` holds (at most `seconds`).
    func eventually(_ url: String, seconds: Double = 30, _ done: (Page) -> Bool) async throws -> Page {
        let deadline = Date(timeIntervalSinceNow: seconds)
        var page = try await get(url)
        while !done(page), Date() < deadline {
            try await Task.sleep(nanoseconds: 100_000_000)
            page = try await get(url)
        }
        return page
    }

    @Test("answers on loopback, rebuilds after an edit, shows a broken lesson's error, recovers, stops on SIGINT")
    func serve() async throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lessons = folder.appendingPathComponent("lessons").path
        #expect(try attn("new", "First steps", "--lessons", lessons).status == 0)
        let file = lessons + "/01-first-steps.md"
        let original = try String(contentsOfFile: file, encoding: .utf8)

        let output = folder.appendingPathComponent("out.txt")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = attnBinary
        process.arguments = ["serve", "--port", "0", "--lessons", lessons]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        try process.run()
        defer {
            // Always stop the server: SIGINT, then SIGKILL if it has not gone within 10 s.
            if process.isRunning { process.interrupt() }
            let deadline = Date(timeIntervalSinceNow: 10)
            while process.isRunning, Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        // The URL, printed once the first build is done.
        var base: String?
        let deadline = Date(timeIntervalSinceNow: 60)
        while base == nil, Date() < deadline, process.isRunning {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let range = text.range(of: "http://127.0.0.1:[0-9]+/", options: .regularExpression) { base = String(text[range]) }
            else { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        let url = try #require(base, "no URL in: \((try? String(contentsOf: output, encoding: .utf8)) ?? "")")

        let index = try await get(url)
        #expect(index.status == 200 && index.body.contains("First steps"))
        let page = try await get(url + "first-steps.html")
        #expect(page.status == 200 && page.body.contains("<script>") && page.body.contains("var version = \"1\";"))
        #expect(try await get(url + "nope.html").status == 404)

        // An edit: the next version, with the new title.
        try original.replacingOccurrences(of: "title: \"First steps\"", with: "title: \"Second thoughts\"").write(toFile: file, atomically: true, encoding: .utf8)
        let waited = try await get(url + "__attn/wait?version=1")
        #expect(waited.status == 200 && waited.body == "2\n")
        #expect(try await eventually(url + "first-steps.html") { $0.body.contains("Second thoughts") }.status == 200)

        // A broken lesson: the error in the page, escaped; the server lives on.
        try original.replacingOccurrences(of: "{{ first:alpha[am, good] }}", with: "{{ first:alpha[am, <b>] }}").write(toFile: file, atomically: true, encoding: .utf8)
        let broken = try await eventually(url + "first-steps.html") { $0.status == 500 }
        #expect(broken.status == 500)
        #expect(broken.body.contains("\(file):") && broken.body.contains("&lt;b&gt;") && !broken.body.contains("<b>"))
        #expect(broken.body.contains("/__attn/wait?version="))

        // Fixed: back to the lesson.
        try original.write(toFile: file, atomically: true, encoding: .utf8)
        let fixed = try await eventually(url + "first-steps.html") { $0.status == 200 }
        #expect(fixed.status == 200 && fixed.body.contains("First steps"))

        // Ctrl-C: a clean exit within a few seconds.
        process.interrupt()
        let stop = Date(timeIntervalSinceNow: 10)
        while process.isRunning, Date() < stop { try await Task.sleep(nanoseconds: 50_000_000) }
        #expect(!process.isRunning)
        if !process.isRunning { #expect(process.terminationStatus == 0) }
        #expect(((try? String(contentsOf: output, encoding: .utf8)) ?? "").hasSuffix("stopped\n"))
    }
}
