import Foundation
import Testing

@testable import ConformKit

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

@Suite struct LayeredSecretStoreTests {
    @Test func aChildMasksItsOwnAndItsParentsSecrets() {
        let parent = SecretStore(["parent-secret-1"])
        let child = SecretStore(["child-secret-2"], parent: parent)
        #expect(child.redact("parent-secret-1 and child-secret-2") == "*** and ***")
        #expect(parent.redact("child-secret-2") == "child-secret-2")
    }

    @Test func longestFirstAcrossLevels() {
        let parent = SecretStore(["abcd"])
        let child = SecretStore(["abcdefgh"], parent: parent)
        #expect(child.redact("xabcdefghx") == "x***x")
    }
}
