import Diagnostics
import Foundation

/// The lessons folder (`lessons/`): its lesson files `NN-slug.md`, its guides
/// (`guides/*.md`), and a lesson named the ways students and authors name one — by its file
/// name, slug, number or path. Every command and the site builder read the folder here.
public struct LessonsFolder: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path }

    /// Whether the folder exists (as a folder).
    public var exists: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The path of a file in the folder.
    public func path(of fileName: String) -> String {
        (path as NSString).appendingPathComponent(fileName)
    }

    // MARK: Listing

    /// Every `*.md` in the folder, sorted: the lesson files (also those whose name is not a
    /// valid `NN-slug.md`, which parsing then rejects). None when the folder cannot be read.
    public func lessonFileNames() -> [String] {
        Self.markdownFiles(in: path)
    }

    /// The folder of guides, `guides/` inside the lessons folder.
    public var guidesPath: String { path(of: "guides") }

    /// Every `*.md` in the guides folder, sorted.
    public func guideFileNames() -> [String] {
        Self.markdownFiles(in: guidesPath)
    }

    /// `*.md` files, sorted, without hidden ones (editors' lock and backup files).
    static func markdownFiles(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }
            .sorted()
    }

    // MARK: File names

    /// `03-why-scale.md` → (3, "why-scale"); an error for a name that is not `NN-slug.md`.
    public static func nameParts(_ fileName: String, path: String) throws(Diagnostic) -> (number: Int, slug: String) {
        let stem = fileName.hasSuffix(".md") ? String(fileName.dropLast(3)) : fileName
        let digits = stem.prefix(while: \.isNumber)
        let rest = stem.dropFirst(digits.count)
        guard let number = Int(digits), rest.first == "-", rest.count > 1,
              rest.dropFirst().allSatisfy({ ($0.isLetter && $0.isASCII && $0.isLowercase) || $0.isNumber || $0 == "-" }) else {
            throw Diagnostic("lesson file names look like NN-slug.md (e.g. 03-why-scale.md: a number, a dash, lowercase letters, "
                + "digits and dashes), not '\(fileName)'", at: SourceLocation(path: path, line: 1, column: 1))
        }
        return (number, String(rest.dropFirst()))
    }

    /// The number a file name starts with (`03-why-scale.md` → 3), also for a name that is
    /// not a valid `NN-slug.md`: finding a lesson by number, and numbering a new one.
    public static func number(ofFileName fileName: String) -> Int? {
        Int(fileName.prefix { $0.isASCII && $0.isNumber })
    }

    /// The slug of a file name (`03-why-scale.md` → `why-scale`): the name without `.md`
    /// and without its leading `NN-`, also for a name that is not a valid `NN-slug.md`.
    public static func slug(ofFileName fileName: String) -> String {
        var stem = fileName.hasSuffix(".md") ? String(fileName.dropLast(3)) : fileName
        let digits = stem.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, stem.dropFirst(digits.count).hasPrefix("-") { stem = String(stem.dropFirst(digits.count + 1)) }
        return stem
    }

    /// The number after the highest lesson number in the folder (1 for an empty folder).
    public func nextNumber() -> Int {
        (lessonFileNames().compactMap(Self.number(ofFileName:)).max() ?? 0) + 1
    }

    // MARK: Finding a lesson

    /// The ways a lesson may be named.
    public struct Naming: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// `03-why-scale.md` or `03-why-scale`.
        public static let fileName = Naming(rawValue: 1)
        /// `why-scale`.
        public static let slug = Naming(rawValue: 2)
        /// `3` (or `03`).
        public static let number = Naming(rawValue: 4)
        public static let all: Naming = [.fileName, .slug, .number]
    }

    /// The file name of the first lesson (in file-name order) that `name` names in one of
    /// the `ways`; nil when none does.
    public func lessonFileName(named name: String, _ ways: Naming = .all) -> String? {
        let number = Int(name)
        return lessonFileNames().first { file in
            (ways.contains(.fileName) && (file == name || file == name + ".md"))
                || (ways.contains(.slug) && Self.slug(ofFileName: file) == name)
                || (ways.contains(.number) && number != nil && Self.number(ofFileName: file) == number)
        }
    }

    /// `lesson` as a path when it is a file, else the path of the lesson in this folder
    /// that it names by file name, slug or number; nil when it names none.
    public func lessonPath(for lesson: String) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: lesson, isDirectory: &isDirectory), !isDirectory.boolValue { return lesson }
        return lessonFileName(named: lesson).map(path(of:))
    }
}
