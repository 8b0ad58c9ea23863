import ConformSupport
import ConformJSON
import ConformHTTP
import Foundation

/// A loaded, checked suite file (format version 1): what to send and what to expect.
///
/// Produced by ``SuiteLoader``; every reference in it names a defined variable or an earlier capture,
/// every model and schema exists. The format is documented in `docs/suite-format.md`.
struct Suite: Sendable {
    /// The path as given on the command line; used in diagnostics and for the default report name.
    var file: String
    var name: String
    var description: String?
    /// The suite's default target, used with `--live`.
    var baseURL: URL?
    /// The embedded mock to run against when no target is given.
    var mock: String?
    var variables: [VariableDefinition]
    /// Response fields (JSON paths or XML element names) whose values are secrets wherever they appear.
    var secretFields: [FieldPath]
    /// What the target's TLS must show (`"tls"`): a minimum version, an expiry warning window.
    var tlsPolicy = TLSPolicy()
    var cases: [TestCase]
    /// What loading found allowed but suspicious (`warning:`), in file order; printed by `lint` and `run`.
    var warnings: [Diagnostic] = []

    func variable(named name: String) -> VariableDefinition? {
        variables.first { $0.name == name }
    }

    func capture(named name: String) -> Capture? {
        cases.lazy.flatMap(\.captures).first { $0.name == name }
    }

    func testCase(named name: String) -> TestCase? {
        cases.first { $0.name == name }
    }

    /// The report's default file name: the suite file's name without `.json`, `.yaml` or `.yml`.
    var reportBaseName: String { SuiteFileFormat.baseName(of: file) }
}

/// A suite variable: a value from the environment or `--var`, with a default, maybe secret.
struct VariableDefinition: Sendable {
    var name: String
    /// The value, usually `${env:NAME}`; when it cannot be resolved, ``defaultValue`` applies.
    var value: Template?
    var defaultValue: String?
    /// A secret prints as `***` everywhere.
    var secret: Bool
    /// When an unresolved variable is required, the run stops before sending (exit 2); when it is
    /// optional, the cases that use it are skipped.
    var required: Bool
    var description: String?
    var location: SourceLocation
    /// `"default": "${other}"`: the name of a variable declared above whose value is the default.
    var defaultReference: String? = nil

    /// The environment variables the value reads, for messages such as "set PITCHPOINT_REFRESH_TOKEN".
    var environmentNames: [String] {
        (value?.references ?? []).compactMap { if case .environment(let name) = $0 { name } else { nil } }
    }
}

/// One case: a request and what its response must show, or a latency comparison of two earlier cases.
struct TestCase: Sendable {
    enum Action: Sendable {
        case request(RequestTemplate)
        case compare(LatencyComparison)
    }

    var name: String
    var description: String?
    var location: SourceLocation
    var action: Action
    /// Expectations whose misses are failures.
    var expect: Expectations
    /// Expectations whose misses are warnings: reported, never failing the case.
    var warn: Expectations?
    var captures: [Capture]
    var observations: [Observation]
    /// Samples to send (`repeat`) and how many at a time (`concurrency`); `--repeat` overrides them.
    var repeatCount: Int?
    var concurrency: Int?
    /// The suite declares that sending this case again, or several at once, consumes no credential.
    var repeatSafe: Bool
    /// Labels for `--tag` and `--skip-tag`.
    var tags: [String] = []
    /// Captures and variables the case needs without sending them (`"requires"`): when one has no value,
    /// the case is skipped like one that sends it.
    var requires: [Template.Segment] = []
    /// `skip_if`: a response that shows all of it means the case cannot judge the endpoint (the client may
    /// not use the grant: `unauthorized_client`); the case is skipped with the block's `reason`.
    var skipIf: Expectations?

    var request: RequestTemplate? {
        if case .request(let request) = action { request } else { nil }
    }

    /// The secret variables and captures the request sends: what a repeat could consume.
    func secretReferences(in suite: Suite) -> [String] {
        var names: [String] = []
        for segment in request?.templates.flatMap(\.references) ?? [] {
            switch segment {
            case .variable(let name) where suite.variable(named: name)?.secret == true: names.append(name)
            case .capture(let name) where suite.capture(named: name)?.secret == true: names.append(name)
            default: break
            }
        }
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }

    /// Every reference the case makes: request, expectations and `report` comparisons.
    var references: [Template.Segment] {
        var templates = (request?.templates ?? []) + expect.templates + (skipIf?.templates ?? [])
        if let warn { templates += warn.templates }
        return requires + templates.flatMap(\.references) + observations.flatMap(\.compareTo.references)
    }

    /// The references the case cannot be sent or checked without; a missing one skips the case.
    /// (A `report` comparison without a value only says so in its note.) With a `client_auth` method written
    /// as a name, only the members that method uses count.
    var sendingReferences: [Template.Segment] {
        sendingReferences(clientAuthMethod: request?.clientAuth?.literalMethod)
    }

    /// ``sendingReferences`` once the `client_auth` method is known (`nil`: every member counts).
    func sendingReferences(clientAuthMethod: ClientAuthMethod?) -> [Template.Segment] {
        var templates =
            (request?.sendingTemplates(clientAuthMethod: clientAuthMethod) ?? []) + expect.templates
            + (skipIf?.templates ?? [])
        if let warn { templates += warn.templates }
        return requires + templates.flatMap(\.references)
    }
}

/// A request whose strings may hold references.
struct RequestTemplate: Sendable {
    var method: String
    var path: Template
    var query: [NamedTemplate]
    var headers: [NamedTemplate]
    var body: RequestBodyTemplate?
    /// How the client authenticates (RFC 6749 §2.3.1), if the case says.
    var clientAuth: ClientAuthTemplate?

