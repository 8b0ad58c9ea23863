import ConformSupport
import Foundation

/// Writes a report atomically: a temporary file in the same folder, then a rename over the target.
/// A reader never sees half a report, and a failed run never leaves one behind.
///
/// Only regular files are written. A path that names a folder, a device, a FIFO or a socket is refused
/// before anything is sent (writing would replace a device node with a file, or block on a FIFO). A
/// symbolic link is written through: the file it points to is replaced, the link stays.
enum ReportFile {
    /// Creates the report's folder and checks that a file can be made in it; called before anything is sent
    /// so that an unwritable path exits 2 early.
    static func prepareDirectory(for path: String) throws(ReportFileError) {
        try checkFolder(for: path, create: true)
    }

    /// The checks of ``prepareDirectory(for:)`` without leaving anything behind (`conform lint`): the first
    /// missing folder on the path is made and removed again, or a file is made and removed in the folder.
    /// The same paths fail, with the same messages, as in `conform run`.
    static func checkWritable(_ path: String) throws(ReportFileError) {
        try checkFolder(for: path, create: false)
    }

    private static func checkFolder(for path: String, create: Bool) throws(ReportFileError) {
        let target = try destination(path)
        let directory = URL(fileURLWithPath: target).deletingLastPathComponent().standardizedFileURL
        // The nearest folder on the path that exists, and the ones to make below it, outermost first.
        var existing = directory
        var missing: [URL] = []
        var status = stat()
        while stat(existing.path, &status) != 0 {
            let parent = existing.deletingLastPathComponent()
            if parent.path == existing.path { break }
            missing.insert(existing, at: 0)
            existing = parent
        }
        if let kind = FileKind(status).nonRegularFolder {
            throw ReportFileError(
                path: path,
                reason: "cannot create the folder \(directory.path): \(existing.path) is \(kind), not a folder")
        }
        for folder in create ? missing : Array(missing.prefix(1)) {
            guard mkdir(folder.path, 0o777) == 0 || errno == EEXIST else {
                throw ReportFileError(
                    path: path,
                    reason: "cannot create the folder \(directory.path): \(String(cString: strerror(errno)))")
            }
            if !create { rmdir(folder.path) }
        }
        guard create || missing.isEmpty else { return }
        let probe = directory.appendingPathComponent(
            ".conform-probe.\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max))")
        let descriptor = open(probe.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ReportFileError(
                path: path,
                reason: "cannot create a file in the folder \(directory.path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        unlink(probe.path)
    }

    /// Where a report written at `path` goes: the path, or the file a symbolic link points to. Anything
    /// there that is not a regular file is refused.
    static func destination(_ path: String) throws(ReportFileError) -> String {
        var status = stat()
        guard lstat(path, &status) == 0 else { return path }
        var target = path
        if FileKind(status).mode == S_IFLNK {
            guard let resolved = realpath(path, nil) else {
                throw ReportFileError(path: path, reason: "it is a symbolic link to a file that does not exist")
            }
            target = String(cString: resolved)
            free(resolved)
            guard stat(target, &status) == 0 else { return target }
        }
        if let kind = FileKind(status).nonRegular {
            throw ReportFileError(path: path, reason: "it is \(kind); reports are written to regular files only")
        }
        return target
    }

    static func write(_ data: Data, to path: String) throws(ReportFileError) {
        try write(to: path) { file in try file.write(data) }
    }

    /// Writes a report part by part (the HAR, one entry at a time) into the same temporary file and rename as
    /// a whole report. When a part cannot be made or written (a full disk), the temporary file is removed:
    /// a failed run leaves nothing behind, and a full folder does not fill further on every run.
    static func write(to path: String, _ content: (Sink) throws -> Void) throws(ReportFileError) {
        try prepareDirectory(for: path)
        let target = URL(fileURLWithPath: try destination(path))
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(
                ".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp"
            )
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw ReportFileError(path: path, reason: SystemError(errno).description) }
        /// The failure, once the temporary file is removed.
        func discarded(_ reason: String) -> ReportFileError {
            unlink(temporary.path)
            return ReportFileError(path: path, reason: reason)
        }
        do {
            try content(Sink(descriptor: descriptor))
        } catch {
            close(descriptor)
            throw discarded((error as? ReportFileError)?.reason ?? "\(error)")
        }
        // Some file systems report a failed write only when the file is closed.
        guard close(descriptor) == 0 else { throw discarded(SystemError(errno).description) }
        // A report replaced keeps its permissions.
        var existing = stat()
        if stat(target.path, &existing) == 0 { chmod(temporary.path, existing.st_mode & 0o7777) }
        guard rename(temporary.path, target.path) == 0 else { throw discarded(SystemError(errno).description) }
    }

    /// The temporary file a report is being written into.
    struct Sink {
        fileprivate let descriptor: Int32

        func write(_ data: Data) throws {
            try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                guard let base = bytes.baseAddress else { return }
                var done = 0
                while done < bytes.count {
                    let written = Foundation.write(descriptor, base + done, bytes.count - done)
                    if written > 0 {
                        done += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        throw SystemError(written < 0 ? errno : ENOSPC)
                    }
                }
            }
        }
    }

    /// Appends to a file, creating it when missing (the GitHub step summary).
    static func append(_ data: Data, to path: String) throws(ReportFileError) {
        let target = try destination(path)
        if !FileManager.default.fileExists(atPath: target) {
            _ = FileManager.default.createFile(atPath: target, contents: nil)
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: data)
        } catch {
            throw ReportFileError(path: path, reason: Self.reason(error))
        }
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}

/// A report that could not be written: exit status 2.
struct ReportFileError: Error, Sendable, CustomStringConvertible {
    var path: String
    var reason: String

    var description: String { "cannot write the report \(path): \(reason)" }
}

/// A system call's failure, said as the system says it: "No space left on device".
struct SystemError: Error, Sendable, CustomStringConvertible {
    var code: Int32

    init(_ code: Int32) { self.code = code }

    var description: String { String(cString: strerror(code)) }
}

/// Which file a path names, so that two spellings of one file are known as one: the device and inode of
/// an existing file, else the path with its folder's symbolic links resolved.
struct FileIdentity: Hashable {
    private enum Key: Hashable {
        case inode(device: UInt64, inode: UInt64)
        case path(String)
    }

    private let key: Key

    init(_ path: String) {
        var status = stat()
        if stat(path, &status) == 0 {
            key = .inode(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
            return
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        if let resolved = realpath(folder, nil) {
            key = .path(String(cString: resolved) + "/" + url.lastPathComponent)
            free(resolved)
        } else {
            key = .path(url.standardizedFileURL.path)
        }
    }
}
