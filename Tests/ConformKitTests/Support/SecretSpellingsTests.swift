import Foundation
import Testing

@testable import ConformKit
@testable import ConformXML

/// A secret is masked in every spelling conform can print: canonically equivalent Unicode forms, the escapes
/// conform itself writes for control characters, and a cut inside any spelling the masker reads.
@Suite struct SecretSpellingsTests {
    private func mask(_ text: String, _ secrets: [String]) -> String {
        SecretMasker(secrets: secrets).mask(text)
    }

    /// "pässwörd-1" as the user typed it (NFC) and as an endpoint may echo it (NFD), either way round.
    @Test func masksEveryNormalisationForm() {
        let composed = "p\u{E4}ssw\u{F6}rd-1"
        let decomposed = "pa\u{308}sswo\u{308}rd-1"
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        #expect(mask("echo \(decomposed) end", [composed]) == "echo *** end")
        #expect(mask("echo \(composed) end", [decomposed]) == "echo *** end")
        // Spelt by the endpoint in JSON and percent escapes of the other form.
        #expect(mask(#"{"p":"pa\u0308sswo\u0308rd-1"}"#, [composed]) == #"{"p":"***"}"#)
        #expect(mask("p=pa%CC%88sswo%CC%88rd-1&x", [composed]) == "p=***&x")
        // Cut inside the other form.
        #expect(mask("got pa\u{308}ss… (40 bytes in all)", [composed]) == "got ***… (40 bytes in all)")
    }

    /// ESC, VT, DEL and NEL as conform's excerpts and console show them (`\u{1B}`), and as XML reports
    /// write the ones XML cannot hold (U+FFFD).
    @Test func masksControlCharactersInConformsOwnEscapes() {
        for control in ["\u{1B}", "\u{0B}", "\u{7F}", "\u{85}"] {
            let secret = "sekr\(control)[31mret-42"
            let body = Data(#"{"t":"\#(secret)"}"#.utf8)
            let excerpt = BodyExcerpt.text(of: body, limit: 400)
            #expect(excerpt.contains("\\u{"), "the excerpt escapes \(control.unicodeScalars.first!.value)")
            #expect(mask(excerpt, [secret]) == #"{"t":"***"}"#)
            #expect(mask(TerminalText.escapingControlCharacters("x \(secret) y"), [secret]) == "x *** y")
            #expect(mask(XMLWriter.xmlSafe("<m>\(secret)</m>"), [secret]) == "<m>***</m>")
            // An excerpt cut inside the escape itself.
            let cut = BodyExcerpt.text(of: body, limit: 11)
            #expect(mask(cut, [secret]).hasPrefix(#"{"t":"***…"#), "\(cut)")
        }
    }

    /// The issue's case: an echo percent-encoded, cut after 19 of its characters; and cuts inside an escape of
    /// each spelling the masker reads.
    @Test func masksTheStartOfACutSecretInEverySpelling() {
        let secret = "SECRET-0123456789abcdef"
        #expect(mask("x%53%45%43%52%45%54%2D… (90 bytes in all)", [secret]) == "x***… (90 bytes in all)")
        let cuts = [
            "x%53%45%43%52%45%5…", "x%53%45%43%52%45%…", #"x\u0053\u0045\u0043\u0052\u00…"#,
            #"x\u0053\u0045\u0043\u0052\…"#, "x&#x53;&#x45;&#x43;&#x52;&#x4…", "x&#83;&#69;&#67;&#82;&#…",
            #"x\u{53}\u{45}\u{43}\u{52}\u{4…"#, "xSECR&#x4…",
        ]
        for cut in cuts {
            #expect(mask(cut + " (90 bytes in all)", [secret]) == "x***… (90 bytes in all)", "\(cut)")
        }
        // An incomplete escape that no secret's start precedes is left as it is.
        #expect(mask("100%… of it, x&#x4…", [secret]) == "100%… of it, x&#x4…")
    }
}

extension SecretSpellingsTests {
    /// Neither NFC nor NFD: `ê` then a combining dot below, for `ệ` (NFC U+1EC7, NFD e U+0323 U+0302); and
    /// marks in another order than the canonical one. The text is read in NFD, which maps back to its bytes.
    @Test func masksASpellingThatIsNeitherNFCNorNFD() {
        let secret = "secr\u{1EC7}t-1"
        #expect(mask("a secr\u{EA}\u{323}t-1 b", [secret]) == "a *** b")
        #expect(mask("a secre\u{302}\u{323}t-1 b", [secret]) == "a *** b")
        #expect(mask(#"{"p":"secr\u00EA\u0323t-1"}"#, [secret]) == #"{"p":"***"}"#)
        // The Kelvin sign is canonically a K.
        #expect(mask("x \u{212A}ey-0123 y", ["Key-0123"]) == "x *** y")
        // Text around is left as it was, composed or not.
        #expect(
            Array(mask("caf\u{E9} secr\u{EA}\u{323}t-1 ne\u{301}", [secret]).utf8)
                == Array("caf\u{E9} *** ne\u{301}".utf8))
        // A hostile run of marks costs what any text costs, and is left as it is.
        let marks = "a" + String(repeating: "\u{302}\u{323}", count: 50_000)
        #expect(Array(mask(marks, [secret]).utf8) == Array(marks.utf8))
    }
}
