import Foundation

/// What the `oidc` mock remembers between requests: live refresh tokens, issued access tokens (for
/// introspection and revocation), client assertion ids already used, and the `jti` counter. Every table is
/// capped at ``capacity`` entries, so a long run cannot grow it without bound.
struct OIDCMockState: Sendable {
    static let capacity = 10_000

    /// What a token was granted: to which client, for which scope, about whom.
    struct Grant: Sendable {
        var client: String
        var scope: String
        var subject: String
    }

    /// An issued access token, by its text.
    struct AccessToken: Sendable {
        var grant: Grant
        var issuedAt: Int
        var expires: Int
        var jti: String
        var revoked = false
    }

    var refreshTokens: [String: Grant] = [:]
    var accessTokens: [String: AccessToken] = [:]
    /// Client assertion `jti` → its `exp`: a `jti` is accepted once (RFC 7523 §3 item 7).
    var assertionIDs: [String: Double] = [:]
    var counter = 0

    /// The next `jti`: `at-1`, `at-2`…, the same from run to run.
    mutating func nextID(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)-\(counter)"
    }

    mutating func remember(_ token: String, _ record: AccessToken, now: Int) {
        if accessTokens.count >= Self.capacity {
            accessTokens = accessTokens.filter { $0.value.expires > now && !$0.value.revoked }
            if accessTokens.count >= Self.capacity,
                let oldest = accessTokens.min(by: { $0.value.issuedAt < $1.value.issuedAt })
            {
                accessTokens[oldest.key] = nil
            }
        }
        accessTokens[token] = record
    }

    /// `true` the first time a `jti` is seen (expired ones are forgotten when the table is full).
    mutating func useAssertionID(_ jti: String, expires: Double, now: Double) -> Bool {
        guard assertionIDs[jti] == nil else { return false }
        if assertionIDs.count >= Self.capacity { assertionIDs = assertionIDs.filter { $0.value > now } }
        guard assertionIDs.count < Self.capacity else { return false }
        assertionIDs[jti] = expires
        return true
    }
}
