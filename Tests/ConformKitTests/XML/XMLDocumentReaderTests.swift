import CLibXML2
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import ConformKit
@testable import ConformXML

@Suite(.temporaryDirectories) struct XMLDocumentReaderTests {
    static let accessTokenSchema = try! XMLSchemaCache().schema(
        at: TestPaths.packageRoot.appendingPathComponent("suites/schemas/concur/access-token.xsd"),
        suiteFolder: TestPaths.packageRoot.appendingPathComponent("suites"))

    private func read(
        _ text: String, schema: XMLSchema? = accessTokenSchema
    ) -> Result<XMLDocumentSummary, XMLReadFailure> {
        XMLDocumentReader.read(Data(text.utf8), schema: schema)
    }

    private func validityMessages(_ text: String) -> [String] {
        guard case .success(let summary) = read(text) else { return ["not read"] }
        return summary.validityErrors.map(\.description)
    }

    @Test func summarizesAValidDocument() throws {
        let summary = try read(
            """
            <?xml version="1.0" encoding="utf-8"?>
            <Access_Token>
              <Token>0_abc</Token>
              <Expiration_date>6/1/2099 8:00:00 AM</Expiration_date>
            </Access_Token>
            """
        ).get()
        #expect(summary.rootName == "Access_Token")
        #expect(summary.children.map(\.name) == ["Token", "Expiration_date"])
        #expect(summary.child(named: "Token")?.line == 3)
        #expect(summary.validityErrors.isEmpty)
    }

    @Test func reportsLineElementAndLibxmlMessage() {
        #expect(
            validityMessages(
                """
                <?xml version="1.0"?>
                <Access_Token>
                  <Tokn>x</Tokn>
                </Access_Token>
                """) == [
                    "line 3: element 'Tokn': This element is not expected. Expected is one of ( Instance_Url, Token, Expiration_date, Refresh_Token )."
                ])
        #expect(
            validityMessages(
                "<Access_Token><Token>t</Token><Instance_Url>http://x/</Instance_Url><Expiration_date>6/1/2099 8:00:00 AM</Expiration_date></Access_Token>"
            )
                == [
                    "line 1: element 'Instance_Url': [facet 'pattern'] The value 'http://x/' is not accepted by the pattern 'https://[^/\\s]+(/\\S*)?'."
                ])
        #expect(
            validityMessages(
                "<Access_Token><Token> </Token><Expiration_date>6/1/2099 8:00:00 AM</Expiration_date></Access_Token>")
                == [
                    "line 1: element 'Token': [facet 'minLength'] The value has a length of '0'; this underruns the allowed minimum length of '1'."
                ])
    }

    @Test func acceptsAnyOrder() {
        #expect(
            validityMessages(
                "<Access_Token><Expiration_date>6/1/2099 8:00:00 AM</Expiration_date><Instance_Url>https://x/</Instance_Url><Token>t</Token></Access_Token>"
            ).isEmpty)
    }

    @Test func rejectsAnyDoctype() {
        #expect(read("<!DOCTYPE Access_Token><Access_Token/>") == .failure(.documentTypeDeclaration))
        #expect(
            read("<!DOCTYPE Access_Token SYSTEM \"http://example.invalid/x.dtd\"><Access_Token/>")
                == .failure(.documentTypeDeclaration))
    }

    @Test func neverReadsAnExternalEntity() throws {
        let marker = "conform-xxe-marker-\(UUID().uuidString)"
        let file = TestPaths.temporaryDirectory().appendingPathComponent("secret.txt")
        try Data(marker.utf8).write(to: file)
        let result = read(
            """
            <?xml version="1.0"?>
            <!DOCTYPE Access_Token [ <!ENTITY xxe SYSTEM "file://\(file.path)"> ]>
            <Access_Token><Token>&xxe;</Token><Expiration_date>6/1/2099 8:00:00 AM</Expiration_date></Access_Token>
            """)
        #expect(result == .failure(.documentTypeDeclaration))
        #expect(!String(describing: result).contains(marker))
    }

    /// Ten levels of ten references would expand to 3 GB; the parser stops at the DOCTYPE instead.
    @Test func defusesAnEntityBomb() {
        var declarations = "<!ENTITY lol0 \"lol\">"
        for level in 1...9 {
            declarations += "<!ENTITY lol\(level) \"\(String(repeating: "&lol\(level - 1);", count: 10))\">"
        }
        let bomb =
            "<?xml version=\"1.0\"?><!DOCTYPE Access_Token [\(declarations)]><Access_Token><Token>&lol9;</Token></Access_Token>"
        let before = Self.peakResidentBytes()
        for _ in 0..<100 {
            #expect(read(bomb) == .failure(.documentTypeDeclaration))
        }
        #expect(Self.peakResidentBytes() - before < 256 << 20)
    }

    /// The defence itself, seen from libxml2: the parser stops at the DOCTYPE, so nothing after it is built.
    /// Without the stop the document would still be refused (it has a DOCTYPE), but libxml2 would have
    /// declared the entity and built the elements first; this test sees the difference.
    @Test func theParserStopsAtTheDoctype() {
        let control = CreatedNodes.recording {
            #expect((try? read("<Access_Token><Token>t</Token></Access_Token>", schema: nil).get()) != nil)
        }
        #expect(control.contains(XML_ELEMENT_NODE.rawValue), "the observer sees elements: \(control)")

        let created = CreatedNodes.recording {
            let result = read(
                """
                <?xml version="1.0"?>
                <!DOCTYPE Access_Token [ <!ENTITY token "declared"> <!ELEMENT Access_Token ANY> ]>
                <Access_Token><Token>&token;</Token><Expiration_date/></Access_Token>
                """, schema: nil)
            #expect(result == .failure(.documentTypeDeclaration))
        }
        #expect(created == [XML_DOCUMENT_NODE.rawValue, XML_DTD_NODE.rawValue], "libxml2 built \(created)")
    }

    @Test func reportsWhereADocumentIsNotWellFormed() {
        #expect(
            read("<Access_Token>\n  <Token>t</Token>\n  <Expiration_date>6/1/2099")
                == .failure(.notWellFormed(line: 3, message: "Premature end of data in tag Expiration_date line 3")))
        #expect(
            read("<a><b></a>", schema: nil)
                == .failure(
                    .notWellFormed(
                        line: 1,
                        message:
                            "Opening and ending tag mismatch: b line 1 and a; Premature end of data in tag a line 1")))
        #expect(read("") == .failure(.empty))
    }

    @Test func refusesInvalidUTF8() {
        var bytes = Data("<Access_Token><Token>".utf8)
        bytes.append(contentsOf: [0xC3, 0x28])
        bytes.append(Data("</Token></Access_Token>".utf8))
        guard case .failure(.notWellFormed(let line, let message)) = XMLDocumentReader.read(bytes, schema: nil) else {
            Issue.record("invalid UTF-8 was accepted")
            return
        }
        #expect(line == 1)
        #expect(message.hasPrefix("Input is not proper UTF-8, indicate encoding !"))
    }

    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}

