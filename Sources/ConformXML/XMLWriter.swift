import CLibXML2
import Foundation

/// Writes XML with libxml2's `xmlTextWriter`: the library does all escaping.
///
/// One of the two files that reach libxml2. Text that XML 1.0 cannot carry at all (NUL, most control
/// characters, lone surrogates) is replaced with U+FFFD first, so that any diagnostic, even one quoting
/// a binary response, makes a well-formed document.
package final class XMLWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr
    private var finished = false

    /// - Parameters:
    ///   - indent: Indent nested elements (never inside text).
    ///   - declaration: Start with `<?xml version="1.0" encoding="UTF-8"?>`; an HTML page starts with its
    ///     doctype instead (see ``doctype(_:)``).
    package init(indent: Bool = true, declaration: Bool = true) throws(XMLWriterError) {
        _ = LibXML.initialized
        guard let buffer = xmlBufferCreate() else { throw .libxml("xmlBufferCreate") }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw .libxml("xmlNewTextWriterMemory")
        }
        self.buffer = buffer
        self.writer = writer
        if indent {
            xmlTextWriterSetIndent(writer, 1)
            xmlTextWriterSetIndentString(writer, "  ")
        }
        if declaration {
            try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "xmlTextWriterStartDocument")
        }
    }

    /// `<!DOCTYPE name>` without identifiers: `<!DOCTYPE html>` for an HTML page.
    package func doctype(_ name: String) throws(XMLWriterError) {
        try check(xmlTextWriterWriteDTD(writer, name, nil, nil, nil), "xmlTextWriterWriteDTD(\(name))")
    }

    deinit {
        if !finished { xmlFreeTextWriter(writer) }
        xmlBufferFree(buffer)
    }

    package func startElement(_ name: String) throws(XMLWriterError) {
        try check(xmlTextWriterStartElement(writer, name), "xmlTextWriterStartElement(\(name))")
    }

    package func attribute(_ name: String, _ value: String) throws(XMLWriterError) {
        try check(
            xmlTextWriterWriteAttribute(writer, name, Self.xmlSafe(value)), "xmlTextWriterWriteAttribute(\(name))")
    }

    func text(_ text: String) throws(XMLWriterError) {
        try check(xmlTextWriterWriteString(writer, Self.xmlSafe(text)), "xmlTextWriterWriteString")
    }

    package func endElement() throws(XMLWriterError) {
        try check(xmlTextWriterEndElement(writer), "xmlTextWriterEndElement")
    }

    /// `<name a="…">text</name>` in one call.
    package func element(_ name: String, attributes: [(String, String)] = [], text: String? = nil) throws(XMLWriterError)
    {
        try startElement(name)
        for (attributeName, value) in attributes { try attribute(attributeName, value) }
        if let text { try self.text(text) }
        try endElement()
    }

    /// Closes every open element and returns the document.
    package func finish() throws(XMLWriterError) -> Data {
        try check(xmlTextWriterEndDocument(writer), "xmlTextWriterEndDocument")
        xmlFreeTextWriter(writer)  // flushes into the buffer
        finished = true
        guard let content = xmlBufferContent(buffer) else { return Data() }
        return Data(bytes: content, count: Int(xmlBufferLength(buffer)))
    }

    private func check(_ status: Int32, _ call: String) throws(XMLWriterError) {
        if status < 0 { throw .libxml(call) }
    }

    /// Replaces the characters XML 1.0 cannot represent with U+FFFD.
    package static func xmlSafe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isXMLCharacter($0) }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(isXMLCharacter(scalar) ? scalar : "\u{FFFD}")
        }
        return String(scalars)
    }

    private static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}

/// A libxml2 writer call that failed.
package enum XMLWriterError: Error, Sendable, CustomStringConvertible {
    case libxml(String)

    package var description: String {
        switch self {
        case .libxml(let call): "libxml2 could not write XML (\(call) failed)"
        }
    }
}
