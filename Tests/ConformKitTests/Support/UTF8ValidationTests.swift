import Foundation
import Testing

@testable import ConformKit
@testable import ConformSupport

@Suite struct UTF8ValidationTests {
    @Test(arguments: [
        ([0x61, 0x62], nil as Int?),
        ([0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80], nil),  // é € 😀
        ([0x61, 0xC3, 0x28], 1),  // bad continuation
        ([0x61, 0x62, 0xC0, 0xAF], 2),  // overlong
        ([0xED, 0xA0, 0x80], 0),  // surrogate
        ([0xF4, 0x90, 0x80, 0x80], 0),  // above U+10FFFF
        ([0x61, 0xE2, 0x82], 1),  // cut short
        ([0xFF], 0),
    ])
    func findsTheFirstInvalidByte(bytes: [UInt8], offset: Int?) {
        #expect(UTF8Validation.firstInvalidOffset(in: Data(bytes)) == offset)
        #expect((String(validating: bytes, as: UTF8.self) == nil) == (offset != nil))
    }
}

@Suite struct BodyExcerptTests {
    @Test func showsBytesThatAreNotUTF8AsEscapesSoThatTheRestCanBeMasked() {
        let body = Data([0x7B, 0xFF, 0xFE] + Array("\"t\":\"rt-SECRET-1\"}".utf8))
        #expect(BodyExcerpt.text(of: body, limit: 400) == "{\\x{FF}\\x{FE}\"t\":\"rt-SECRET-1\"}")
        #expect(SecretMasker(secrets: ["rt-SECRET-1"]).mask(BodyExcerpt.text(of: body, limit: 400)) == "{\\x{FF}\\x{FE}\"t\":\"***\"}")
    }

    @Test func cutsWithAnEllipsisSoThatACutSecretIsMasked() {
        let body = Data(("x".padding(toLength: 54, withPad: "x", startingAt: 0) + "AMf-0123456789abcdefgh").utf8)
        let excerpt = BodyExcerpt.text(of: body, limit: 60)
        #expect(excerpt == "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxAMf-01… (76 bytes in all)")
        #expect(SecretMasker(secrets: ["AMf-0123456789abcdefgh"]).mask(excerpt).hasSuffix("xx***… (76 bytes in all)"))
    }

    @Test func escapesLineBreaksAndControlCharacters() {
        #expect(BodyExcerpt.text(of: Data("a\nb\r\u{1B}c".utf8), limit: 400) == "a\\nb\\r\\u{1B}c")
        #expect(BodyExcerpt.text(of: Data(), limit: 400) == "(empty body)")
    }
}
