/// Every check conform makes, in one place: what each expectation of a suite block becomes, in report
/// order. A new kind of expectation is read by the loader, compiled by ``SuiteCompiler`` when it needs
/// files, and turned into its check here.
enum CheckRegistry {
    static func checks(for expectations: Expectations, body: CompiledBody?, values: RunValues) -> [any Check] {
        var checks: [any Check] = []
        if !expectations.status.isEmpty { checks.append(StatusCheck(allowed: expectations.status)) }
        if !expectations.contentTypes.isEmpty { checks.append(ContentTypeCheck(expected: expectations.contentTypes)) }
        let presence: FieldRuleCheck.Presence
        switch body {
        case .model(let model):
            checks.append(JSONModelCheck(model: model))
            presence = .model(Set(model.fields.map(\.path)))
        case .xml(let xml):
            checks.append(XMLBodyCheck(expectation: xml))
            presence = .xmlSchema
        case .jsonSchema(let json):
            checks.append(JSONSchemaCheck(body: json))
            presence = .jsonSchema(json.schema)
        case nil:
            presence = .rule
        }
        for field in expectations.fields {
            for rule in field.rules {
                if let check = JWTCheck.make(field.path, rule, presence: presence, values: values) {
                    checks.append(check)
                    continue
                }
                checks.append(
                    FieldRuleCheck(
                        path: field.path, rule: rule, resolved: rule.template.flatMap(values.render), presence: presence
                    ))
            }
        }
        if let keySet = expectations.keySet { checks.append(KeySetCheck(expectation: keySet)) }
        if let metadata = expectations.providerMetadata {
            checks.append(ProviderMetadataCheck(expectation: metadata, issuer: metadata.issuer.flatMap(values.render)))
        }
        checks += expectations.headers.map { HeaderCheck(name: $0.name, rule: $0.rule) }
        if let budget = expectations.latencyBudget.flatMap({ CasePreparer.milliseconds($0, values: values) }) {
            checks.append(LatencyBudgetCheck(budgetMilliseconds: budget))
        }
        return checks
    }
}
