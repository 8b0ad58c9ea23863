import CLibXML2
import Foundation

// One of the two files that reach libxml2 (the other is XMLWriter.swift). Responses are untrusted: they
// are parsed with XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING and never NOENT, HUGE,
// DTDLOAD, DTDVALID or XINCLUDE; a DOCTYPE stops the parser before its internal subset is read, so no
// entity is ever declared, loaded or expanded.

/// Initialises libxml2 once before any concurrent use.
///
/// libxml2's default error handlers print to standard error, around conform's ``OutputBoundary``: a line of
/// any document it failed to read, secrets included. From here on every thread starts with conform's
/// handlers, which drop what they get; each use of libxml2 collects its messages into its own diagnostic
/// (``LibXMLErrorCollector/capturing(_:)``).
enum LibXML {
    static let initialized: Void = {
        xmlInitParser()
        xmlThrDefSetStructuredErrorFunc(nil, LibXMLErrorCollector.structuredHandler)
        conform_xml_set_default_generic_errors()
        xmlSetStructuredErrorFunc(nil, LibXMLErrorCollector.structuredHandler)
        conform_xml_set_generic_errors(nil)
    }()
}

/// One schema-validity error: `line 3: element 'Tokn': This element is not expected. Expected is ( Token ).`
package struct XMLValidityError: Sendable, Equatable, CustomStringConvertible {
    package var line: Int
    package var element: String?
    /// libxml2's message without its leading "Element 'x': ".
    package var message: String

    package var description: String {
        let place = line > 0 ? "line \(line): " : ""
        guard let element else { return place + message }
        return "\(place)element '\(element)': \(message)"
    }
}

/// What conform needs from a token document: the root, its child elements, and its schema validity.
package struct XMLDocumentSummary: Sendable, Equatable {
    package struct Element: Sendable, Equatable {
        var name: String
        package var text: String
        package var line: Int
    }

    package var rootName: String
    var rootLine: Int
    var children: [Element]
    /// Empty when the document is valid (or no schema was given).
    package var validityErrors: [XMLValidityError]

    package func child(named name: String) -> Element? {
        children.first { $0.name == name }
    }
}

/// An element with its attributes, child elements and direct text.
package struct XMLElementTree: Sendable, Equatable {
    package var name: String
    package var attributes: [String: String]
    package var children: [XMLElementTree]
    /// Text and CDATA directly inside the element.
    package var text: String
    package var line: Int

    package func children(named name: String) -> [XMLElementTree] {
        children.filter { $0.name == name }
    }
}

/// Why a body is not a usable XML document.
package enum XMLReadFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case documentTypeDeclaration
    case notWellFormed(line: Int, message: String)

    package var description: String {
        switch self {
        case .empty: "the body is empty, expected an XML document"
        case .documentTypeDeclaration: "document type declarations are not accepted"
        case .notWellFormed(let line, let message):
            line > 0 ? "not well-formed XML: line \(line): \(message)" : "not well-formed XML: \(message)"
        }
    }
}

