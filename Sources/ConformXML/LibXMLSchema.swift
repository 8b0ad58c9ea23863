import CLibXML2
import ConformSupport
import Foundation
import NIOConcurrencyHelpers

// The third file that reaches libxml2: schemas. A suite's XSD is untrusted input like a response. It is
// read by conform (a regular file, bounded), must be UTF-8, and is parsed with the same options as a
// response, so a DOCTYPE is refused before its internal subset is read: no entity is declared, loaded or
// expanded, nothing reaches the network. What the schema includes or imports is served by
// ``ExternalResources``, the only loader libxml2 has: regular files in the suite's folder that pass the same
// rule; nothing else. Every message libxml2 has about any of these documents is collected for the
// diagnostic (``LibXMLErrorCollector``), never printed by libxml2 itself.

/// An XSD parsed once per run and shared by every validation (libxml2 allows a parsed schema to be used
/// from several validation contexts at once; each validation has its own context).
package final class XMLSchema: @unchecked Sendable {
    private let schema: xmlSchemaPtr
    package let url: URL
    /// Every `xs:element name` the schema declares, for "wrong casing" hints.
    package let declaredElementNames: [String]
    /// The files its `xs:include` and `xs:import` brought in.
    package let includedFiles: [String]

    /// Parses the schema file; `folders` are where it may include or import other files from. The error
    /// lists libxml2's messages with their lines.
    init(contentsOf url: URL, includesWithin folders: [URL]) throws(XMLSchemaLoadError) {
        _ = LibXML.initialized
        _ = ExternalResources.installed
        let data: Data
        do {
            data = try InputFile.read(url.path)
        } catch {
            throw XMLSchemaLoadError(messages: ["\(url.path): \(error)"])
        }
        let document: xmlDocPtr
        switch Self.schemaDocument(data) {
        case .success(let parsed): document = parsed
        case .failure(let refusal): throw XMLSchemaLoadError(messages: [refusal.reason])
        }
        defer { xmlFreeDoc(document) }
        // Includes resolve against the schema's own path.
        document.pointee.URL = UnsafePointer(xmlStrdup(url.path))
        let allowed = ([url.deletingLastPathComponent()] + folders).map(\.path)
        let collector = LibXMLErrorCollector()
        let (parsed, access) = ExternalResources.serving(within: allowed) {
            () -> Result<xmlSchemaPtr, XMLSchemaLoadError> in
            guard let parserContext = xmlSchemaNewDocParserCtxt(document) else {
                return .failure(XMLSchemaLoadError(messages: ["libxml2 could not create a schema parser"]))
            }
            defer { xmlSchemaFreeParserCtxt(parserContext) }
            let context = Unmanaged.passUnretained(collector).toOpaque()
            xmlSchemaSetParserStructuredErrors(parserContext, LibXMLErrorCollector.structuredHandler, context)
            conform_xml_set_schema_parser_errors(parserContext, context)
            // The parsers libxml2 makes for includes report to this thread's handlers: the same collector.
            guard let schema = collector.capturing({ xmlSchemaParse(parserContext) }) else {
                let messages = collector.errors.map { "line \($0.line): \($0.message)" }
                return .failure(XMLSchemaLoadError(messages: messages.isEmpty ? ["not a valid XML schema"] : messages))
            }
            return .success(schema)
        }
        switch parsed {
        case .success(let schema) where access.refused.isEmpty:
            self.schema = schema
        case .success(let schema):
            xmlSchemaFree(schema)
            throw XMLSchemaLoadError(messages: access.refused)
        case .failure(let error):
            // libxml2's own words after a refusal only repeat that the file could not be read.
            throw XMLSchemaLoadError(messages: access.refused.isEmpty ? error.messages : access.refused)
        }
        self.url = url
        self.includedFiles = access.loaded
        self.declaredElementNames = Self.elementNames(in: document)
    }

    /// A schema document, top-level or included: UTF-8 (no NUL, which UTF-16 text is full of, and no other
    /// declared encoding) and without a DOCTYPE, read like a response. The caller frees the document.
    static func schemaDocument(_ data: Data) -> Result<xmlDocPtr, SchemaRefusal> {
        if UTF8Validation.firstInvalidOffset(in: data) != nil || data.contains(0) {
            return .failure(SchemaRefusal("not UTF-8"))
        }
        switch XMLDocumentReader.parse(data) {
        case .success(let document):
            if let encoding = document.pointee.encoding.map({ String(cString: $0) }),
                !["utf-8", "utf8"].contains(encoding.lowercased())
            {
                xmlFreeDoc(document)
                return .failure(
                    SchemaRefusal("not UTF-8 (it declares the encoding \(MessageText.quoted(encoding, limit: 40)))"))
            }
            return .success(document)
        case .failure(.documentTypeDeclaration):
            return .failure(SchemaRefusal("document type declarations are not accepted in a schema"))
        case .failure(let failure):
            return .failure(SchemaRefusal(failure.description))
        }
    }

    /// The element declarations of the schema document.
    private static func elementNames(in document: xmlDocPtr) -> [String] {
        var names: [String] = []
        func visit(_ node: xmlNodePtr?) {
            var current = node
            while let element = current {
                if element.pointee.type == XML_ELEMENT_NODE, XMLDocumentReader.name(of: element) == "element",
                    let value = xmlGetProp(element, "name")
                {
                    names.append(String(cString: value))
                    conform_xml_free(value)
                }
                visit(element.pointee.children)
                current = element.pointee.next
            }
        }
        visit(xmlDocGetRootElement(document))
        return names
    }

    deinit {
        xmlSchemaFree(schema)
    }

    /// Validates a parsed document; the errors are in document order.
    func validate(_ document: xmlDocPtr) -> [XMLValidityError] {
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            return [XMLValidityError(line: 0, element: nil, message: "libxml2 could not create a validation context")]
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        let collector = LibXMLErrorCollector()
        let opaque = Unmanaged.passUnretained(collector).toOpaque()
        xmlSchemaSetValidStructuredErrors(context, LibXMLErrorCollector.structuredHandler, opaque)
        conform_xml_set_schema_validation_errors(context, opaque)
        let status = collector.capturing { xmlSchemaValidateDoc(context, document) }
        var errors = collector.errors.map { XMLValidityError(line: $0.line, element: $0.element, message: $0.message) }
        if status != 0 && errors.isEmpty {
            errors.append(
                XMLValidityError(line: 0, element: nil, message: "libxml2 reported status \(status) without a message"))
        }
        return errors
    }
}

