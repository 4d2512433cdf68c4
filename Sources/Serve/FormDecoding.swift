/// `application/x-www-form-urlencoded`, as HTML forms send it (a POST body, or the query
/// of a GET), decoded strictly: a malformed field is an error with a message, never
/// guessed at.
public enum FormDecoding {
    public struct Failure: Error, Equatable, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The fields in order, names and values decoded (`+` is a space, `%XX` a byte, the
    /// bytes UTF-8). Empty input has no fields.
    public static func decode(_ bytes: [UInt8]) throws(Failure) -> [(name: String, value: String)] {
        guard !bytes.isEmpty else { return [] }
        var fields: [(name: String, value: String)] = []
        var start = 0
        for (number, part) in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false).enumerated() {
            defer { start += part.count + 1 }
            guard !part.isEmpty else {
                throw Failure(description: "field \(number + 1) is empty (two '&' in a row, or one at an end, at byte \(start + 1)): fields are name=value, joined by '&'")
            }
            guard let equals = part.firstIndex(of: UInt8(ascii: "=")) else {
                throw Failure(description: "field \(number + 1) has no '=' (at byte \(start + 1)): fields are name=value, joined by '&'")
            }
            let name = try text(part[part.startIndex..<equals], at: start, what: "the name of field \(number + 1)")
            guard !name.isEmpty else { throw Failure(description: "field \(number + 1) has an empty name (at byte \(start + 1))") }
            let value = try text(part[(equals + 1)...], at: start + (equals - part.startIndex) + 1, what: "the value of field '\(String(name.prefix(40)))'")
            fields.append((name, value))
        }
        return fields
    }

    static func text(_ bytes: ArraySlice<UInt8>, at offset: Int, what: String) throws(Failure) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "+"): out.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard i + 2 < bytes.endIndex, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) else {
                    throw Failure(description: "malformed percent-encoding in \(what) at byte \(offset + (i - bytes.startIndex) + 1): '%' must be followed by two hexadecimal digits")
                }
                out.append(high << 4 | low)
                i += 2
            default: out.append(byte)
            }
            i += 1
        }
        guard let string = String(validating: out, as: UTF8.self) else {
            throw Failure(description: "\(what) is not UTF-8 text")
        }
        guard !out.contains(0) else { throw Failure(description: "\(what) holds a NUL character") }
        return string
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