/// Reads untrusted XML with libxml2 and validates it against an optional schema.
package enum XMLDocumentReader {
    static let parseOptions = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)

    package static func read(_ body: Data, schema: XMLSchema? = nil) -> Result<XMLDocumentSummary, XMLReadFailure> {
        switch parse(body) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let document):
            defer { xmlFreeDoc(document) }
            return summarize(document, schema: schema)
        }
    }

    /// The whole element tree, for documents conform reads back (`conform merge` reads JUnit reports).
    package static func readTree(_ body: Data) -> Result<XMLElementTree, XMLReadFailure> {
        switch parse(body) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let document):
            defer { xmlFreeDoc(document) }
            guard let root = xmlDocGetRootElement(document) else {
                return .failure(.notWellFormed(line: 0, message: "the document has no root element"))
            }
            return .success(tree(root))
        }
    }

    /// Parses with the safe options; the caller frees the document.
    static func parse(_ body: Data) -> Result<xmlDocPtr, XMLReadFailure> {
        _ = LibXML.initialized
        guard !body.isEmpty, body.count <= Int(Int32.max) else { return .failure(.empty) }
        return body.withUnsafeBytes { raw -> Result<xmlDocPtr, XMLReadFailure> in
            let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            guard let context = xmlCreateMemoryParserCtxt(base, Int32(raw.count)) else {
                return .failure(.notWellFormed(line: 0, message: "libxml2 could not create a parser"))
            }
            defer { xmlFreeParserCtxt(context) }
            _ = xmlCtxtUseOptions(context, parseOptions)
            // Parser errors reach the structured handler with the parser context as user data; its
            // _private slot carries the collector, so that the first error (the cause) is reported.
            let collector = LibXMLErrorCollector()
            LibXMLErrorCollector.collectParserErrors(of: context, into: Unmanaged.passUnretained(collector).toOpaque())
            // A DOCTYPE is recorded, then the parser stops before reading the internal subset.
            context.pointee.sax.pointee.internalSubset = { userData, name, externalID, systemID in
                xmlSAX2InternalSubset(userData, name, externalID, systemID)
                xmlStopParser(userData?.assumingMemoryBound(to: xmlParserCtxt.self))
            }
            _ = xmlParseDocument(context)
            let document = context.pointee.myDoc
            context.pointee.myDoc = nil
            if let document, document.pointee.intSubset != nil || document.pointee.extSubset != nil {
                xmlFreeDoc(document)
                return .failure(.documentTypeDeclaration)
            }
            guard context.pointee.wellFormed != 0, let document else {
                if let document { xmlFreeDoc(document) }
                return .failure(firstParseError(collector, context))
            }
            return .success(document)
        }
    }

    private static func tree(_ element: xmlNodePtr) -> XMLElementTree {
        var attributes: [String: String] = [:]
        var attribute = element.pointee.properties
        while let current = attribute {
            let name = current.pointee.name.map { String(cString: $0) } ?? ""
            if let value = xmlGetProp(element, current.pointee.name) {
                attributes[name] = String(cString: value)
                conform_xml_free(value)
            }
            attribute = current.pointee.next
        }
        var children: [XMLElementTree] = []
        var text = ""
        var node = element.pointee.children
        while let current = node {
            switch current.pointee.type {
            case XML_ELEMENT_NODE: children.append(tree(current))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                text += current.pointee.content.map { String(cString: $0) } ?? ""
            default: break
            }
            node = current.pointee.next
        }
        return XMLElementTree(
            name: name(of: element), attributes: attributes, children: children, text: text,
            line: Int(xmlGetLineNo(element)))
    }

    private static func firstParseError(
        _ collector: LibXMLErrorCollector, _ context: xmlParserCtxtPtr
    ) -> XMLReadFailure {
        if let first = collector.errors.first {
            // The first error is the cause; the next ones often say what it did to the document.
            var messages: [String] = []
            for error in collector.errors where !messages.contains(error.message) && messages.count < 3 {
                messages.append(error.message)
            }
            return .notWellFormed(line: first.line, message: messages.joined(separator: "; "))
        }
        guard let error = xmlCtxtGetLastError(context) else {
            return .notWellFormed(line: 0, message: "libxml2 gave no reason")
        }
        let message = error.pointee.message.map { String(cString: $0) } ?? "libxml2 gave no reason"
        return .notWellFormed(line: Int(error.pointee.line), message: LibXMLErrorCollector.tidy(message))
    }

    private static func summarize(
        _ document: xmlDocPtr, schema: XMLSchema?
    ) -> Result<XMLDocumentSummary, XMLReadFailure> {
        guard let root = xmlDocGetRootElement(document) else {
            return .failure(.notWellFormed(line: 0, message: "the document has no root element"))
        }
        var children: [XMLDocumentSummary.Element] = []
        var node = root.pointee.children
        while let current = node {
            if current.pointee.type == XML_ELEMENT_NODE {
                children.append(
                    XMLDocumentSummary.Element(
                        name: name(of: current), text: textContent(of: current), line: Int(xmlGetLineNo(current))))
            }
            node = current.pointee.next
        }
        return .success(
            XMLDocumentSummary(
                rootName: name(of: root), rootLine: Int(xmlGetLineNo(root)), children: children,
                validityErrors: schema?.validate(document) ?? []))
    }

    static func name(of node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    private static func textContent(of node: xmlNodePtr) -> String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { conform_xml_free(content) }
        return String(cString: content)
    }
}

