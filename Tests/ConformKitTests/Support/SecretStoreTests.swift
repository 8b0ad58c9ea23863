import Foundation
import Testing

@testable import ConformKit

@Suite struct SecretStoreTests {
    @Test func masksEveryOccurrence() {
        let store = SecretStore(["s3cr3t-token"])
        #expect(store.redact("a s3cr3t-token and s3cr3t-token again") == "a *** and *** again")
    }

    @Test func masksWireForms() {
        let store = SecretStore(["a+b/c=d&e"])
        #expect(store.redact("query=a%2Bb%2Fc%3Dd%26e") == "query=***")
        #expect(store.redact(#"{"t":"a+b\/c=d&e"}"#) == #"{"t":"***"}"#)
    }

    @Test func masksLongestSecretFirst() {
        let store = SecretStore(["abcd", "abcdefgh"])
        #expect(store.redact("abcdefgh") == "***")
    }

    @Test func masksSecretCutByTruncation() {
        let store = SecretStore(["AMf-0123456789abcdef"])
        #expect(
            store.redact("refresh_token\":\"AMf-0123… (480 bytes in all)")
                == "refresh_token\":\"***… (480 bytes in all)")
        // Fewer than four characters of a secret before the cut are left: they identify nothing.
        #expect(store.redact("x AMf… y") == "x AMf… y")
    }

    @Test func ignoresEmptySecrets() {
        let store = SecretStore([""])
        #expect(store.redact("nothing to hide") == "nothing to hide")
    }
}

@Suite struct SecretFieldScrubberTests {
    @Test func masksJSONFieldsIncludingCutOnes() {
        let scrubber = SecretFieldScrubber(fields: [FieldPath("access_token")!, FieldPath("refresh_token")!])
        #expect(
            scrubber.scrub(#"{"access_token":"eyJ.x.y","refresh_token":"AMf-abc"#)
                == #"{"access_token":"***","refresh_token":"***"#)
    }

    @Test func masksXMLElementsByTheLastPathComponent() {
        let scrubber = SecretFieldScrubber(fields: [FieldPath("Access_Token.Token")!])
        #expect(
            scrubber.scrub("<Access_Token><Token>0_abc</Token><Expiration_date>x</Expiration_date>")
                == "<Access_Token><Token>***</Token><Expiration_date>x</Expiration_date>")
        #expect(scrubber.scrub("<Token>0_cut-in-the-mid") == "<Token>***")
    }
}

@Suite struct URLRedactionTests {
    @Test func masksKnownSecretsAndSensitiveParameters() {
        let store = SecretStore(["cs-SECRET"])
        let url =
            "https://h/net2/oauth2/getaccesstoken.ashx?refresh_token=unknown-rt&client_id=app&client_secret=cs-SECRET"
        #expect(
            URLRedaction.redact(url, secrets: store)
                == "https://h/net2/oauth2/getaccesstoken.ashx?refresh_token=***&client_id=app&client_secret=***")
    }
}