/// The type of every node libxml2 creates on this thread while `body` runs, through its node registration
/// callback: what a parse built, whatever it returned.
///
/// The callback is a per-thread setting, but `xmlRegisterNodeDefault` sets only the one of the thread that
/// first initialised libxml2 (its globals.c reads the plain variable); so this thread's own slot
/// (`__xmlRegisterNodeDefaultValue()`) is set too, and `xmlRegisterNodeDefault` is called only to switch
/// callbacks on. Switched on, it also fires for the thread that initialised libxml2, which may be parsing for
/// another test at the time: only nodes made on the recording thread count.
enum CreatedNodes {
    private struct Recording {
        var thread: pthread_t?
        var types: [UInt32] = []
    }

    private static let state = NIOLockedValueBox(Recording())

    static func recording(_ body: () -> Void) -> [UInt32] {
        _ = LibXML.initialized
        state.withLockedValue { $0 = Recording(thread: pthread_self()) }
        let record: xmlRegisterNodeFunc = { node in
            guard let node else { return }
            let type = node.pointee.type.rawValue
            CreatedNodes.state.withLockedValue { state in
                guard let thread = state.thread, pthread_equal(thread, pthread_self()) != 0 else { return }
                state.types.append(type)
            }
        }
        guard let slot = __xmlRegisterNodeDefaultValue() else {
            Issue.record("libxml2 has no node registration slot for this thread")
            return []
        }
        let previousFirst = xmlRegisterNodeDefault(record)
        let previous = slot.pointee
        slot.pointee = record
        body()
        slot.pointee = previous
        xmlRegisterNodeDefault(previousFirst)
        return state.withLockedValue { $0.types }
    }
}

@Suite struct XMLBodyCheckTests {
    private func check(errorRoot: String? = "Error") -> XMLBodyCheck {
        XMLBodyCheck(
            expectation: CompiledXMLBody(
                schema: XMLDocumentReaderTests.accessTokenSchema,
                errorRoot: errorRoot, errorMessageElement: errorRoot == nil ? nil : "Message"))
    }

    private func xml(_ body: String, status: Int = 200) -> ResponseUnderTest {
        response(
            status: status, contentType: "application/xml", body: body,
            kind: .xml(XMLDocumentReaderTests.accessTokenSchema))
    }

    @Test func theRootDecidesWhateverTheStatus() {
        #expect(
            messages(check(), xml("<Error><Message>Invalid token payload.</Message></Error>")) == [
                #"failure: the response is an <Error> document (status 200), not the success document: Message: "Invalid token payload.""#
            ])
    }

    @Test func callsOutWrongCasing() {
        let body =
            "<Access_Token>\n<Token>t</Token>\n<Expiration_Date>6/1/2099 8:00:00 AM</Expiration_Date>\n</Access_Token>"
        #expect(
            messages(check(), xml(body)) == [
                "failure: line 3: element 'Expiration_Date': This element is not expected. Expected is one of ( Instance_Url, Expiration_date, Refresh_Token ). Wrong casing: the documented name is 'Expiration_date', got 'Expiration_Date'."
            ])
        let trailing =
            "<Access_Token>\n<Token>t</Token>\n<Expiration_date>6/1/2099 8:00:00 AM</Expiration_date>\n<Instance_URL>https://x/</Instance_URL>\n</Access_Token>"
        #expect(
            messages(check(), xml(trailing)) == [
                "failure: line 4: element 'Instance_URL': This element is not expected. Wrong casing: the documented name is 'Instance_Url', got 'Instance_URL'."
            ])
    }

    @Test func namesWhatCameInsteadOfXML() {
        #expect(
            messages(
                check(), response(body: #"{"Access_Token": {}}"#, kind: .xml(XMLDocumentReaderTests.accessTokenSchema)))
                == [#"failure: expected an XML document, got JSON (application/json): "{\"Access_Token\": {}}""#])
        #expect(
            messages(check(), xml("<!DOCTYPE x><Access_Token/>")) == [
                "failure: document type declarations are not accepted"
            ])
    }
}
