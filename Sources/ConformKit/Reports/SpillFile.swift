import Crypto
import Foundation
import NIOConcurrencyHelpers

/// A temporary file that keeps the parts of a report out of memory until the report is put together at the
/// end of the run: the HAR's entries, up to 10,000 of them with 64 KiB bodies each, which the archive can
/// only mask once every secret of the run is known.
///
/// The file is unlinked as soon as it is made, so that nothing is left behind however conform ends (killed,
/// out of space), and each part is sealed with ChaChaPoly under a key that lives in memory only: the parts
/// are not masked yet, and no secret reaches the disk in clear.
final class SpillFile: Sendable {
    /// Where a part is in the file.
    struct Part: Sendable {
        var offset: Int64
        var length: Int
    }

    private let descriptor: Int32
    /// The key's bytes (a `SymmetricKey` is not `Sendable`).
    private let keyBytes = SymmetricKey(size: .bits256).withUnsafeBytes { [UInt8]($0) }
    /// The end of the file: the offset of the next part.
    private let end = NIOLockedValueBox<Int64>(0)

    /// Makes the file in `folder` (the report's own, which the run checked it can write).
    init(folder: String) throws(SystemError) {
        let path = URL(fileURLWithPath: folder).appendingPathComponent(
            ".conform-spill.\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max))"
        ).path
        descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SystemError(errno) }
        unlink(path)
    }

    deinit { close(descriptor) }

    /// Seals a part and writes it at the end of the file.
    func append(_ data: Data) throws -> Part {
        let sealed = try ChaChaPoly.seal(data, using: SymmetricKey(data: keyBytes)).combined
        let offset = end.withLockedValue { end in
            defer { end += Int64(sealed.count) }
            return end
        }
        try sealed.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            guard let base = bytes.baseAddress else { return }
            var done = 0
            while done < bytes.count {
                let written = pwrite(descriptor, base + done, bytes.count - done, off_t(offset) + off_t(done))
                if written > 0 {
                    done += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    throw SystemError(written < 0 ? errno : ENOSPC)
                }
            }
        }
        return Part(offset: offset, length: sealed.count)
    }

    /// A part as it was appended.
    func read(_ part: Part) throws -> Data {
        var sealed = Data(count: part.length)
        try sealed.withUnsafeMutableBytes { (bytes: UnsafeMutableRawBufferPointer) in
            guard let base = bytes.baseAddress else { return }
            var done = 0
            while done < bytes.count {
                let count = pread(descriptor, base + done, bytes.count - done, off_t(part.offset) + off_t(done))
                if count > 0 {
                    done += count
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    throw SystemError(count < 0 ? errno : EIO)
                }
            }
        }
        return try ChaChaPoly.open(ChaChaPoly.SealedBox(combined: sealed), using: SymmetricKey(data: keyBytes))
    }
}