/// Collects libxml2's messages for one parser or validation context, or for everything one thread asks of
/// libxml2 for a while (``capturing(_:)``). Used by one thread at a time.
final class LibXMLErrorCollector: @unchecked Sendable {
    struct Collected {
        var line: Int
        var element: String?
        var message: String
    }

    var errors: [Collected] = []
    /// A generic message arrives in pieces; a line is kept once it is complete.
    private var genericLine = ""

    /// The structured handler conform sets everywhere: the user data is a collector, or nil (dropped).
    static let structuredHandler: xmlStructuredErrorFunc = { userData, error in collect(userData, error?.pointee) }

    /// Runs `body` with this thread's libxml2 messages going to this collector, structured and generic:
    /// those of the contexts libxml2 makes by itself too (a schema's includes). The handlers this thread
    /// had before come back after.
    func capturing<Value>(_ body: () -> Value) -> Value {
        _ = LibXML.initialized
        let previousStructured = __xmlStructuredErrorContext()?.pointee
        let previousGeneric = __xmlGenericErrorContext()?.pointee
        let context = Unmanaged.passUnretained(self).toOpaque()
        xmlSetStructuredErrorFunc(context, Self.structuredHandler)
        conform_xml_set_generic_errors(context)
        defer {
            xmlSetStructuredErrorFunc(previousStructured, Self.structuredHandler)
            conform_xml_set_generic_errors(previousGeneric)
            flushGeneric()
        }
        return body()
    }

    /// The collector this thread's libxml2 messages go to now, if any (inside ``capturing(_:)``).
    static var current: UnsafeMutableRawPointer? { __xmlStructuredErrorContext()?.pointee }

    /// A parser context's errors go to `collector` (a collector's opaque pointer) whatever the thread's
    /// handlers: its `_private` slot carries it to the structured handler.
    static func collectParserErrors(of parser: xmlParserCtxtPtr, into collector: UnsafeMutableRawPointer?) {
        parser.pointee._private = collector
        parser.pointee.sax.pointee.serror = { userData, error in
            let parser = userData?.assumingMemoryBound(to: xmlParserCtxt.self)
            LibXMLErrorCollector.collect(parser?.pointee._private, error?.pointee)
        }
    }

    fileprivate func generic(_ piece: String) {
        genericLine += piece
        while let newline = genericLine.firstIndex(of: "\n") {
            let line = Self.tidy(String(genericLine[..<newline]))
            genericLine = String(genericLine[genericLine.index(after: newline)...])
            if !line.isEmpty { errors.append(Collected(line: 0, element: nil, message: line)) }
        }
    }

    private func flushGeneric() {
        generic("\n")
    }

    static func collect(_ userData: UnsafeMutableRawPointer?, _ error: xmlError?) {
        guard let userData, let error else { return }
        let collector = Unmanaged<LibXMLErrorCollector>.fromOpaque(userData).takeUnretainedValue()
        var message = tidy(error.message.map { String(cString: $0) } ?? "unknown error")
        var element: String?
        if let node = error.node?.assumingMemoryBound(to: xmlNode.self), node.pointee.type == XML_ELEMENT_NODE {
            element = node.pointee.name.map { String(cString: $0) }
        }
        // libxml2 starts validity messages with "Element 'x': "; the element is reported on its own.
        if let element, message.hasPrefix("Element '\(element)': ") {
            message.removeFirst("Element '\(element)': ".count)
        }
        collector.errors.append(Collected(line: Int(error.line), element: element, message: message))
    }

    static func tidy(_ message: String) -> String {
        message.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// libxml2's generic messages, formatted by the C shim (`conform_xml_generic_error`): to the collector the
/// handler was set with, or dropped.
@_cdecl("conform_xml_generic_message")
func libxmlGenericMessage(_ context: UnsafeMutableRawPointer?, _ message: UnsafePointer<CChar>?) {
    guard let context, let message else { return }
    Unmanaged<LibXMLErrorCollector>.fromOpaque(context).takeUnretainedValue().generic(String(cString: message))
}
