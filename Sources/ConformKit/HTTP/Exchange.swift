import Foundation

/// One request and what came back: a response, or the transport failure that stopped it.
public struct Exchange: Sendable {
    public var request: PreparedRequest
    public var response: HTTPResponseSnapshot?
    public var failure: TransportFailure?
    public var timing: ExchangeTiming
}

/// A response as received, its body capped before anything decodes it.
public struct HTTPResponseSnapshot: Sendable {
    public var status: Int
    public var reason: String
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, reason: String, headers: [(name: String, value: String)], body: Data) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, names compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { ASCII.equalsIgnoringCase($0.name, name) }?.value
    }

    /// Every value of a header, joined with ", " as RFC 9110 allows for list headers.
    public func headerList(_ name: String) -> String? {
        let values = headers.filter { ASCII.equalsIgnoringCase($0.name, name) }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    /// The media type without parameters, lower-cased: `application/json`.
    public var mediaType: String? {
        guard let contentType = header("Content-Type") else { return nil }
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var type = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }.drop(while: isSpace)
        while let last = type.last, isSpace(last) { type = type.dropLast() }
        return String(decoding: type.map(ASCII.lowercased), as: UTF8.self)
    }

    /// The `charset` parameter of `Content-Type`, lower-cased, if any.
    public var charset: String? {
        guard let contentType = header("Content-Type") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else {
                continue
            }
            return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \"")).lowercased()
        }
        return nil
    }

    /// The body as text when it is UTF-8.
    public var text: String? { String(data: body, encoding: .utf8) }
}
