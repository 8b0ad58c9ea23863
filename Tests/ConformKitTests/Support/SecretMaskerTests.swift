import Foundation
import Testing

@testable import ConformKit
@testable import conform
@testable import ConformSupport

@Suite struct SecretMaskerTests {
    private func mask(_ text: String, _ secrets: [String]) -> String {
        SecretMasker(secrets: secrets).mask(text)
    }

    @Test func masksEveryOccurrence() {
        #expect(mask("a s3cr3t-token and s3cr3t-token again", ["s3cr3t-token"]) == "a *** and *** again")
    }

    @Test func masksPercentAndJSONForms() {
        #expect(mask("query=a%2Bb%2Fc%3Dd%26e", ["a+b/c=d&e"]) == "query=***")
        #expect(mask("query=a%2bb%2fc%3dd%26e", ["a+b/c=d&e"]) == "query=***")
        #expect(mask(#"{"t":"a+b\/c=d&e"}"#, ["a+b/c=d&e"]) == #"{"t":"***"}"#)
    }

    /// A form body writes a space as `+`: a secret holding spaces is masked in that spelling too, as in its
    /// own and its percent-encoded ones, inside a JSON string of a report as well.
    @Test func masksTheFormSpellingOfASecretWithSpaces() {
        let secret = "s3cr3t value here"
        #expect(
            mask("grant_type=client_credentials&client_secret=s3cr3t+value+here", [secret])
                == "grant_type=client_credentials&client_secret=***")
        #expect(mask("client_secret=s3cr3t%20value%20here&x=1", [secret]) == "client_secret=***&x=1")
        #expect(mask("said s3cr3t value here", [secret]) == "said ***")
        #expect(mask(#"{"text":"client_secret=s3cr3t+value+here"}"#, [secret]) == #"{"text":"client_secret=***"}"#)
        // A `+` is a `+` in a secret without spaces: nothing else is read as a space.
        #expect(mask("a+b", ["a b c"]) == "a+b")
    }

    @Test func masksUnicodeEscapesIncludingPlus() {
        #expect(mask(#"{"echo":"\u0072t-AB\u002Bcd"}"#, ["rt-AB+cd"]) == #"{"echo":"***"}"#)
        #expect(mask(#""\ud83d\ude00-secret-1""#, ["😀-secret-1"]) == #""***""#)
    }

    @Test func masksXMLCharacterAndEntityReferences() {
        #expect(mask("<Message>&#67;S-&#x61;bc&amp;d</Message>", ["CS-abc&d"]) == "<Message>***</Message>")
        #expect(mask("<e a=\"x&lt;y-secret\"/>", ["x<y-secret"]) == "<e a=\"***\"/>")
    }

    @Test func masksInCDATACommentsAttributesAndPrefixedElements() {
        let secret = "rt-0123456789"
        #expect(mask("<![CDATA[rt-0123456789]]>", [secret]) == "<![CDATA[***]]>")
        #expect(mask("<!-- rt-0123456789 -->", [secret]) == "<!-- *** -->")
        #expect(mask("<e token='rt-0123456789'/>", [secret]) == "<e token='***'/>")
        #expect(mask("<ns:Token>rt-0123456789</ns:Token>", [secret]) == "<ns:Token>***</ns:Token>")
    }

    @Test func readsThroughLayersOfEncoding() {
        // An endpoint's JSON escape, quoted again in a message, written again into a JSON report.
        #expect(mask(#"got \"pw-é<cho>\\\"pass\" here"#, [#"pw-é<cho>"pass"#]) == #"got \"***\" here"#)
        // An XML escape written again into an XML attribute.
        #expect(mask("token=&quot;rt+E/S=1&amp;amp;x&quot;", ["rt+E/S=1&x"]) == "token=&quot;***&quot;")
        // Percent-encoding inside a JSON \u escape inside XML.
        #expect(mask("<m>rt%5Cu002Bx-0123</m>", ["rt+x-0123"]) == "<m>***</m>")
        #expect(mask("<m>rt&#92;u002Bx-0123</m>", ["rt+x-0123"]) == "<m>***</m>")
    }

    @Test func masksPercentEncodingInAPath() {
        #expect(mask("GET /tokens/rt%2D01234%2F56 HTTP/1.1", ["rt-01234/56"]) == "GET /tokens/*** HTTP/1.1")
    }

    @Test func masksTheLongestOfOverlappingSecrets() {
        #expect(mask("abcdefgh", ["abcdef", "abcdefgh"]) == "***")
        #expect(mask("xxabcdefghyy", ["abcdefg", "cdefgh"]) == "xx***yy")
    }

    @Test func masksTheStartOfASecretCutByAnEllipsis() {
        let secret = "AMf-0123456789abcdef"
        #expect(mask("refresh_token\":\"AMf-0123… (480 bytes in all)", [secret]) == "refresh_token\":\"***… (480 bytes in all)")
        // Fewer than four characters of a secret before the cut are left: they identify nothing.
        #expect(mask("x AMf… y", [secret]) == "x AMf… y")
        // A cut that is not a secret's start is left alone.
        #expect(mask("the 0123456789… rest", [secret]) == "the 0123456789… rest")
    }

    @Test func masksShortSecretsOnlyAsWholeValues() {
        #expect(mask("a JSON body, got string \"a\"", ["a"]) == "a JSON body, got string \"***\"")
        #expect(mask("<Token>xy1</Token> with xy1z", ["xy1"]) == "<Token>***</Token> with xy1z")
        #expect(mask("?pin=1234&x=1 and 1234", ["1234"]) == "?pin=***&x=1 and 1234")
    }

    @Test func ignoresEmptySecretsAndLeavesTextWithoutSecretsAlone() {
        #expect(mask("nothing to hide", [""]) == "nothing to hide")
        #expect(mask("nothing to hide", ["xyz-secret"]) == "nothing to hide")
        #expect(mask("%zz &#xZZ; \\uZZZZ & % \\", ["xyz-secret"]) == "%zz &#xZZ; \\uZZZZ & % \\")
    }

    @Test func masksOnlyTheContentOfDocuments() {
        // A secret that equals a word of the markup must not break the document.
        let xml = #"<testcase name="testcase"><failure message="x">testcase</failure></testcase>"#
        let masker = SecretMasker(secrets: ["testcase"])
        #expect(
            masker.mask(xml, within: DocumentRegions.xmlContent(xml))
                == #"<testcase name="***"><failure message="x">***</failure></testcase>"#)
        let json = #"{"findings": ["findings"], "n": 1}"#
        #expect(
            SecretMasker(secrets: ["findings"]).mask(json, within: DocumentRegions.jsonStrings(json))
                == #"{"***": ["***"], "n": 1}"#)
    }
}

