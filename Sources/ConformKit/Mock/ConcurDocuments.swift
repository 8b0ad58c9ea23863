import ConformXML
import Foundation

/// The Concur mock's XML bodies. Well-formed ones are written with ``XMLWriter``; the hostile ones are
/// attack payloads kept verbatim, because no writer would produce them.
enum ConcurDocuments {
    static let xmlType = "application/xml; charset=utf-8"
    static let instanceURL = "https://www.concursolutions.com/"

    /// The widest `Expiration_date` a year ahead can be: `12/31/2027 12:59:59 PM` (no leading zeros, so
    /// `1/1/2027 1:00:00 AM` is three characters narrower).
    static let widestExpirationDate = 22

    /// `M/d/yyyy h:mm:ss a` in UTC, a year after `now`; the deviations bend it.
    static func expirationDate(for deviation: ConcurMock.Deviation?, now: Date) -> String {
        switch deviation {
        case .unparseableDate: return "2027-06-01T08:00:00Z"
        case .expiredDate: return "3/30/2013 2:19:10 PM"
        default:
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "M/d/yyyy h:mm:ss a"
            return formatter.string(from: now.addingTimeInterval(365 * 24 * 3600))
        }
    }

    /// The success document: `Token`, `Expiration_date`, `Instance_Url` (not the docs' order), no `Refresh_Token`.
    static func accessToken(
        token: String, expiration: String, deviation: ConcurMock.Deviation?, externalEntityTarget: String
    ) -> Data {
        switch deviation {
        case .externalEntity:
            return padded(externalEntity(target: externalEntityTarget, expiration: expiration), for: expiration)
        case .entityBomb: return entityBomb
        case .hugeBody: return hugeDocument
        case .invalidUTF8:
            var document = write(
                root: "Access_Token", [("Token", token + "NOT-UTF-8-HERE"), ("Expiration_date", expiration)])
            if let marker = document.range(of: Data("NOT-UTF-8-HERE".utf8)) {
                document.replaceSubrange(marker, with: [0xC3, 0x28, 0xFF, 0xFE])
            }
            return padded(document, for: expiration)
        default: break
        }
        var elements: [(String, String)] = []
        if deviation != .missingToken { elements.append(("Token", token)) }
        elements.append((deviation == .expirationDateCasing ? "Expiration_Date" : "Expiration_date", expiration))
        elements.append((deviation == .instanceURLCasing ? "Instance_URL" : "Instance_Url", instanceURL))
        return padded(write(root: deviation == .wrongRoot ? "AccessToken" : "Access_Token", elements), for: expiration)
    }

    /// `truncated-document`: the success document stops right after `<Expiration_date>`, before the date,
    /// so that where it stops, and its size, are the same whatever the date.
    static func truncated(_ document: Data) -> Data {
        guard let start = document.range(of: Data("<Expiration_date>".utf8)) else {
            return document.prefix(document.count / 2)
        }
        return document.prefix(upTo: start.upperBound)
    }

    /// A document that holds `expiration`, followed by as many spaces as the date is narrower than the
    /// widest one (XML and JSON allow whitespace after the root): its size is the same whatever the date,
    /// and so is every figure a deviation shows about it (the bytes a truncated body announces and sends).
    static func padded(_ document: Data, for expiration: String) -> Data {
        document + Data(repeating: UInt8(ascii: " "), count: max(0, widestExpirationDate - expiration.count))
    }

    static func error(_ message: String, now: Date) -> Data {
        write(root: "Error", [("Message", message), ("Server-Time", serverTime(now)), ("Id", errorID())])
    }

    static func serverTime(_ now: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: now)
    }

    static func errorID() -> String { MockTokens.random(12, prefix: "ERR-") }

    private static func write(root: String, _ elements: [(String, String)]) -> Data {
        do {
            let writer = try XMLWriter()
            try writer.startElement(root)
            for (name, text) in elements { try writer.element(name, text: text) }
            try writer.endElement()
            return try writer.finish()
        } catch {
            return Data()
        }
    }

    /// A DOCTYPE whose external entity points at a local file, referenced inside `Token` (XXE).
    private static func externalEntity(target: String, expiration: String) -> Data {
        Data(
            """
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE Access_Token [
              <!ENTITY xxe SYSTEM "file://\(target)">
            ]>
            <Access_Token>
              <Token>&xxe;</Token>
              <Expiration_date>\(expiration)</Expiration_date>
            </Access_Token>

            """.utf8)
    }

    /// Billion laughs: ten levels of ten references, 10^9 copies of "lol" if a parser expanded them.
    private static let entityBomb: Data = {
        var declarations = ["  <!ENTITY lol0 \"lol\">"]
        for level in 1...9 {
            let references = String(repeating: "&lol\(level - 1);", count: 10)
            declarations.append("  <!ENTITY lol\(level) \"\(references)\">")
        }
        return Data(
            """
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE Access_Token [
            \(declarations.joined(separator: "\n"))
            ]>
            <Access_Token><Token>&lol9;</Token><Expiration_date>1/1/2099 1:00:00 AM</Expiration_date></Access_Token>

            """.utf8)
    }()

    /// A schema-valid success document of 10 MiB (a very long `Token`).
    private static let hugeDocument: Data = write(
        root: "Access_Token",
        [("Token", String(repeating: "A", count: 10 << 20)), ("Expiration_date", "1/1/2099 1:00:00 AM")])
}
