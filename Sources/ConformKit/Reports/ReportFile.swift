import Foundation

/// Writes a report atomically: a temporary file in the same folder, then a rename over the target.
/// A reader never sees half a report, and a failed run never leaves one behind.
///
/// Only regular files are written. A path that names a folder, a device, a FIFO or a socket is refused
/// before anything is sent (writing would replace a device node with a file, or block on a FIFO). A
/// symbolic link is written through: the file it points to is replaced, the link stays.
public enum ReportFile {
    /// Creates the report's folder; called before anything is sent so that an unwritable path exits 2 early.
    public static func prepareDirectory(for path: String) throws(ReportFileError) {
        let target = try destination(path)
        let directory = URL(fileURLWithPath: target).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportFileError(
                path: path, reason: "cannot create the folder \(directory.path): \(Self.reason(error))")
        }
        guard FileManager.default.isWritableFile(atPath: directory.path) else {
            throw ReportFileError(path: path, reason: "the folder \(directory.path) is not writable")
        }
    }

    /// Whether the report could be written, without creating anything: the nearest existing folder on its
    /// path must be a writable folder (`conform lint`).
    public static func checkWritable(_ path: String) throws(ReportFileError) {
        let target = try destination(path)
        var isDirectory: ObjCBool = false
        var folder = URL(fileURLWithPath: target).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        guard isDirectory.boolValue else {
            throw ReportFileError(path: path, reason: "\(folder.path) is not a folder")
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else {
            throw ReportFileError(path: path, reason: "the folder \(folder.path) is not writable")
        }
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

    public static func write(_ data: Data, to path: String) throws(ReportFileError) {
        try prepareDirectory(for: path)
        let target = URL(fileURLWithPath: try destination(path))
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(
                ".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp"
            )
        do {
            try data.write(to: temporary)
        } catch {
            throw ReportFileError(path: path, reason: Self.reason(error))
        }
        // A report replaced keeps its permissions.
        var existing = stat()
        if stat(target.path, &existing) == 0 { chmod(temporary.path, existing.st_mode & 0o7777) }
        if rename(temporary.path, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ReportFileError(path: path, reason: reason)
        }
    }

    /// Appends to a file, creating it when missing (the GitHub step summary).
    public static func append(_ data: Data, to path: String) throws(ReportFileError) {
        let target = try destination(path)
        if !FileManager.default.fileExists(atPath: target) {
            FileManager.default.createFile(atPath: target, contents: nil)
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
public struct ReportFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "cannot write the report \(path): \(reason)" }
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
