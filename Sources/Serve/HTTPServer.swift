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

    /// Accepts connections until `isStopping` says so (asked every 200 ms), then closes the
    /// socket. A request that cannot be read is answered 400; HEAD gets no body.
    public func run(isStopping: () -> Bool, respond: @escaping @Sendable (HTTPRequest) -> HTTPResponse) {
        while !isStopping() {
            var entry = pollfd(fd: socketFD, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 200) > 0 else { continue }
            let client = accept(socketFD, nil, nil)
            guard client >= 0 else { continue }
            Thread.detachNewThread { HTTPServer.handle(client, respond: respond) }
        }
        close(socketFD)
    }

    static func handle(_ client: Int32, respond: (HTTPRequest) -> HTTPResponse) {
        defer { close(client) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var head = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while head.count < 16384 {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            head += buffer[0..<count]
            if head.count >= 4, head.suffix(from: max(0, head.count - count - 3)).containsHeaderEnd { break }
        }
        guard let request = HTTPRequest(head: head) else {
            return write(.text(400, "bad request\n"), includingBody: true, to: client)
        }
        write(respond(request), includingBody: request.method != "HEAD", to: client)
    }

    static func write(_ response: HTTPResponse, includingBody: Bool, to client: Int32) {
        let bytes = response.bytes(includingBody: includingBody)
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

private extension ArraySlice where Element == UInt8 {
    var containsHeaderEnd: Bool {
        let end: [UInt8] = [13, 10, 13, 10]
        guard count >= 4 else { return false }
        var i = startIndex
        while i + 4 <= endIndex {
            if Array(self[i..<(i + 4)]) == end { return true }
            i += 1
        }
        return false
    }
}