/// A schema that libxml2 could not read.
package struct XMLSchemaLoadError: Error, Sendable, CustomStringConvertible {
    var messages: [String]
    package var description: String { messages.joined(separator: "; ") }
}

/// libxml2's only way to read anything beyond the document it was handed: its external entity loader,
/// replaced once for the whole process.
///
/// Outside a schema load it refuses everything. While a schema loads, it serves regular files (read with
/// ``InputFile``) inside the allowed folders that pass the top-level schema's rule
/// (``XMLSchema/schemaDocument(_:)``): UTF-8, and no DOCTYPE found by parsing them, so that none can hide in
/// another encoding (libxml2 reads included schemas with entity substitution on). Every other request, a
/// URL with a scheme, a path outside the folders, a FIFO, is refused and named. The parser libxml2 made for
/// the include reports to the collector of the schema being loaded.
enum ExternalResources {
    struct Access: Sendable {
        var folders: [String] = []
        var loaded: [String] = []
        var refused: [String] = []
    }

    private static let access = NIOLockedValueBox<Access?>(nil)
    /// One schema load at a time: the loader is global.
    private static let loading = NIOLock()

    static let installed: Void = {
        xmlSetExternalEntityLoader { url, _, context in
            guard let url else { return nil }
            let request = String(cString: url)
            switch ExternalResources.resolve(request) {
            case .failure(let refusal):
                ExternalResources.refuse("\(request): \(refusal.reason)")
                return nil
            case .success(let (path, data)):
                ExternalResources.access.withLockedValue { $0?.loaded.append(path) }
                if let context {
                    LibXMLErrorCollector.collectParserErrors(of: context, into: LibXMLErrorCollector.current)
                }
                return ExternalResources.input(data, path: path, context: context)
            }
        }
    }()

    /// Runs a schema load with access to files in `folders`; says what was loaded and what refused.
    static func serving<T>(within folders: [String], _ body: () -> T) -> (T, Access) {
        loading.withLock {
            let resolved = folders.compactMap { folder -> String? in
                guard let path = realpath(folder, nil) else { return nil }
                defer { free(path) }
                return String(cString: path)
            }
            access.withLockedValue { $0 = Access(folders: resolved) }
            let result = body()
            let used = access.withLockedValue { current -> Access in
                defer { current = nil }
                return current ?? Access()
            }
            return (result, used)
        }
    }

    private static func refuse(_ message: String) {
        access.withLockedValue { $0?.refused.append("include or import refused: \(message)") }
    }

    private static func resolve(_ request: String) -> Result<(String, Data), ResourceRefusal> {
        guard let folders = access.withLockedValue({ $0?.folders }) else {
            return .failure(ResourceRefusal("conform loads no external resource here"))
        }
        var path = request
        if path.hasPrefix("file://") {
            path = URLComponents(string: path)?.path ?? String(path.dropFirst(7))
        } else if let colon = path.firstIndex(of: ":"), path[..<colon].allSatisfy({ $0.isLetter }),
            path[..<colon].count > 1
        {
            return .failure(ResourceRefusal("only files in the suite's folder can be included, not URLs"))
        }
        guard let real = realpath(path, nil) else { return .failure(ResourceRefusal("no such file")) }
        let resolved = String(cString: real)
        free(real)
        guard folders.contains(where: { resolved == $0 || resolved.hasPrefix($0 + "/") }) else {
            return .failure(ResourceRefusal("outside the suite's folder"))
        }
        let data: Data
        do {
            data = try InputFile.read(resolved)
        } catch {
            return .failure(ResourceRefusal(error.description))
        }
        switch XMLSchema.schemaDocument(data) {
        case .success(let document):
            xmlFreeDoc(document)
            return .success((resolved, data))
        case .failure(let refusal):
            return .failure(ResourceRefusal(refusal.reason))
        }
    }

    private static func input(_ data: Data, path: String, context: xmlParserCtxtPtr?) -> xmlParserInputPtr? {
        let buffer = data.withUnsafeBytes { raw in
            xmlParserInputBufferCreateMem(
                raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count), XML_CHAR_ENCODING_NONE)
        }
        guard let buffer else { return nil }
        guard let input = xmlNewIOInputStream(context, buffer, XML_CHAR_ENCODING_NONE) else {
            xmlFreeParserInputBuffer(buffer)
            return nil
        }
        input.pointee.filename = UnsafePointer(xmlStrdup(path).map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) })
        return input
    }
}

private struct ResourceRefusal: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Why a schema document is refused, in words: "not UTF-8", "document type declarations are not accepted
/// in a schema".
struct SchemaRefusal: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
