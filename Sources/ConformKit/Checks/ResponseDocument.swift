import ConformHTTP
import ConformJSON
import ConformSupport
import ConformXML
import Foundation

/// The body decoded once per response: JSON, or XML read (and validated) with libxml2.
enum ResponseDocument: Sendable {
    /// Nothing asked for the body.
    case none
    case json(JSONValue)
    case xml(XMLDocumentSummary)
    /// The body could not be read as the kind the case expects; the reason says what it is instead.
    case unreadable(String)

    /// How a case wants its body read.
    enum Kind: Sendable {
        case none
        case json
        case xml(XMLSchema?)
    }

    /// Reads the body as the case expects.
    static func decode(_ response: HTTPResponseSnapshot, as kind: Kind) -> ResponseDocument {
        switch kind {
        case .none:
            return .none
        case .json:
            if let value = JSONValue.decode(response.body) { return .json(value) }
            return .unreadable("expected a JSON body, got \(BodySniffer.describe(response))")
        case .xml(let schema):
            let sniffed = BodySniffer.describe(response)
            // An HTML error page would otherwise be reported as a refused DOCTYPE.
            if sniffed.hasPrefix("an HTML page") { return .unreadable("expected an XML document, got \(sniffed)") }
            switch XMLDocumentReader.read(response.body, schema: schema) {
            case .success(let summary): return .xml(summary)
            case .failure(.documentTypeDeclaration):
                return .unreadable(XMLReadFailure.documentTypeDeclaration.description)
            case .failure(let failure):
                return .unreadable(
                    sniffed.hasPrefix("an XML") ? failure.description : "expected an XML document, got \(sniffed)")
            }
        }
    }

    /// The value at a field path: a JSON value, or the text of a child of the XML root.
    func field(at path: FieldPath) -> FieldValue? {
        switch self {
        case .json(let value):
            return value.value(at: path).map { .json($0) }
        case .xml(let summary):
            guard path.components.count == 1, case .key(let name) = path.components[0],
                let element = summary.child(named: name)
            else { return nil }
            return .xml(text: element.text, line: element.line)
        case .none, .unreadable:
            return nil
        }
    }
}

/// A field's value as a check sees it.
enum FieldValue: Sendable, Equatable {
    case json(JSONValue)
    case xml(text: String, line: Int)

    /// The value as text when it is a string, number or boolean (XML text always is).
    var text: String? {
        switch self {
        case .json(let value): value.scalarText
        case .xml(let text, _): text
        }
    }

    /// The value as seen in messages: `string "3600"`, `"6/1/2014 8:00:00 AM"`.
    var seen: String {
        switch self {
        case .json(let value): value.seenDescription
        case .xml(let text, _): JSONValue.quoted(text)
        }
    }

    /// `Expiration_date (line 4)` for XML, the path alone for JSON.
    func place(_ path: FieldPath) -> String {
        switch self {
        case .json: path.description
        case .xml(_, let line): "\(path) (line \(line))"
        }
    }
}

/// Says in words what a body is, for messages: "an HTML page (text/html)", "an empty body".
enum BodySniffer {
    static func describe(_ response: HTTPResponseSnapshot) -> String {
        let typeNote = response.mediaType.map { " (\($0))" } ?? ""
        let body = response.body
        if body.isEmpty { return "an empty body\(typeNote)" }
        guard
            let text = String(data: body.prefix(2048), encoding: .utf8)
                ?? String(data: body.prefix(2045), encoding: .utf8)
        else {
            return "\(body.count) bytes of binary data\(typeNote)"
        }
        let start = text.drop { $0.isWhitespace }
        let lower = start.prefix(512).lowercased()
        // Cut with "…", so that a secret cut here is still recognised when the text is masked.
        let excerpt = JSONValue.quoted(String(start.prefix(60)) + (start.count > 60 ? "…" : ""))
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") || lower.contains("<html") {
            return "an HTML page\(typeNote): \(excerpt)"
        }
        if lower.hasPrefix("<") { return "an XML document\(typeNote): \(excerpt)" }
        if lower.hasPrefix("{") || lower.hasPrefix("[") {
            return JSONValue.decode(body) == nil
                ? "malformed JSON\(typeNote): \(excerpt)" : "JSON\(typeNote): \(excerpt)"
        }
        return "text\(typeNote): \(excerpt)"
    }
}
