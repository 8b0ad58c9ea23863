import Foundation
import NIOConcurrencyHelpers

/// Where console text goes: standard output or error, or a buffer in tests.
public protocol TextOutput: Sendable {
    func write(_ text: String)
    /// `true` when the output is a terminal (colour is allowed).
    var isTerminal: Bool { get }
}

/// Collects text in memory, for tests.
public final class BufferedOutput: TextOutput {
    private let buffer = NIOLockedValueBox("")

    public init() {}

    public func write(_ text: String) { buffer.withLockedValue { $0 += text } }
    public var text: String { buffer.withLockedValue { $0 } }
    public var isTerminal: Bool { false }
}
