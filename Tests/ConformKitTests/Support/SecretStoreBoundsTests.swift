import Foundation
import Testing

@testable import ConformKit

/// What keeping secrets costs stays bounded whatever an endpoint issues: a long secret is kept by its start,
/// a new secret does not compile the others again, and past a budget secrets are fingerprinted.
@Suite struct SecretStoreBoundsTests {
    /// A token of `length` bytes, distinct per `seed` from its first bytes on.
    private func token(_ seed: Int, length: Int) -> String {
        let head = "rt-\(seed)-"
        return head + String(repeating: "abcdefghij", count: length / 10 + 1).prefix(length - head.utf8.count)
    }

    /// The issue's hostile server: a fresh 800 KB refresh token in every answer. Each is kept as 128 bytes and
    /// still masked whole, in the body and in a cut excerpt of it.
    @Test func keepsALongSecretByItsStartAndMasksAllOfIt() {
        let store = SecretStore()
        var tokens: [String] = []
        for seed in 0..<10 {
            let token = token(seed, length: 800_000)
            tokens.append(token)
            store.add(token, origin: "a secret field of the response")
            #expect(store.mask(#"{"refresh_token":"\#(token)","x":1}"#) == #"{"refresh_token":"***","x":1}"#)
        }
        let cost = store.cost
        #expect(cost.secrets == 10)
        #expect(cost.keptBytes == 10 * SecretMasker.keptLength)
        #expect(cost.fingerprinted == 0)
        let excerpt = BodyExcerpt.text(of: Data(#"{"refresh_token":"\#(tokens[7])"}"#.utf8), limit: 400)
        // The mask stops at the excerpt's end: what follows is conform's, not the secret.
        #expect(store.mask(excerpt) == #"{"refresh_token":"***… (800020 bytes in all)"#)
        #expect(store.mask("a " + tokens[7].prefix(300) + "…") == "a ***…")
        // Cut within the kept start, in the percent-encoded spelling.
        #expect(store.mask("t=rt%2D7%2Dabcd…") == "t=***…")
        // A text holding the start of a long secret but not the rest is masked as far as the secret would reach.
        #expect(store.mask("x " + tokens[3].prefix(200) + " y") == "x ***")
        #expect(store.contains(tokens[5]))
        #expect(!store.contains(token(99, length: 800_000)))
    }

    /// 80 suites, each learning a few secrets and printing between them: each pattern byte is compiled a
    /// logarithmic number of times, not once per later output (which cost 80² compilations).
    @Test func learningSecretsSuiteAfterSuiteCompilesEachAFewTimesOnly() {
        let store = SecretStore()
        for suite in 0..<80 {
            for secret in 0..<4 {
                store.add("suite-\(suite)-secret-\(secret)-0123456789abcdef")
                #expect(store.mask("line of suite \(suite)") == "line of suite \(suite)")
            }
            #expect(store.mask("suite-\(suite)-secret-3-0123456789abcdef!") == "***!")
        }
        let cost = store.cost
        #expect(cost.secrets == 320)
        #expect(cost.keptBytes == 40 * 33 + 280 * 34)
        // A binary counter's carries: each byte compiled 5.5 times on average, five automata to scan.
        // Recompiling every secret at every output cost 161 times the kept bytes (1,746,240 bytes).
        #expect(cost.compiledBytes == 59_545)
        #expect(cost.compiledBytes <= cost.keptBytes * 6)
        #expect(cost.automata == 5)
        // Every secret of every suite is still masked.
        #expect(store.mask("suite-0-secret-0-0123456789abcdef and suite-79-secret-2-0123456789abcdef") == "*** and ***")
    }

    /// Past the automata's budget, secrets are fingerprinted in fixed memory and still masked: whole, short,
    /// cut, escaped; text without them is left alone.
    @Test func fingerprintsSecretsPastTheBudgetAndStillMasksThem() {
        let store = SecretStore()
        let count = SecretStore.automatonBudget / 64 + 500
        for seed in 0..<count { store.add(token(seed, length: 64)) }
        let cost = store.cost
        #expect(cost.keptBytes <= SecretStore.automatonBudget)
        #expect(cost.fingerprinted == count - SecretStore.automatonBudget / 64)
        let late = token(count - 1, length: 64)
        #expect(store.mask("a \(late) b") == "a *** b")
        #expect(store.mask(#"{"t":"\#(late.replacingOccurrences(of: "-", with: "\\u002D"))"}"#) == #"{"t":"***"}"#)
        #expect(store.mask("t=\(late.prefix(12))… (64 bytes in all)") == "t=***… (64 bytes in all)")
        #expect(
            store.mask("nothing here, rt-none-abcdefghijabcdefghij") == "nothing here, rt-none-abcdefghijabcdefghij")
        store.add("pin-9")
        store.add("rt-short-123")
        #expect(store.mask("pin=pin-9&rt-short-123 xpin-9y") == "pin=***&*** xpin-9y")
        #expect(store.contains(late))
    }
}