@Suite struct SecretStoreTests {
    @Test func warnsOnceAboutAShortSecretWithoutShowingIt() {
        let store = SecretStore()
        let warnings = BufferedOutput()
        store.onShortSecret { warnings.write(DiagnosticPrinter.line(for: $0) + "\n") }
        store.add("1234", origin: "the secret variable 'pin'")
        store.add("5678", origin: "the secret variable 'pin'")
        store.add("long-enough-secret", origin: "the secret variable 'token'")
        #expect(
            warnings.text
                == "conform: warning: the secret variable 'pin' is shorter than 6 characters: it is masked only where it stands as a whole value\n"
        )
        #expect(store.mask("pin=1234") == "pin=***")
    }
}

@Suite struct SecretFieldFinderTests {
    private let finder = SecretFieldFinder(fields: [
        FieldPath("access_token")!, FieldPath("refresh_token")!, FieldPath("Access_Token.Token")!,
    ])

    @Test func findsJSONFieldsIncludingCutAndEscapedOnes() {
        #expect(
            finder.values(in: Data(#"{"access_token" : "eyJ.x\/y","refresh_token":"AMf-abc"#.utf8))
                == ["eyJ.x/y", "AMf-abc"])
    }

    @Test func findsXMLElementsPrefixesCDATAAndAttributes() {
        #expect(finder.values(in: Data("<Access_Token><Token>0_a&amp;b</Token>".utf8)) == ["0_a&b"])
        #expect(finder.values(in: Data("<x:Token attr=\"1\"><![CDATA[0_cdata]]></x:Token>".utf8)) == ["0_cdata"])
        #expect(finder.values(in: Data("<Error Token=\"0_attr\"/>".utf8)) == ["0_attr"])
        #expect(finder.values(in: Data("<Token>0_cut-in-the-mid".utf8)) == ["0_cut-in-the-mid"])
    }

    @Test func readsABrokenTagOnceAndGoesOn() {
        #expect(finder.values(in: Data("<Token <Token <Token>0_after".utf8)) == ["0_after"])
        #expect(finder.values(in: Data("<Token a=\"<Token>0_q\"".utf8)) == ["0_q\""])
    }

    @Test func findsSensitiveParametersOfALocation() {
        #expect(
            SensitiveParameters.values(in: "https://h/cb?code=abc123&state=x&client_secret=cs-1")
                == ["abc123", "cs-1"])
    }
}

@Suite struct TerminalTextTests {
    @Test func escapesControlCharactersAndEscapeSequences() {
        #expect(TerminalText.neutralised("a\u{1B}[31mred\u{7}\r") == "a\\u{1B}[31mred\\u{7}\\u{D}")
        #expect(TerminalText.neutralised("tab\tstays") == "tab\tstays")
        #expect(TerminalText.neutralised("\u{202E}txt") == "\\u{202E}txt")
    }

    @Test func escapesWorkflowCommandsAtAnyIndentation() {
        #expect(TerminalText.neutralised("::add-mask::x") == "\\::add-mask::x")
        #expect(TerminalText.neutralised("   \t::error::x") == "\\   \t::error::x")
        #expect(TerminalText.neutralised("body: ::error::x") == "body: ::error::x")
    }
}
