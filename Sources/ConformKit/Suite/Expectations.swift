import ConformSupport
import ConformRegex
import ConformJSON
import Foundation

/// What a response must show. The same shape serves `expect` (failures) and `warn` (warnings).
struct Expectations: Sendable {
    var status: [StatusPattern] = []
    /// Media types without parameters, compared case-insensitively; any one may match.
    var contentTypes: [String] = []
    var body: BodyExpectation?
    var fields: [FieldExpectation] = []
    var headers: [HeaderExpectation] = []
    var latencyBudget: LatencyBudget?
    /// `"jwks": {…}`: the body is a JWK Set of public keys.
    var keySet: KeySetExpectation?
    /// `"oidc_metadata": {…}`: the body is an issuer's discovery metadata.
    var providerMetadata: ProviderMetadataExpectation?
    /// Objectives on the case's latency samples: `{"p95_ms": 800, "max_ms": 2000}`.
    var latencyObjectives: [(statistic: LatencyStatistic, milliseconds: Double)] = []
    /// Why these expectations exist, appended to each message (e.g. "RFC 6749 §5.1").
    var reason: String?
    /// `warn` only: a note stating the verdict, when every expectation held or when one did not.
    var noteIfHeld: String?
    var noteIfMissed: String?

    init() {}

    var templates: [Template] {
        var all = fields.flatMap { $0.rules.flatMap(\.templates) }
        if case .template(let template) = latencyBudget { all.append(template) }
        return all + (providerMetadata?.templates ?? [])
    }

    /// Whether the body must be read as JSON for these expectations beyond their field rules.
    var judgesJSONBody: Bool { keySet != nil || providerMetadata != nil }
}

/// An allowed status: an exact code or a class such as `4xx`.
enum StatusPattern: Sendable, Equatable, CustomStringConvertible {
    case exact(Int)
    case family(Int)

    func matches(_ status: Int) -> Bool {
        switch self {
        case .exact(let code): status == code
        case .family(let hundreds): status / 100 == hundreds
        }
    }

    var description: String {
        switch self {
        case .exact(let code): String(code)
        case .family(let hundreds): "\(hundreds)xx"
        }
    }
}

/// How the body is decoded, as the suite says it: a model conform knows by name, or an XSD. Plain data:
/// ``SuiteCompiler`` finds the model and reads the schema.
enum BodyExpectation: Sendable {
    /// `{"model": "pitchpoint.token"}`.
    case model(name: String, location: SourceLocation)
    /// `{"xml_schema": "schemas/concur/access-token.xsd", …}`.
    case xml(XMLBodyExpectation)
    /// `{"json_schema": "schemas/acme/token.schema.json"}`, or the schema itself inline.
    case jsonSchema(JSONSchemaSource, location: SourceLocation)

    /// The body is read as XML (its fields are children of the root).
    var isXML: Bool {
        if case .xml = self { true } else { false }
    }
}

/// Where a JSON Schema (draft 2020-12) comes from.
enum JSONSchemaSource: Sendable {
    /// A file, as written and as it resolves relative to the suite's folder.
    case file(path: String, url: URL)
    /// Held in the suite itself; its problems are located in the suite file.
    case inline(JSONNode)
}

/// An XML body validated with libxml2 against a schema shipped beside the suite.
struct XMLBodyExpectation: Sendable {
    /// The schema's path as written, and the file it names (relative to the suite's folder).
    var path: String
    var url: URL
    var location: SourceLocation
    /// The vendor's error document: when the root has this name, the body is an error whatever the
    /// status, and the failure quotes its message element.
    var errorRoot: String?
    var errorMessageElement: String?
}

/// Rules for one field of the body.
struct FieldExpectation: Sendable {
    var path: FieldPath
    var rules: [FieldRule]
    var location: SourceLocation
}

