import ConformJSON
import ConformRegex
import ConformSupport
import Foundation

extension SuiteFileReader.Keys {
    static let jwt = [
        "alg", "typ", "iss", "aud", "claims", "claims_matching", "required_claims", "lifetime_field", "check_times",
        "skew_seconds", "at_hash", "azp",
        "jwks", "jwks_file", "jwks_url", "hmac_secret",
    ]
    static let jwtKeySources = ["jwks", "jwks_file", "jwks_url", "hmac_secret"]
}

extension SuiteFileReader {
    /// `{"jwt": true}` (the shape, as the named rule `"jwt"`) or `{"jwt": {…}}` (``JWTExpectation``).
    func readJWT(_ node: JSONNode, field: String) -> FieldRule? {
        if case .bool(true) = node.value { return .jwt }
        let context = "rule 'jwt' for field '\(field)'"
        guard case .object = node.value else {
            sink.error(
                "\(context) takes true or an object such as {\"alg\": [\"RS256\"]}, got \(node.typeDescription)",
                at: node.location)
            return nil
        }
        guard let object = ObjectReader(node, context: context, allowed: Keys.jwt, sink: sink) else { return nil }
        var expectation = JWTExpectation(location: node.location)
        var valid = true
        func template(_ key: String) -> Template? {
            guard let text = object.string(key, nonEmpty: true), let location = object.node(key)?.location else {
                if object.has(key) { valid = false }
                return nil
            }
            guard let parsed = parseTemplate(text, at: location, scope: .testCase) else {
                valid = false
                return nil
            }
            return parsed
        }
        if let items = object.node("alg") {
            expectation.algorithms = readAlgorithms(items, context: context)
            valid = valid && expectation.algorithms != nil
        }
        expectation.type = object.string("typ", nonEmpty: true)
        expectation.issuer = template("iss")
        expectation.audience = template("aud")
        if let claims = object.node("claims") {
            for member in ObjectReader.entries(claims, context: "'claims' of \(context)", sink: sink) ?? [] {
                if case .string(let text) = member.value.value {
                    guard let parsed = parseTemplate(text, at: member.value.location, scope: .testCase) else {
                        valid = false
                        continue
                    }
                    expectation.claims.append((member.key, .template(parsed)))
                } else {
                    expectation.claims.append((member.key, .literal(member.value.jsonValue)))
                }
            }
        }
        if let patterns = object.node("claims_matching") {
            for member in ObjectReader.entries(patterns, context: "'claims_matching' of \(context)", sink: sink) ?? [] {
                guard case .string(let pattern) = member.value.value else {
                    sink.error(
                        "'claims_matching' in \(context): '\(member.key)' takes a regular expression, got \(member.value.typeDescription)",
                        at: member.value.location)
                    valid = false
                    continue
                }
                do {
                    expectation.claimPatterns.append((member.key, try LinearRegex(pattern)))
                } catch {
                    sink.error(
                        "'claims_matching' in \(context): \(JSONValue.quoted(pattern)) is not a usable regular expression: \(error)",
                        at: member.value.location)
                    valid = false
                }
            }
        }
        if let required = object.node("required_claims") {
            expectation.requiredClaims = readRequiredClaims(required, context: context) ?? []
        }
        if let path = object.string("lifetime_field", nonEmpty: true) {
            expectation.lifetimeField = FieldPath(path)
            if expectation.lifetimeField == nil {
                sink.error(
                    "'lifetime_field' in \(context): '\(path)' is not a field path such as \"expires_in\"",
                    at: object.node("lifetime_field")?.location)
                valid = false
            }
        }
        if let path = object.string("at_hash", nonEmpty: true) {
            expectation.accessTokenHashField = FieldPath(path)
            if expectation.accessTokenHashField == nil {
                sink.error(
                    "'at_hash' in \(context): '\(path)' is not a field path such as \"access_token\"",
                    at: object.node("at_hash")?.location)
                valid = false
            }
        }
        expectation.authorizedParty = template("azp")
        expectation.checksTimes = object.bool("check_times") ?? true
        if let node = object.node("skew_seconds") {
            guard case .number(let seconds) = node.value, (0...3600).contains(seconds) else {
                sink.error(
                    "'skew_seconds' in \(context) must be a number of seconds from 0 to 3600, got \(node.jsonValue.scalarText ?? node.typeDescription)",
                    at: node.location)
                return nil
            }
            expectation.skewSeconds = seconds
        }
        let sources = Keys.jwtKeySources.filter(object.has)
        if sources.count > 1 {
            sink.error(
                "\(context) takes one of \(sources.map { "'\($0)'" }.joined(separator: " and ")), not both",
                at: node.location)
            return nil
        }
        switch sources.first {
        case "jwks":
            guard let value = object.node("jwks") else { return nil }
            do {
                expectation.keys = .keySet(try JSONWebKeySet.read(value.jsonValue), origin: "the suite's key set")
            } catch {
                sink.error("'jwks' in \(context): \(error)", at: value.location)
                valid = false
            }
        case "jwks_file":
            guard let path = object.string("jwks_file", nonEmpty: true) else { return nil }
            let url = URL(fileURLWithPath: path, relativeTo: directory).standardizedFileURL
            do {
                let data = try InputFile.read(url.path, limit: JSONWebKeySet.maximumBytes)
                expectation.keys = .keySet(try JSONWebKeySet.parse(data), origin: "the key set \(path)")
            } catch let error as JWKSError {
                sink.error("'jwks_file' \(path): \(error)", at: object.node("jwks_file")?.location)
                valid = false
            } catch {
                sink.error("'jwks_file' \(path): \(error)", at: object.node("jwks_file")?.location)
                valid = false
            }
        case "jwks_url":
            expectation.keys = template("jwks_url").map { .url($0) }
        case "hmac_secret":
            expectation.keys = template("hmac_secret").map { .hmacSecret($0) }
            if let algorithms = expectation.algorithms,
                let asymmetric = algorithms.first(where: { JWTAlgorithm(rawValue: $0)?.isHMAC == false })
            {
                sink.error(
                    "'alg' in \(context) allows \(asymmetric), which an 'hmac_secret' cannot verify: give a 'jwks'",
                    at: object.node("alg")?.location)
                valid = false
            }
        default:
            break
        }
        return valid ? .jwtClaims(expectation) : nil
    }

