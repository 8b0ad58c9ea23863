import ConformJSON
import ConformSupport
import Foundation

/// The body decodes strictly, with `Codable`, into a documented model; unknown fields are warnings.
///
/// Messages name the field path, the expectation and the value seen:
/// `expires_in: expected a JSON number, got string "3600"`.
struct JSONModelCheck: Check {
    var model: any ResponseModel.Type
    /// The documented fields with their parsed paths, made once per case rather than per sample.
    private let fields: [(field: ModelField, path: FieldPath)]
    private let requiredTopLevel: [String]
    private let knownPaths: Set<String>

    init(model: any ResponseModel.Type) {
        self.model = model
        fields = model.fields.compactMap { field in FieldPath(field.path).map { (field, $0) } }
        requiredTopLevel = model.fields.filter { $0.required && !$0.path.contains(".") }.map(\.path)
        knownPaths = Set(model.fields.map(\.path))
    }

    func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        let name = model.modelName
        switch response.document {
        case .json(let value):
            let problems = structuralProblems(in: value)
            if let otherShape = otherShape(value, problems: problems) {
                return [.failure(.bodyModel, "\(name): \(otherShape)")]
            }
            var findings = problems.map { finding(name, $0) }
            if problems.isEmpty, let problem = decodingProblem(value) {
                findings.append(finding(name, problem))
            }
            findings += unknownFields(in: value).map {
                .warning(.bodyModel, "\(name): unknown field '\($0)' (not in the documented model)")
            }
            return findings
        case .unreadable(let reason):
            return [.failure(.bodyModel, "\(name): \(reason)")]
        case .xml, .none:
            return [
                .failure(.bodyModel, "\(name): expected a JSON body, got \(BodySniffer.describe(response.response))")
            ]
        }
    }

    /// The failure of one problem, located at its documented field (`expires_in: expected a JSON number,
    /// got string "3600"`), with what was expected and seen as data.
    private func finding(_ name: String, _ problem: String) -> Finding {
        var finding = Finding.failure(.bodyModel, "\(name): \(problem)")
        guard let colon = problem.range(of: ": ") else { return finding }
        let path = String(problem[..<colon.lowerBound])
        guard knownPaths.contains(path) else { return finding }
        finding.location = .field(path)
        let rest = problem[colon.upperBound...]
        if rest.hasPrefix("expected "), let got = rest.range(of: ", got ") {
            finding.expected = String(rest[rest.index(rest.startIndex, offsetBy: 9)..<got.lowerBound])
            finding.actual = String(rest[got.upperBound...])
        }
        return finding
    }

    /// Every documented field that is missing or of the wrong JSON type, in the model's order.
    func structuralProblems(in value: JSONValue) -> [String] {
        guard case .object = value else { return ["body: expected an object, got \(value.seenDescription)"] }
        var problems: [String] = []
        var brokenParents: [String] = []
        for (field, path) in fields {
            if brokenParents.contains(where: { field.path.hasPrefix($0 + ".") }) { continue }
            guard let seen = value.value(at: path) else {
                if field.required {
                    problems.append("\(field.path): expected \(field.kind.description), got nothing (field missing)")
                }
                brokenParents.append(field.path)
                continue
            }
            if !Self.has(seen, kind: field.kind) {
                if seen == .null && !field.required { continue }
                problems.append("\(field.path): expected \(field.kind.description), got \(seen.seenDescription)")
                brokenParents.append(field.path)
            }
        }
        return problems
    }

    /// "a body of another shape" when none of the required top-level fields is there.
    private func otherShape(_ value: JSONValue, problems: [String]) -> String? {
        guard !problems.isEmpty, case .object(let members) = value else { return nil }
        let required = requiredTopLevel
        guard required.count > 1, required.allSatisfy({ members[$0] == nil }) else { return nil }
        let present = members.keys.sorted()
        let has = present.isEmpty ? "it is an empty object" : "it has \(present.joined(separator: ", "))"
        return
            "a body of another shape: none of the documented fields (\(required.joined(separator: ", "))) is present; \(has)"
    }

    private static func has(_ value: JSONValue, kind: JSONKind) -> Bool {
        switch (value, kind) {
        case (.string, .string), (.number, .number), (.bool, .boolean), (.object, .object), (.array, .array): true
        default: false
        }
    }

    /// Codable is the final, strict gate; once the documented fields look right it should agree.
    private func decodingProblem(_ value: JSONValue) -> String? {
        do {
            _ = try JSONValueDecoder.decode(model, from: value)
            return nil
        } catch let error as DecodingError {
            return describe(error, in: value)
        } catch {
            return "could not be decoded: \(error)"
        }
    }

    private func describe(_ error: DecodingError, in value: JSONValue) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            let path = Self.path(context.codingPath + [key])
            return "\(path): expected \(expectedKind(at: path) ?? "a value"), got nothing (field missing)"
        case .typeMismatch(let type, let context):
            let path = Self.path(context.codingPath)
            let seen = FieldPath(path).flatMap { value.value(at: $0) }?.seenDescription ?? "a different type"
            return
                "\(path.isEmpty ? "body" : path): expected \(expectedKind(at: path) ?? Self.kind(of: type)), got \(seen)"
        case .valueNotFound(let type, let context):
            let path = Self.path(context.codingPath)
            return "\(path): expected \(expectedKind(at: path) ?? Self.kind(of: type)), got null"
        case .dataCorrupted(let context):
            let path = Self.path(context.codingPath)
            return "\(path.isEmpty ? "body" : path): \(context.debugDescription)"
        @unknown default:
            return "could not be decoded: \(error)"
        }
    }

    private func expectedKind(at path: String) -> String? {
        model.fields.first { $0.path == path }?.kind.description
    }

    /// Fields present in the body that the model does not document, as paths in sorted order.
    func unknownFields(in value: JSONValue) -> [String] {
        let known = knownPaths
        // Most bodies have none: look without sorting first, since every sample asks.
        func anyUnknown(_ value: JSONValue, prefix: String) -> Bool {
            guard case .object(let members) = value else { return false }
            return members.contains { key, member in
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                return !known.contains(path) || anyUnknown(member, prefix: path)
            }
        }
        guard anyUnknown(value, prefix: "") else { return [] }
        var unknown: [String] = []
        func walk(_ value: JSONValue, prefix: String) {
            guard case .object(let members) = value else { return }
            for key in members.keys.sorted() {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                if known.contains(path) {
                    walk(members[key]!, prefix: path)
                } else {
                    unknown.append(path)
                }
            }
        }
        walk(value, prefix: "")
        return unknown
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: JSONKind.string.description
        case is Double.Type, is Int.Type, is Float.Type: JSONKind.number.description
        case is Bool.Type: JSONKind.boolean.description
        case is [Any].Type: JSONKind.array.description
        default: JSONKind.object.description
        }
    }
}