/// A rule a field must meet beyond its type.
indirect enum FieldRule: Sendable {
    case nonEmpty
    case jwt
    /// `{"jwt": {…}}`: the token decoded and judged (``JWTExpectation``); made by ``JWTCheck``.
    case jwtClaims(JWTExpectation)
    /// The field is not in the response.
    case absent
    /// A JSON number without a fraction (or XML text that reads as one).
    case integer
    /// A value other than a variable's or a capture's: a rotated token.
    case differsFrom(Template)
    /// The rule applies only when the field is there; a missing field passes.
    case ifPresent(FieldRule)
    case equals(JSONValue)
    case equalsTemplate(Template)
    case equalsIgnoringCase(Template)
    case greaterThan(Double)
    case atLeast(Double)
    case lessThan(Double)
    /// A string in which the pattern (ECMA-262, matched in linear time) matches somewhere.
    case matches(LinearRegex)
    case oneOf([JSONValue])
    case date(DateRule)
    /// A number compared with a variable, a capture, another field of the response or the time it is checked:
    /// `{"at_least": {"field": "expires_in"}}`, `{"at_most": "${issued_before}"}`, and every `at_most`.
    case compare(NumericComparison, NumericBound)
    /// An array holding this value: `{"contains": "openid"}`.
    case contains(JSONValue)
    /// An array holding this string once resolved: `{"contains": "${client_id}"}`.
    case containsTemplate(Template)
    /// Space-delimited tokens (RFC 6749 §3.3 `scope`), each one among the resolved value's, in any order.
    case scopeSubsetOf(Template)
    /// Space-delimited tokens, the same set as the resolved value's, in any order.
    case scopeEquals(Template)

    var template: Template? {
        switch self {
        case .equalsTemplate(let template), .equalsIgnoringCase(let template), .differsFrom(let template): template
        case .containsTemplate(let template), .scopeSubsetOf(let template), .scopeEquals(let template): template
        case .compare(_, .template(let template)): template
        case .ifPresent(let rule): rule.template
        default: nil
        }
    }

    /// Every reference the rule needs a value for.
    var templates: [Template] {
        switch self {
        case .jwtClaims(let expectation): expectation.templates
        case .ifPresent(let rule): rule.templates
        default: template.map { [$0] } ?? []
        }
    }
}

/// How a number compares with its bound.
enum NumericComparison: String, Sendable, CaseIterable {
    case greaterThan = ">"
    case atLeast = ">="
    case lessThan = "<"
    case atMost = "<="

    /// The rule's name in a suite.
    var key: String {
        switch self {
        case .greaterThan: "greater_than"
        case .atLeast: "at_least"
        case .lessThan: "less_than"
        case .atMost: "at_most"
        }
    }

    func holds(_ value: Double, _ bound: Double) -> Bool {
        switch self {
        case .greaterThan: value > bound
        case .atLeast: value >= bound
        case .lessThan: value < bound
        case .atMost: value <= bound
        }
    }
}

/// What a number is compared with, when it is not a number written in the suite.
enum NumericBound: Sendable {
    case number(Double)
    /// `"${expires_at}"`: a variable or capture whose value reads as a number.
    case template(Template)
    /// `{"field": "expires_in"}`: another field of the same response.
    case field(FieldPath)
    /// `{"now": 60}`: the time the response is checked, in seconds since the epoch, plus an offset.
    case now(offset: Double)
}

/// A date in a fixed format (`DateFormatter` pattern, `en_US_POSIX`), optionally required in the future.
struct DateRule: Sendable {
    var format: String
    var timeZone: String
    var inFuture: Bool
}

/// What a response header must show.
struct HeaderExpectation: Sendable {
    var name: String
    var rule: HeaderRule
}

/// A rule for one header.
enum HeaderRule: Sendable {
    /// Present, and its comma-separated list holds this token, compared case-insensitively: `no-store`.
    case containsToken(String)
    /// Not in the response.
    case absent
    /// Present, and a challenge with this authentication scheme, compared case-insensitively (RFC 9110
    /// §11.6.1): `WWW-Authenticate: Basic realm="…"` has the scheme `Basic`.
    case scheme(String)
    /// Present, and the pattern (ECMA-262, linear time) matches somewhere in its value.
    case matches(LinearRegex)
}

/// A latency budget in milliseconds, written as a number or as a reference to a variable.
enum LatencyBudget: Sendable {
    case milliseconds(Double)
    case template(Template)
}
