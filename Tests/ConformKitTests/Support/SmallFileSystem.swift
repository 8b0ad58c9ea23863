import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real file system that fills up: a tmpfs of a few KiB mounted in a test's temporary folder.
///
/// Mounting needs root with CAP_SYS_ADMIN (the development machine and CI run the tests as root). Where it is
/// refused, the test is cancelled with the reason, so that the report says it did not run: it never passes
/// without having run.
struct SmallFileSystem {
    let path: String

    /// Mounts a tmpfs of `kibibytes` in `folder`; unmount it before the test ends (`defer`).
    static func mount(in folder: URL, kibibytes: Int = 64) throws -> SmallFileSystem {
        let path = folder.appendingPathComponent("small").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard Glibc.mount("tmpfs", path, "tmpfs", 0, "size=\(kibibytes)k") == 0 else {
            let reason = String(cString: strerror(errno))
            try Test.cancel(
                "cannot mount a \(kibibytes) KiB tmpfs to fill up (mount: \(reason)): this test needs root with CAP_SYS_ADMIN"
            )
        }
        return SmallFileSystem(path: path)
    }

    /// Takes every free block with one file, `filler`.
    func fill() throws {
        let descriptor = open(path + "/filler", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let block = [UInt8](repeating: 0x2E, count: 4096)
        while block.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        try #require(errno == ENOSPC)
    }

    /// The names in it, sorted.
    func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    func unmount() {
        umount2(path, Int32(MNT_DETACH))
    }
}
