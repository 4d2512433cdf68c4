import Dispatch
import Foundation
import Site

/// `/playground` of `attn serve`: the request's form fields read strictly and bounded, the
/// helper or example applied, and the page rendered (Site's `PlaygroundPage`). Every
/// problem with the request itself is a 4xx with a one-line message; a problem with the
/// spec is the page, with the problem shown next to the form.
public enum PlaygroundRoute {
    /// The fields the form sends; only `show` may repeat.
    public static let fields = ["spec", "focus", "decimals", "show", "notation", "size", "seed", "example", "action"]

    /// Renders at once at most this many pages; further requests wait their turn (up to
    /// `queueSeconds`), so that a burst of submissions cannot starve the machine.
    static let renders = DispatchSemaphore(value: max(2, ProcessInfo.processInfo.activeProcessorCount))
    static let queueSeconds = 30.0

    public static func respond(to request: HTTPRequest, examples: [Playground.Example]) -> HTTPResponse {
        let bytes: [UInt8]
        switch request.method {
        case "GET", "HEAD":
            guard request.query.utf8.count <= Playground.maxQueryBytes else {
                return .text(414, "attn serve: the address's query is \(request.query.utf8.count) bytes; "
                    + "the playground takes at most \(Playground.maxQueryBytes) in a link: "
                    + "submit the form instead (its body may hold more)\n")
            }
            bytes = Array(request.query.utf8)
        case "POST":
            let type = request.headers["content-type"]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
            guard type == "application/x-www-form-urlencoded" else {
                return .text(415, "attn serve: the playground takes form fields (Content-Type: application/x-www-form-urlencoded), "
                    + "as its form sends them, not \(type.map { "'\($0)'" } ?? "a body without a Content-Type")\n")
            }
            bytes = request.body
        default:
            return .text(405, "attn serve: the playground answers GET and POST\n")
        }
        let decoded: [(name: String, value: String)]
        do { decoded = try FormDecoding.decode(bytes) } catch { return .text(400, "attn serve: \(error)\n") }
        var values: [String: String] = [:]
        var show: [String] = []
        for (name, value) in decoded {
            guard fields.contains(name) else {
                let hint = name.count <= 40 ? "unknown field '\(name)'" : "an unknown field"
                return .text(400, "attn serve: \(hint): the playground's fields are \(fields.joined(separator: ", "))\n")
            }
            let limit = name == "spec" ? Playground.maxSpecBytes : Playground.maxOptionBytes
            guard value.utf8.count <= limit else {
                return .text(400, "attn serve: the field '\(name)' is \(value.utf8.count) bytes; "
                    + "it takes at most \(limit)" + (name == "spec" ? " (the playground traces at most \(Playground.bounds.tokens) "
                    + "tokens and d_model \(Playground.bounds.width); seeded matrices, {seed: N}, keep big specs short)" : "") + "\n")
            }
            if name == "show" {
                guard show.count < 32 else { return .text(400, "attn serve: the field 'show' is given more than 32 times\n") }
                show.append(value)
                continue
            }
            guard values[name] == nil else { return .text(400, "attn serve: the field '\(name)' is given twice\n") }
            values[name] = value
        }
        var action = Playground.Action.trace
        if let name = values["action"] {
            guard let known = Playground.Action(rawValue: name) else {
                return .text(400, "attn serve: unknown action '\(name.prefix(40))': the actions are \(Playground.Action.allCases.map(\.rawValue).joined(separator: ", "))\n")
            }
            action = known
        }
        // A link from a lesson (?example=…), the examples' list, or the bare address: load an example.
        var exampleID = values["example"]
        if values["spec"] == nil, values["action"] == nil {
            action = .load
            exampleID = exampleID ?? examples.first?.id
        }
        var example: Playground.Example?
        if action == .load, let exampleID {
            guard let found = examples.first(where: { $0.id == exampleID }) else {
                return .text(404, "attn serve: no example '\(exampleID.prefix(80))' in the course (the list is at \(Playground.path))\n")
            }
            example = found
        }
        let spec = (values["spec"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        var form = Playground.Form(spec: spec,
                                   options: .init(focus: values["focus"] ?? "", decimals: values["decimals"] ?? "", show: show, notation: values["notation"] ?? ""),
                                   size: values["size"] ?? "", seed: values["seed"] ?? "")
        var notice: String?
        switch Playground.apply(action, to: form, example: example) {
        case .success(let edited): form = edited
        case .failure(let problem): notice = problem.message
        }
        guard renders.wait(timeout: .now() + queueSeconds) == .success else {
            return .text(503, "attn serve: busy tracing other specs; try again in a moment\n")
        }
        defer { renders.signal() }
        let page = PlaygroundPage(form: form, examples: examples, selectedExample: example?.id, notice: notice).render()
        return HTTPResponse(status: page.status, contentType: "text/html; charset=utf-8", body: page.html)
    }
}
