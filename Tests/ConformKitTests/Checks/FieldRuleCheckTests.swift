import Foundation
import Testing

@testable import ConformKit
@testable import ConformRegex
@testable import ConformSupport

/// The check of one field rule at a path, as a suite's `fields` makes it.
private func check(_ path: String, _ rule: FieldRule, resolved: String? = nil) -> FieldRuleCheck {
    FieldRuleCheck(path: FieldPath(path)!, rule: rule, resolved: resolved)
}

@Suite struct FieldRuleCheckTests {
    @Test func jwtShape() {
        let jwt = check("access_token", .jwt)
        #expect(messages(jwt, response(body: validTokenBody)).isEmpty)
        #expect(
            messages(jwt, response(body: #"{"access_token": "abc.def"}"#)) == [
                #"failure: access_token: expected a JWT (three base64url parts, a JSON header with "alg"), got 2 parts"#
            ])
        #expect(
            messages(jwt, response(body: #"{"access_token": "e30.e30.c2ln"}"#)) == [
                #"failure: access_token: expected a JWT (three base64url parts, a JSON header with "alg"), got a header without a string "alg""#
            ])
        #expect(
            messages(jwt, response(body: #"{"access_token": "a b.c.d"}"#)) == [
                #"failure: access_token: expected a JWT (three base64url parts, a JSON header with "alg"), got part 1 is not base64url"#
            ])
    }

    @Test func acceptsTheVendorsPaddedSignature() {
        // The Pitchpoint docs' own sample ends its signature with "==".
        let token = "eyJraWQiOiIxMjM0NSIsInR5cCI6IkpXVCIsImFsZyI6IlJTMjU2In0.eyJhdWQiOiJ0In0.dGVzdA=="
        #expect(messages(check("t", .jwt), response(body: #"{"t": "\#(token)"}"#)).isEmpty)
    }

    @Test func equalsIgnoringCase() {
        let rule = check("token_type", .equalsIgnoringCase(Template(literal: "Bearer")), resolved: "Bearer")
        #expect(messages(rule, response(body: #"{"token_type": "bearer"}"#)).isEmpty)
        #expect(
            messages(rule, response(body: #"{"token_type": "mac"}"#)) == [
                #"failure: token_type: expected "Bearer" (ignoring case), got string "mac""#
            ])
    }

    @Test func numbers() {
        #expect(
            messages(check("expires_in", .greaterThan(0)), response(body: #"{"expires_in": 0}"#)) == [
                "failure: expires_in: expected a number > 0, got number 0"
            ])
        #expect(
            messages(check("expires_in", .greaterThan(0)), response(body: #"{"expires_in": "3600"}"#)) == [
                #"failure: expires_in: expected a number > 0, got string "3600""#
            ])
        #expect(messages(check("n", .atLeast(2)), response(body: #"{"n": 2}"#)).isEmpty)
        #expect(
            messages(check("n", .lessThan(2)), response(body: #"{"n": 2.5}"#)) == [
                "failure: n: expected a number < 2, got number 2.5"
            ])
    }

    @Test func nonEmptyAndMissing() {
        #expect(
            messages(check("error", .nonEmpty), response(body: #"{"error": ""}"#)) == [
                #"failure: error: expected a non-empty string, got string """#
            ])
        #expect(
            messages(check("error", .nonEmpty), response(body: "{}")) == [
                "failure: error: expected a non-empty string, got nothing (field missing)"
            ])
    }

    @Test func leavesPresenceToTheModelWhenThereIsOne() {
        let ruled = FieldRuleCheck(path: FieldPath("scope")!, rule: .nonEmpty, presence: .model(["scope"]))
        #expect(messages(ruled, response(body: "{}")).isEmpty)
        let undocumented = FieldRuleCheck(path: FieldPath("id_token")!, rule: .nonEmpty, presence: .model(["scope"]))
        #expect(
            messages(undocumented, response(body: "{}")) == [
                "failure: id_token: expected a non-empty string, got nothing (field missing)"
            ])
    }

    @Test func matchesAndOneOf() {
        #expect(
            messages(check("scope", .matches(try! LinearRegex("^[a-z]+$"))), response(body: #"{"scope": "Policy"}"#)) == [
                #"failure: scope: expected a string matching /^[a-z]+$/, got string "Policy""#
            ])
        #expect(
            messages(
                check("scope", .oneOf([.string("policy"), .string("admin")])), response(body: #"{"scope": "policy"}"#)
            ).isEmpty)
    }

    @Test func datesInTheFuture() {
        let rule = DateRule(format: "M/d/yyyy h:mm:ss a", timeZone: "UTC", inFuture: true)
        let xml = { (date: String) in
            response(
                contentType: "application/xml",
                body: "<Access_Token>\n<Expiration_date>\(date)</Expiration_date>\n</Access_Token>", kind: .xml(nil))
        }
        #expect(messages(check("Expiration_date", .date(rule)), xml("6/1/2099 8:00:00 AM")).isEmpty)
        #expect(
            messages(check("Expiration_date", .date(rule)), xml("3/30/2013 2:19:10 PM")) == [
                #"failure: Expiration_date (line 2): expected a date like "M/d/yyyy h:mm:ss a" (UTC) in the future, got "3/30/2013 2:19:10 PM", which is in the past (2013-03-30T14:19:10Z)"#
            ])
        #expect(
            messages(check("Expiration_date", .date(rule)), xml("2027-06-01T08:00:00Z")) == [
                #"failure: Expiration_date (line 2): expected a date like "M/d/yyyy h:mm:ss a" (UTC) in the future, got "2027-06-01T08:00:00Z", which does not parse"#
            ])
    }
}

