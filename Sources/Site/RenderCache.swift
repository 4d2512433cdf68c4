import Foundation
import Lessons

/// What `attn serve` keeps between rebuilds: each lesson parsed and traced, and each page
/// rendered, keyed by the lesson file's bytes (and, for a page, its neighbours' titles), so
/// that an edit re-does one lesson. Lessons read other files (`spec:`, .csv, .npy) that the
/// key does not cover: call `clear()` when anything but a lesson file changes.
public final class RenderCache: @unchecked Sendable {
    private let lock = NSLock()
    private var lessons: [String: (data: Data, lesson: Lesson)] = [:]
    private var pages: [String: (data: Data, neighbours: [LessonPage.Neighbour?], page: RenderedPage)] = [:]

    public init() {}

    public func clear() {
        lock.lock(); defer { lock.unlock() }
        lessons = [:]
        pages = [:]
    }

    func lesson(_ path: String, _ data: Data) -> Lesson? {
        lock.lock(); defer { lock.unlock() }
        guard let entry = lessons[path], entry.data == data else { return nil }
        return entry.lesson
    }

    func store(_ lesson: Lesson, _ path: String, _ data: Data) {
        lock.lock(); defer { lock.unlock() }
        lessons[path] = (data, lesson)
    }

    func page(_ path: String, _ neighbours: [LessonPage.Neighbour?]) -> RenderedPage? {
        lock.lock(); defer { lock.unlock() }
        guard let entry = pages[path], entry.neighbours == neighbours, lessons[path]?.data == entry.data else { return nil }
        return entry.page
    }

    func store(page: RenderedPage, _ path: String, _ neighbours: [LessonPage.Neighbour?]) {
        lock.lock(); defer { lock.unlock() }
        guard let data = lessons[path]?.data else { return }
        pages[path] = (data, neighbours, page)
    }
}
