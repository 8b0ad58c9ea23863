import Foundation
import NIOConcurrencyHelpers

/// Parses each XSD once per run, however many suites and cases refer to it.
public final class XMLSchemaCache: Sendable {
    private let schemas = NIOLockedValueBox<[String: XMLSchema]>([:])

    public init() {}

    public func schema(at url: URL) throws(XMLSchemaLoadError) -> XMLSchema {
        let key = url.standardizedFileURL.path
        if let cached = schemas.withLockedValue({ $0[key] }) { return cached }
        let schema = try XMLSchema(contentsOf: url.standardizedFileURL)
        schemas.withLockedValue { $0[key] = schema }
        return schema
    }

}
