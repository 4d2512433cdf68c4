import Foundation
import TestSupport
import Testing
@testable import Site

/// The fixture lesson that uses every feature, built and compared with checked-in pages.
/// After an intended change to the markup: `ATTN_UPDATE_GOLDEN=1 swift test --filter golden`,
/// then review the diff of Tests/SiteTests/Golden/.
@Suite("golden pages")
struct GoldenTests {
    @Test("the everything fixture builds to the golden pages, byte for byte", arguments: ["everything.html", "index.html"])
    func golden(_ name: String) throws {
        let (pages, _) = try SiteBuilder(lessons: fixtureLessons.path, output: "/nonexistent").render()
        let page = try #require(pages.first { $0.0 == name }?.1)
        let url = repositoryRoot.appendingPathComponent("Tests/SiteTests/Golden/\(name)")
        if ProcessInfo.processInfo.environment["ATTN_UPDATE_GOLDEN"] == "1" {
            try Data(page.utf8).write(to: url)
        }
        let golden = try Data(contentsOf: url)
        #expect(Data(page.utf8) == golden, "Tests/SiteTests/Golden/\(name) differs: regenerate with ATTN_UPDATE_GOLDEN=1 swift test --filter golden, then review the diff")
    }
}

@Suite("well-formed pages")
struct WellFormedTests {
    @Test("every page of the fixture has well-formed tags and no leftover placeholder")
    func fixture() throws {
        let (pages, _) = try SiteBuilder(lessons: fixtureLessons.path, output: "/nonexistent").render()
        for (name, page) in pages where name.hasSuffix(".html") {
            #expect(malformedTags(page) == [], "\(name)")
            #expect(!page.unicodeScalars.contains { $0 == "\u{E000}" || $0 == "\u{E001}" }, "\(name)")
            #expect(page.hasPrefix("<!DOCTYPE html>"), "\(name)")
        }
    }
}
