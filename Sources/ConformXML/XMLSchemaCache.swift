import Foundation
import NIOConcurrencyHelpers

/// Parses each XSD once per run, however many suites and cases refer to it.
package final class XMLSchemaCache: Sendable {
    private let schemas = NIOLockedValueBox<[String: XMLSchema]>([:])

    package init() {}

    /// The schema at `url`; it may include files from its own folder and from `suiteFolder`.
    package func schema(at url: URL, suiteFolder: URL) throws(XMLSchemaLoadError) -> XMLSchema {
        let key = url.standardizedFileURL.path
        if let cached = schemas.withLockedValue({ $0[key] }) { return cached }
        let schema = try XMLSchema(contentsOf: url.standardizedFileURL, includesWithin: [suiteFolder])
        schemas.withLockedValue { $0[key] = schema }
        return schema
    }

}
