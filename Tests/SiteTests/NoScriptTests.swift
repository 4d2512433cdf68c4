import Foundation
import TestSupport
import Testing
@testable import Site

@Suite("built sites have no JavaScript")
struct NoScriptTests {
    @Test("attn build writes no <script>; only served pages get the reload script")
    func noScript() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let course = repositoryRoot.appendingPathComponent("lessons").path
        let report = try SiteBuilder(lessons: course, output: scratch.site, strict: true).build()
        #expect(report.files.count > 2)
        for name in report.files {
            let text = try String(contentsOfFile: scratch.site + "/" + name, encoding: .utf8)
            #expect(!text.lowercased().contains("<script"), "\(name) has a script")
        }
        let served = LiveReload.inject(into: try String(contentsOfFile: scratch.site + "/index.html", encoding: .utf8), version: 3)
        #expect(served.contains("<script>") && served.contains("/__attn/wait?version=") && served.contains("</script>\n</body>"))
    }

    @Test("the error page escapes the messages")
    func errorPage() {
        let failure = BuildFailure(diagnostics: [.init("unknown matrix '<b>'", at: .init(path: "lessons/01-a.md", line: 3, column: 7))])
        let page = LiveReload.errorPage(failure, version: 2)
        #expect(page.contains("lessons/01-a.md:3:7: unknown matrix &#39;&lt;b&gt;&#39;") || page.contains("lessons/01-a.md:3:7: unknown matrix '&lt;b&gt;'"))
        #expect(!page.contains("<b>"))
    }
}
