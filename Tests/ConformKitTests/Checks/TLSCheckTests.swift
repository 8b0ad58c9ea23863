import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformKit

@Suite struct TLSCheckTests {
    private func subject(version: String, daysLeft: Double, connection: ExchangeTiming.Connection = .new)
        -> ResponseUnderTest
    {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let facts = TLSFacts(
            version: version, cipherSuite: "TLS_AES_128_GCM_SHA256", alpn: "http/1.1", subject: "CN=api",
            issuer: "CN=CA", subjectAlternativeNames: ["api.example.com"], notBefore: now.addingTimeInterval(-86_400),
            notAfter: now.addingTimeInterval(daysLeft * 86_400))
        var timing = ExchangeTiming(total: .milliseconds(5))
        timing.connection = connection
        let snapshot = HTTPResponseSnapshot(status: 200, reason: "OK", headers: [], body: Data())
        return ResponseUnderTest(response: snapshot, timing: timing, document: .none, tls: facts)
    }

    private func check(_ policy: TLSPolicy = TLSPolicy()) -> TLSCheck {
        var check = TLSCheck(policy: policy)
        check.now = { Date(timeIntervalSince1970: 1_800_000_000) }
        return check
    }

    @Test func anOldVersionFailsAndASoonExpiryWarns() {
        #expect(check().evaluate(subject(version: "TLS 1.3", daysLeft: 200)) == [])
        #expect(
            check().evaluate(subject(version: "TLS 1.1", daysLeft: 200)) == [
                .failure(.tlsVersion, #"TLS 1.1 is below the minimum TLS 1.2 (the suite's "tls": {"minimum_version": …})"#)
            ])
        #expect(
            check().evaluate(subject(version: "TLS 1.2", daysLeft: 29.5)) == [
                .warning(.tlsExpiry, "the certificate expires on 2027-02-13 (29 days left); conform warns 30 days ahead")
            ])
        #expect(
            check().evaluate(subject(version: "TLS 1.2", daysLeft: -2)) == [
                .warning(.tlsExpiry, "the certificate expires on 2027-01-13 (expired); conform warns 30 days ahead")
            ])
    }

    /// The window is whole days left, counted down: 30 days and a second left is outside the 30-day window,
    /// 30 days less a second inside it.
    @Test func theWarningStartsWithinTheWindowNotADayEarly() {
        let second = 1.0 / 86_400
        #expect(check().evaluate(subject(version: "TLS 1.3", daysLeft: 30 + second)) == [])
        #expect(check().evaluate(subject(version: "TLS 1.3", daysLeft: 30)) == [])
        #expect(
            check().evaluate(subject(version: "TLS 1.3", daysLeft: 30 - second)) == [
                .warning(.tlsExpiry, "the certificate expires on 2027-02-14 (29 days left); conform warns 30 days ahead")
            ])
        var policy = TLSPolicy()
        policy.expiryWarningDays = 7
        #expect(check(policy).evaluate(subject(version: "TLS 1.3", daysLeft: 7)) == [])
        #expect(
            check(policy).evaluate(subject(version: "TLS 1.3", daysLeft: 6.5)) == [
                .warning(.tlsExpiry, "the certificate expires on 2027-01-21 (6 days left); conform warns 7 days ahead")
            ])
    }

    /// A certificate that expired an hour ago has -1 days left, and says "expired", never "0 days left".
    @Test func aCertificateExpiredLessThanADayAgoIsExpired() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let anHourAgo = subject(version: "TLS 1.3", daysLeft: -1.0 / 24)
        #expect(
            check().evaluate(anHourAgo) == [
                .warning(.tlsExpiry, "the certificate expires on 2027-01-15 (expired); conform warns 30 days ahead")
            ])
        let facts = try #require(anHourAgo.tls)
        #expect(facts.daysLeft(now: now) == -1)
        #expect(facts.properties(now: now).first { $0.name == "days_left" }?.value == "-1")
        // Half a day left is still 0 days, not expired.
        let halfADay = try #require(subject(version: "TLS 1.3", daysLeft: 0.5).tls)
        #expect(halfADay.daysLeft(now: now) == 0)
        #expect(
            check().evaluate(subject(version: "TLS 1.3", daysLeft: 0.5)) == [
                .warning(.tlsExpiry, "the certificate expires on 2027-01-15 (0 days left); conform warns 30 days ahead")
            ])
    }

    @Test func aReusedConnectionWasJudgedWhenItWasMade() {
        #expect(check().evaluate(subject(version: "TLS 1.1", daysLeft: 1, connection: .reused)) == [])
    }

    @Test func theSuiteSetsTheBar() {
        var policy = TLSPolicy()
        policy.minimumVersion = .tls11
        policy.expiryWarningDays = 0
        #expect(check(policy).evaluate(subject(version: "TLS 1.1", daysLeft: 3)) == [])
        #expect(TLSPolicy.Version("1.3") == .tls13)
        #expect(TLSPolicy.Version("TLS 1.0") == .tls10)
        #expect(TLSPolicy.Version("SSL 3.0") == nil)
    }
}