    private func readAlgorithms(_ node: JSONNode, context: String) -> [String]? {
        let names = JWTAlgorithm.allCases.map(\.rawValue)
        guard case .array(let items) = node.value, !items.isEmpty else {
            sink.error("'alg' in \(context) takes a non-empty array such as [\"RS256\"]", at: node.location)
            return nil
        }
        var algorithms: [String] = []
        for item in items {
            guard case .string(let name) = item.value, names.contains(name) else {
                let text = item.jsonValue.scalarText ?? item.typeDescription
                let why =
                    text.lowercased() == "none"
                    ? "\"none\" is never accepted"
                    : "unknown algorithm \(JSONValue.quoted(text))\(Suggestion.hint(for: text, in: names))"
                sink.error(
                    "'alg' in \(context): \(why) (algorithms: \(names.joined(separator: ", ")))", at: item.location)
                return nil
            }
            algorithms.append(name)
        }
        return algorithms
    }

    /// An array of claim names, in which `"rfc9068"` stands for RFC 9068 §2.2's set; or that name alone.
    private func readRequiredClaims(_ node: JSONNode, context: String) -> [String]? {
        let items: [JSONNode]
        if case .array(let array) = node.value { items = array } else { items = [node] }
        var names: [String] = []
        for item in items {
            guard case .string(let name) = item.value, !name.isEmpty else {
                sink.error(
                    "'required_claims' in \(context) takes claim names or \"rfc9068\", got \(item.typeDescription)",
                    at: item.location)
                return nil
            }
            names += name == "rfc9068" ? JWTExpectation.rfc9068Claims : [name]
        }
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }
}