@Suite struct ObservationCheckTests {
    @Test func notesWhetherTheValueChanged() throws {
        let template = try Template.parse("${refresh_token}")
        let same = ObservationCheck(path: FieldPath("refresh_token")!, reference: template, resolved: "AMf-1")
        #expect(
            messages(same, response(body: validTokenBody)) == ["note: refresh_token: same value as ${refresh_token}"])
        let other = ObservationCheck(path: FieldPath("refresh_token")!, reference: template, resolved: "AMf-2")
        #expect(
            messages(other, response(body: validTokenBody)) == [
                "note: refresh_token: a different value from ${refresh_token}"
            ])
    }
}

@Suite struct RFCRuleTests {
    @Test func absentAndIntegerAndDiffersFrom() {
        let body = response(body: #"{"refresh_token": "rt-1", "expires_in": 3600, "ratio": 1.5, "s": "3600"}"#)
        #expect(messages(check("scope", .absent), body) == [])
        #expect(messages(check("refresh_token", .absent), body) == [#"failure: refresh_token: expected no such field, got string "rt-1""#])
        #expect(messages(check("expires_in", .integer), body) == [])
        #expect(messages(check("ratio", .integer), body) == ["failure: ratio: expected an integer, got number 1.5"])
        #expect(messages(check("s", .integer), body) == [#"failure: s: expected an integer, got string "3600""#])
        let template = try! Template.parse("${refresh_token}")
        #expect(messages(check("refresh_token", .differsFrom(template), resolved: "rt-0"), body) == [])
        #expect(
            messages(check("refresh_token", .differsFrom(template), resolved: "rt-1"), body)
                == ["failure: refresh_token: expected a value other than ${refresh_token}, got the same value"])
    }

    @Test func ifPresentPassesAMissingFieldAndChecksAPresentOne() {
        let body = response(body: #"{"expires_in": "3600"}"#)
        #expect(messages(check("refresh_token", .ifPresent(.nonEmpty)), body) == [])
        #expect(messages(check("expires_in", .ifPresent(.integer)), body) == [#"failure: expires_in: expected an integer, got string "3600""#])
    }

    @Test func headerRules() {
        let challenge = response(status: 401, headers: [("WWW-Authenticate", #"Basic realm="token", Bearer"#)], body: "{}")
        #expect(messages(HeaderCheck(name: "WWW-Authenticate", rule: .scheme("basic")), challenge) == [])
        #expect(messages(HeaderCheck(name: "WWW-Authenticate", rule: .scheme("Bearer")), challenge) == [])
        #expect(
            messages(HeaderCheck(name: "WWW-Authenticate", rule: .scheme("Digest")), challenge)
                == [#"failure: WWW-Authenticate: expected a challenge with the "Digest" scheme, got "Basic realm=\"token\", Bearer""#])
        let plain = response(status: 400, body: "{}")
        #expect(
            messages(HeaderCheck(name: "WWW-Authenticate", rule: .scheme("Basic")), plain)
                == [#"failure: WWW-Authenticate: expected a challenge with the "Basic" scheme, got no WWW-Authenticate header"#])
        #expect(messages(HeaderCheck(name: "Pragma", rule: .absent), plain) == [])
        #expect(
            messages(HeaderCheck(name: "WWW-Authenticate", rule: .absent), challenge)
                == [#"failure: WWW-Authenticate: expected no WWW-Authenticate header, got "Basic realm=\"token\", Bearer""#])
    }
}

@Suite struct HeaderMatchesTests {
    @Test func aHeaderValueMatchesARegularExpression() throws {
        let cached = response(headers: [("Cache-Control", "max-age=60")], body: "{}")
        let rule = HeaderCheck(name: "Cache-Control", rule: .matches(try LinearRegex("^max-age=\\d+$")))
        #expect(messages(rule, cached) == [])
        #expect(
            messages(HeaderCheck(name: "Cache-Control", rule: .matches(try LinearRegex("no-store"))), cached)
                == [#"failure: Cache-Control: expected a value matching /no-store/, got "max-age=60""#])
        #expect(
            messages(HeaderCheck(name: "Retry-After", rule: .matches(try LinearRegex("^\\d+$"))), cached)
                == ["failure: Retry-After: expected a value matching /^\\d+$/, got no Retry-After header"])
    }
}