    var templates: [Template] { sendingTemplates(clientAuthMethod: nil) }

    /// The templates rendered to send the request with `clientAuthMethod` (`nil`: every `client_auth` member).
    func sendingTemplates(clientAuthMethod: ClientAuthMethod?) -> [Template] {
        var all = [path] + query.map(\.value) + headers.map(\.value)
        if let clientAuth { all += clientAuth.templates(for: clientAuthMethod) }
        switch body {
        case .json(let json): all += json.templates
        case .form(let fields): all += fields.map(\.value)
        case .text(let text): all.append(text)
        case nil: break
        }
        return all
    }
}

/// `"client_auth": {"method": "${client_auth}", "client_id": …, "client_secret": …}`: the credentials
/// and the way RFC 6749 §2.3.1 (or RFC 7523 §2.2) sends them, chosen when the case is prepared.
struct ClientAuthTemplate: Sendable {
    var method: Template
    var clientID: Template
    /// Absent only where the method cannot need it (a literal `private_key_jwt`).
    var clientSecret: Template?
    /// `private_key_jwt`: the path of a PEM or JWK file holding the client's private key.
    var privateKey: Template?
    /// The assertion's JWS algorithm; by default RS256/ES256 from the key, HS256 for `client_secret_jwt`.
    var algorithm: Template?
    /// The assertion's `aud`; by default the request's URL without its query.
    var audience: Template?
    var location: SourceLocation
    /// Where each key was written, for diagnostics about its value.
    var keyLocations: [String: SourceLocation] = [:]

    /// The method when it is written as a name, not a `${variable}`.
    var literalMethod: ClientAuthMethod? { method.isLiteral ? ClientAuthMethod(rawValue: method.source) : nil }

    /// The members `method` uses (`nil`: all of them): a `private_key` shared through a block does not keep
    /// a `client_secret_basic` case from being sent.
    func templates(for method: ClientAuthMethod?) -> [Template] {
        let members: [Template?]
        switch method {
        case nil: members = [clientSecret, privateKey, algorithm, audience]
        case .clientSecretBasic?, .clientSecretPost?: members = [clientSecret]
        case .none?: members = []
        case .clientSecretJWT?: members = [clientSecret, algorithm, audience]
        case .privateKeyJWT?: members = [privateKey, algorithm, audience]
        }
        return [self.method, clientID] + members.compactMap { $0 }
    }
}

/// Client authentication at the token endpoint (RFC 6749 §2.3.1).
enum ClientAuthMethod: String, Sendable, CaseIterable {
    /// `Authorization: Basic` with the form-encoded id and secret (the default the RFC requires servers to
    /// support).
    case clientSecretBasic = "client_secret_basic"
    /// `client_id` and `client_secret` as form fields of the body.
    case clientSecretPost = "client_secret_post"
    /// A public client: `client_id` only.
    case none
    /// A client assertion signed with the client secret (HS256 by default; RFC 7523 §2.2, OIDC Core §9).
    case clientSecretJWT = "client_secret_jwt"
    /// A client assertion signed with the client's private key (RS256 or ES256 by default).
    case privateKeyJWT = "private_key_jwt"

    /// The `client_auth` member the method needs besides `client_id`.
    var neededMember: String? {
        switch self {
        case .clientSecretBasic, .clientSecretPost, .clientSecretJWT: "client_secret"
        case .privateKeyJWT: "private_key"
        case .none: nil
        }
    }

    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A name with a templated value: a query parameter, a header, a form field.
struct NamedTemplate: Sendable {
    var name: String
    var value: Template
}

/// A request body: JSON (sent as written, strings resolved), form fields, or raw text.
enum RequestBodyTemplate: Sendable {
    case json(JSONTemplate)
    case form([NamedTemplate])
    case text(Template)
}

/// JSON with templated strings.
indirect enum JSONTemplate: Sendable {
    case object([(key: String, value: JSONTemplate)])
    case array([JSONTemplate])
    case string(Template)
    case literal(JSONValue)

    var templates: [Template] {
        switch self {
        case .object(let members): members.flatMap(\.value.templates)
        case .array(let items): items.flatMap(\.templates)
        case .string(let template): [template]
        case .literal: []
        }
    }
}

/// A value taken from one response for later requests: `${name}`.
struct Capture: Sendable {
    enum Source: Sendable {
        case field(FieldPath)
        case header(String)
    }

    var name: String
    var source: Source
    var secret: Bool
    /// A value the response may lack (a new refresh token, RFC 6749 §6): no failure when it is missing,
    /// and the cases that need it are skipped with the reason.
    var optional = false
    /// For a field that is an array: the value is captured (as this text) only when the array holds it, as a
    /// string. What a discovery document advertises then decides which cases run (`requires`).
    var contains: String?
    var location: SourceLocation
}

/// A comparison reported as a note, never a failure: "refresh_token: same value as ${refresh_token}".
struct Observation: Sendable {
    var field: FieldPath
    var compareTo: Template
}

/// A comparison case: sample two earlier cases alternately and compare one statistic of their latency.
/// Pitchpoint's docs claim refresh "returns marginally faster than the sign-in process".
struct LatencyComparison: Sendable {
    /// The case whose statistic must be the lower.
    var faster: String
    var slower: String
    var statistic: LatencyStatistic
    /// Samples of each case.
    var samples: Int
    /// `.failure` (the default) or `.warning` when the claim does not hold.
    var severity: Finding.Severity
}

/// A summary statistic of latency samples, as suites name them (`p95_ms`) and reports write them.
enum LatencyStatistic: String, Sendable, CaseIterable {
    case min, p50, p90, p95, p99, max, mean

    /// The suite and report key: `p95_ms`.
    var key: String { "\(rawValue)_ms" }
}
