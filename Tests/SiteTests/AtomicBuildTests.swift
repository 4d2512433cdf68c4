import Foundation
import Testing
@testable import Site

@Suite("deterministic and atomic builds")
struct AtomicBuildTests {
    @Test("rendering twice gives identical pages")
    func renderTwice() throws {
        let builder = SiteBuilder(lessons: fixtureLessons.path, output: "/nonexistent")
        let (first, _) = try builder.render()
        let (second, _) = try builder.render()
        #expect(first.map(\.0) == ["everything.html", "index.html", "style.css"])
        #expect(first.map(\.0) == second.map(\.0))
        #expect(first.map(\.1) == second.map(\.1))
    }

    @Test("two builds into two folders are byte-identical")
    func buildTwice() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let a = scratch.url.appendingPathComponent("a").path, b = scratch.url.appendingPathComponent("b").path
        let report = try SiteBuilder(lessons: fixtureLessons.path, output: a).build()
        try SiteBuilder(lessons: fixtureLessons.path, output: b).build()
        #expect(report.files == ["everything.html", "index.html", "style.css"])
        let (left, right) = (try contents(of: a), try contents(of: b))
        #expect(left.keys.sorted() == report.files)
        #expect(left == right)
    }

    @Test("a failed build leaves the previous site byte for byte, and no temporary folders")
    func failedBuildKeepsSite() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.writeLessons(["01-first.md": frontMatter + "First.\n", "02-second.md": frontMatter + "Second.\n"])
        try SiteBuilder(lessons: scratch.lessons, output: scratch.site).build()
        let before = try contents(of: scratch.site)
        #expect(before.keys.sorted() == ["first.html", "index.html", "second.html", "style.css"])

        try scratch.writeLessons(["01-first.md": frontMatter + "Changed.\n", "02-second.md": frontMatter + "$\\foo$\n"])
        #expect(throws: BuildFailure.self) { try SiteBuilder(lessons: scratch.lessons, output: scratch.site).build() }
        #expect(try contents(of: scratch.site) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["lessons", "site"])
    }

    @Test("a good rebuild replaces pages and removes the pages of deleted lessons")
    func rebuildReplaces() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.writeLessons(["01-first.md": frontMatter + "First.\n", "02-second.md": frontMatter + "Second.\n"])
        try SiteBuilder(lessons: scratch.lessons, output: scratch.site).build()
        let old = try contents(of: scratch.site)

        try scratch.writeLessons(["01-first.md": frontMatter + "Changed.\n"])
        let report = try SiteBuilder(lessons: scratch.lessons, output: scratch.site).build()
        let new = try contents(of: scratch.site)
        #expect(report.files == ["first.html", "index.html", "style.css"])
        #expect(new.keys.sorted() == report.files)
        #expect(new["first.html"] != old["first.html"])
        #expect(String(decoding: new["first.html"] ?? Data(), as: UTF8.self).contains("<p>Changed.</p>"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["lessons", "site"])
    }

    @Test("the output folder's parents are created")
    func createsParents() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let deep = scratch.url.appendingPathComponent("a/b/site").path
        try SiteBuilder(lessons: fixtureLessons.path, output: deep).build()
        #expect(try contents(of: deep).keys.sorted() == ["everything.html", "index.html", "style.css"])
    }

    @Test("a folder holding other files is never replaced", arguments: [
        ("Package.swift", "it holds 'Package.swift', which a build does not make"),
        ("notes.md", "it holds 'notes.md', which a build does not make"),
        (".git/", "it holds '.git', which a build does not make"),
    ])
    func refusesForeignFolder(_ entry: String, _ reason: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.site, withIntermediateDirectories: true)
        let url = URL(fileURLWithPath: scratch.site).appendingPathComponent(entry)
        if entry.hasSuffix("/") {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } else {
            try Data("keep".utf8).write(to: url)
        }
        try Data("old page".utf8).write(to: URL(fileURLWithPath: scratch.site).appendingPathComponent("old.html"))
        let before = try contents(of: scratch.site)
        do {
            try SiteBuilder(lessons: fixtureLessons.path, output: scratch.site).build()
            Issue.record("the build replaced a folder holding \(entry)")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["attn: will not replace '\(scratch.site)': \(reason); choose a new or empty folder for --out, or delete it first"])
        }
        #expect(try contents(of: scratch.site).keys.sorted() == before.keys.sorted())
    }

    @Test("a file in place of the output folder is never replaced")
    func refusesFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try Data("precious".utf8).write(to: URL(fileURLWithPath: scratch.site))
        do {
            try SiteBuilder(lessons: fixtureLessons.path, output: scratch.site).build()
            Issue.record("the build replaced a file")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["attn: will not replace '\(scratch.site)': it is a file, not a site folder; choose a new or empty folder for --out, or delete it first"])
        }
        #expect(try String(contentsOfFile: scratch.site, encoding: .utf8) == "precious")
    }

    @Test("a folder of old pages, .DS_Store included, is replaced")
    func replacesOldSite() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.site, withIntermediateDirectories: true)
        for name in ["gone.html", "style.css", ".DS_Store"] {
            try Data("old".utf8).write(to: URL(fileURLWithPath: scratch.site).appendingPathComponent(name))
        }
        try SiteBuilder(lessons: fixtureLessons.path, output: scratch.site).build()
        #expect(try contents(of: scratch.site).keys.sorted() == ["everything.html", "index.html", "style.css"])
    }

    @Test("builds running at once into one folder each leave a whole site")
    func concurrentBuilds() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let site = scratch.site
        let path = fixtureLessons.path
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { _ = try? SiteBuilder(lessons: path, output: site).build() }
            }
            for try await _ in group {}
        }
        #expect(try contents(of: site).keys.sorted() == ["everything.html", "index.html", "style.css"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["site"])
    }
}
