import Foundation

/// One HTTP request as `attn serve` reads it: the request line's method and target, the
/// headers, and the body (read only when it announces its length, within the server's bound).
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// The target's path, percent-decoded (`/first-steps.html`).
    public var path: String
    /// The target's query, as sent (`version=3`), or "".
    public var query: String
    /// Header names lowercased; a repeated header keeps its last value.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, query: String = "", headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The request whose head (request line, headers) starts `bytes`; nil when its first
    /// line has no method and target.
    public init?(head bytes: [UInt8]) {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let parts = (lines.first ?? "").split(separator: " ")
        guard parts.count >= 2 else { return nil }
        let target = parts[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard !line.isEmpty else { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.init(method: String(parts[0]),
                  path: String(target[0]).removingPercentEncoding ?? String(target[0]),
                  query: target.count > 1 ? String(target[1]) : "",
                  headers: headers)
    }

    /// The value of `name=` in the query, if given.
    public func parameter(_ name: String) -> String? {
        query.split(separator: "&").first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
    }
}

/// An HTTP response: status, content type and a text body. Never cached, and the
/// connection closes after it.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: String

    public init(status: Int, contentType: String, body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// Plain UTF-8 text.
    public static func text(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", body: body)
    }

    static let reasons = [200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout",
                          411: "Length Required", 413: "Content Too Large", 414: "URI Too Long", 415: "Unsupported Media Type",
                          422: "Unprocessable Content", 431: "Request Header Fields Too Large", 500: "Internal Server Error",
                          503: "Service Unavailable"]

    /// The response as sent: status line, headers and (unless for HEAD) the body.
    public func bytes(includingBody: Bool) -> [UInt8] {
        let payload = Array(body.utf8)
        var bytes = Array(("HTTP/1.1 \(status) \(Self.reasons[status] ?? "Error")\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(payload.count)\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n").utf8)
        if includingBody { bytes += payload }
        return bytes
    }
}
