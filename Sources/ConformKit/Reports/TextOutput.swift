import Foundation
import NIOConcurrencyHelpers

/// Where console text goes: standard output or error, or a buffer in tests.
public protocol TextOutput: Sendable {
    func write(_ text: String)
    /// `true` when the output is a terminal (colour is allowed).
    var isTerminal: Bool { get }
}

/// Standard output or standard error, written unbuffered so that lines appear as cases finish.
public struct StandardStream: TextOutput {
    private let descriptor: Int32

    public static let output = StandardStream(descriptor: STDOUT_FILENO)
    public static let error = StandardStream(descriptor: STDERR_FILENO)

    public func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }

    public var isTerminal: Bool { isatty(descriptor) == 1 }
}

/// Collects text in memory, for tests.
public final class BufferedOutput: TextOutput {
    private let buffer = NIOLockedValueBox("")

    public init() {}

    public func write(_ text: String) { buffer.withLockedValue { $0 += text } }
    public var text: String { buffer.withLockedValue { $0 } }
    public var isTerminal: Bool { false }
}
