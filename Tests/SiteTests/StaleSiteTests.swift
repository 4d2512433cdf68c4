import Foundation
import TestSupport
import Testing
@testable import Site

/// site/ is committed as the built course. This fails when it no longer matches what
/// lessons/ builds to, so a lesson change cannot be committed without its pages.
@Suite("site/ is up to date")
struct StaleSiteTests {
    @Test("site/ holds exactly what lessons/ builds to")
    func upToDate() throws {
        let lessons = repositoryRoot.appendingPathComponent("lessons")
        let site = repositoryRoot.appendingPathComponent("site")
        let manager = FileManager.default
        let lessonFiles = ((try? manager.contentsOfDirectory(atPath: lessons.path)) ?? []).filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }
        let siteFiles = ((try? manager.contentsOfDirectory(atPath: site.path)) ?? []).filter { $0.hasSuffix(".html") || $0.hasSuffix(".css") }

        var expected: [String: String] = [:]
        if !lessonFiles.isEmpty {
            let (pages, _) = try SiteBuilder(lessons: lessons.path, output: site.path).render()
            expected = Dictionary(uniqueKeysWithValues: pages)
        }

        var problems: [String] = []
        for (name, text) in expected.sorted(by: { $0.key < $1.key }) {
            guard let data = manager.contents(atPath: site.appendingPathComponent(name).path) else {
                problems.append("site/\(name) is missing")
                continue
            }
            if data != Data(text.utf8) { problems.append("site/\(name) differs from what lessons/ builds to") }
        }
        for name in siteFiles.sorted() where expected[name] == nil {
            problems.append("site/\(name) is made by no lesson")
        }
        #expect(problems.isEmpty, "site/ is stale: run `make site` and commit site/ (\(problems.joined(separator: "; ")))")
    }
}
