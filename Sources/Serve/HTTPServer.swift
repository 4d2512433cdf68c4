import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small HTTP/1.1 server on 127.0.0.1, on POSIX sockets: one request per connection, one
/// thread per connection, each request answered by a function of it. Enough for one
/// author's browser; not for the internet.
public final class HTTPServer: @unchecked Sendable {
    public let port: UInt16
    private let socketFD: Int32

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Listens on 127.0.0.1:`port` (0: any free port; `port` then tells which).
    public init(port: UInt16) throws(Failure) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "cannot open a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "cannot listen on 127.0.0.1:\(port): \(reason)" + (port == 0 ? "" : "; try another --port, or --port 0 for any free one"))
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = UInt16(bigEndian: address.sin_port)
        socketFD = fd
    }

    /// What one request may send: the head (request line and headers) and the body, in
    /// bytes. Over either, the request is refused with a message before more is read.
    public struct Limits: Sendable {
        public var head: Int
        public var body: Int
        public init(head: Int = 64 * 1024, body: Int = 1024 * 1024) {
            self.head = head
            self.body = body
        }
    }

    /// Accepts connections until `isStopping` says so (asked every 200 ms), then closes the
    /// socket. Each connection is read and answered on a thread of its own, so a slow
    /// request never holds up the others. A request that cannot be read, or is over
    /// `limits`, is answered 4xx with a message; HEAD gets no body.
    public func run(limits: Limits = Limits(), isStopping: () -> Bool, respond: @escaping @Sendable (HTTPRequest) -> HTTPResponse) {
        while !isStopping() {
            var entry = pollfd(fd: socketFD, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 200) > 0 else { continue }
            let client = accept(socketFD, nil, nil)
            guard client >= 0 else { continue }
            Thread.detachNewThread { HTTPServer.handle(client, limits: limits, respond: respond) }
        }
        close(socketFD)
    }

    static func handle(_ client: Int32, limits: Limits, respond: (HTTPRequest) -> HTTPResponse) {
        defer { close(client) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headEnd: Int?
        while headEnd == nil, received.count <= limits.head {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            let searchFrom = max(0, received.count - 3)
            received += buffer[0..<count]
            headEnd = Self.headerEnd(in: received, from: searchFrom)
        }
        guard let headEnd, headEnd <= limits.head else {
            if received.isEmpty { return }
            return refuse(.text(received.count > limits.head ? 431 : 400, received.count > limits.head
                ? "attn serve: the request line and headers are over \(Self.size(limits.head)); a long spec goes in the form's body (POST), not in the address\n"
                : "attn serve: bad request (the headers did not end)\n"), to: client)
        }
        guard var request = HTTPRequest(head: Array(received[..<headEnd])) else {
            return refuse(.text(400, "attn serve: bad request (no method and target)\n"), to: client)
        }
        if request.headers["transfer-encoding"] != nil {
            return refuse(.text(411, "attn serve: send the body with a Content-Length, not in chunks\n"), to: client)
        }
        let length: Int
        if let text = request.headers["content-length"] {
            guard !text.isEmpty, text.utf8.count <= 18, text.allSatisfy(\.isASCII), let n = Int(text), n >= 0 else {
                return refuse(.text(400, "attn serve: Content-Length must be a whole number of bytes\n"), to: client)
            }
            length = n
        } else {
            guard request.method != "POST" else { return refuse(.text(411, "attn serve: a POST needs a Content-Length\n"), to: client) }
            length = 0
        }
        if length > limits.body {
            return refuse(.text(413, "attn serve: the request body is \(length) bytes; at most \(limits.body) "
                + "bytes (\(Self.size(limits.body))) are taken. A spec that big is over the playground's bounds anyway: "
                + "at most 64 tokens and d_model 256, best written with {seed: N}.\n"), to: client)
        }
        if length > 0, request.headers["expect"]?.lowercased() == "100-continue" {
            sendAll(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), to: client)
        }
        var body = Array(received[(headEnd + 4)...].prefix(length))
        while body.count < length {
            let count = recv(client, &buffer, min(buffer.count, length - body.count), 0)
            guard count > 0 else {
                return write(.text(408, "attn serve: the body ended after \(body.count) of its \(length) bytes\n"), includingBody: true, to: client)
            }
            body += buffer[0..<count]
        }
        request.body = body
        write(respond(request), includingBody: request.method != "HEAD", to: client)
    }

    /// `1 MiB`, `64 KiB`, `100 bytes`.
    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : bytes >= 1024 && bytes % 1024 == 0 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }

    /// The index of the `\r\n\r\n` that ends the head, searching from `start`.
    static func headerEnd(in bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + 4 <= bytes.count {
            if bytes[i] == 13, bytes[i + 1] == 10, bytes[i + 2] == 13, bytes[i + 3] == 10 { return i }
            i += 1
        }
        return nil
    }

    /// Answers a request that will not be read to its end, then reads and drops what the
    /// client still sends (for at most two seconds) before closing, so that the client
    /// sees the answer instead of a reset connection.
    static func refuse(_ response: HTTPResponse, to client: Int32) {
        write(response, includingBody: true, to: client)
        shutdown(client, Int32(SHUT_WR))
        var timeout = timeval(tv_sec: 0, tv_usec: 250_000)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = Date(timeIntervalSinceNow: 2)
        while Date() < deadline, recv(client, &buffer, buffer.count, 0) > 0 {}
    }

    static func write(_ response: HTTPResponse, includingBody: Bool, to client: Int32) {
        sendAll(response.bytes(includingBody: includingBody), to: client)
    }

    static func sendAll(_ bytes: [UInt8], to client: Int32) {
        var sent = 0
        while sent < bytes.count {
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0   // SIGPIPE is ignored instead (see CourseServer.serve)
            #endif
            let count = bytes[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, flags) }
            guard count > 0 else { return }
            sent += count
        }
    }
}
