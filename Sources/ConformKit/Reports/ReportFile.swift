import Foundation

/// Writes a report atomically: a temporary file in the same folder, then a rename over the target.
/// A reader never sees half a report, and a failed run never leaves one behind.
public enum ReportFile {
    /// Creates the report's folder; called before anything is sent so that an unwritable path exits 2 early.
    public static func prepareDirectory(for path: String) throws(ReportFileError) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportFileError(
                path: path, reason: "cannot create the folder \(directory.path): \(Self.reason(error))")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ReportFileError(path: path, reason: "it is a folder")
        }
        guard FileManager.default.isWritableFile(atPath: directory.path) else {
            throw ReportFileError(path: path, reason: "the folder \(directory.path) is not writable")
        }
    }

    /// Whether the report could be written, without creating anything: the nearest existing folder on its
    /// path must be a writable folder (`conform lint`).
    public static func checkWritable(_ path: String) throws(ReportFileError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ReportFileError(path: path, reason: "it is a folder")
        }
        var folder = URL(fileURLWithPath: path).deletingLastPathComponent()
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

    public static func write(_ data: Data, to path: String) throws(ReportFileError) {
        try prepareDirectory(for: path)
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(
                ".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp"
            )
        do {
            try data.write(to: temporary)
        } catch {
            throw ReportFileError(path: path, reason: Self.reason(error))
        }
        if rename(temporary.path, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ReportFileError(path: path, reason: reason)
        }
    }

    /// Appends to a file, creating it when missing (the GitHub step summary).
    public static func append(_ data: Data, to path: String) throws(ReportFileError) {
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
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
