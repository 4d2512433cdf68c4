import Diagnostics
import Foundation

/// A folder of files that readers see either whole or not at all: the files go to a fresh
/// hidden sibling of the target, which then replaces the target (`swapIn`). Files may be
/// written from several threads at once.
struct StagingFolder: Sendable {
    /// The target as the user named it (for messages).
    let name: String
    let target: URL
    let staging: URL
    let retired: URL

    /// Replacing a folder deletes it, so only a folder that holds nothing but what a build
    /// writes may be replaced (never `--out .` or `--out lessons`): files with the given
    /// extensions (`html`, `css`) and `.DS_Store`. Returns why `target` may not be replaced,
    /// or nil when it may (or does not exist).
    static func refusalToReplace(_ target: String, withFilesEndingIn extensions: Set<String>) -> String? {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: target, isDirectory: &isDirectory) else { return nil }
        let advice = "choose a new or empty folder for --out, or delete it first"
        guard isDirectory.boolValue else { return "attn: will not replace '\(target)': it is a file, not a site folder; \(advice)" }
        let entries = ((try? manager.contentsOfDirectory(atPath: target)) ?? []).sorted()
        let stranger = entries.first { name in
            var isFolder: ObjCBool = false
            let path = (target as NSString).appendingPathComponent(name)
            guard manager.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { return true }
            return name != ".DS_Store" && !extensions.contains((name as NSString).pathExtension)
        }
        return stranger.map { "attn: will not replace '\(target)': it holds '\($0)', which a build does not make; \(advice)" }
    }

    /// Creates the empty staging folder next to `target` (and `target`'s parents).
    init(replacing target: String) throws(Diagnostic) {
        let manager = FileManager.default
        name = target
        self.target = URL(fileURLWithPath: target).standardizedFileURL
        let parent = self.target.deletingLastPathComponent()
        // Unique per build, so that two builds at once (tests run in parallel) never share a folder.
        let tag = "\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        staging = parent.appendingPathComponent(".\(self.target.lastPathComponent).new-\(tag)")
        retired = parent.appendingPathComponent(".\(self.target.lastPathComponent).old-\(tag)")
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw Self.failure(name, error)
        }
    }

    /// Writes one file into the staging folder, with plain POSIX calls: Foundation's
    /// `Data.write` syncs every file to disk, and a site needs no per-file sync, because the
    /// folder swap is what makes it atomic.
    func write(_ contents: String, to fileName: String) throws(Diagnostic) {
        let path = staging.path + "/" + fileName
        guard let file = fopen(path, "wb") else {
            throw Self.failure(name, CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]))
        }
        var text = contents
        let (written, expected) = text.withUTF8 { (fwrite($0.baseAddress, 1, $0.count, file), $0.count) }
        let closed = fclose(file)
        guard written == expected, closed == 0 else {
            throw Self.failure(name, CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: path]))
        }
    }

    /// Puts the staging folder in place of the target; the old target is deleted.
    func swapIn() throws(Diagnostic) {
        let manager = FileManager.default
        do {
            if manager.fileExists(atPath: target.path) {
                try manager.moveItem(at: target, to: retired)
                do {
                    try manager.moveItem(at: staging, to: target)
                } catch {
                    // Put the old site back; if another build got there first, its site stands.
                    if (try? manager.moveItem(at: retired, to: target)) == nil { try? manager.removeItem(at: retired) }
                    throw error
                }
                try? manager.removeItem(at: retired)
            } else {
                try manager.moveItem(at: staging, to: target)
            }
        } catch {
            throw Self.failure(name, error)
        }
    }

    /// Deletes the staging folder (after a failed build).
    func discard() {
        try? FileManager.default.removeItem(at: staging)
    }

    private static func failure(_ target: String, _ error: any Error) -> Diagnostic {
        Diagnostic("cannot write the site to '\(target)': \(error.localizedDescription)", at: nil)
    }
}
