import Foundation

/// Reads a file conform was pointed at (a suite, a schema, a report to merge, a baseline): a regular file
/// only, of bounded size.
///
/// Nothing else is opened: a FIFO would block the read forever, a device could stream without end, a
/// folder or a socket is not a file. The path is looked at first, then opened without blocking and looked
/// at again through the open descriptor, so that a file swapped for a FIFO in between is refused too.
package enum InputFile {
    /// Suites, schemas and reports are small; a larger file is refused, not read.
    static let maximumBytes = 16 << 20

    package static func read(_ path: String, limit: Int = maximumBytes) throws(InputFileError) -> Data {
        try check(path)
        var status = stat()
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        if let kind = FileKind(status).nonRegular { throw .notAFile(kind) }
        guard Int(status.st_size) <= limit else { throw .tooLarge(limit: limit) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(String(cString: strerror(errno)))
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[..<count])
            if data.count > limit { throw .tooLarge(limit: limit) }
        }
        return data
    }

    /// Looks at the path without opening it: the error `read` would give for a missing, unreadable or
    /// non-regular file, for a file read only later (the system's CA bundle, on the first https connection).
    package static func check(_ path: String) throws(InputFileError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw errno == ENOENT || errno == ENOTDIR ? .notFound : .unreadable(String(cString: strerror(errno)))
        }
        if let kind = FileKind(status).nonRegular { throw .notAFile(kind) }
        guard access(path, R_OK) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
    }
}

/// Why a file could not be read.
package enum InputFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound
    case notAFile(String)
    case tooLarge(limit: Int)
    case unreadable(String)

    package var description: String {
        switch self {
        case .notFound: "no such file"
        case .notAFile(let kind): "it is \(kind), not a regular file"
        case .tooLarge(let limit): "it is larger than \(ByteCount.describe(limit))"
        case .unreadable(let reason): "cannot read it: \(reason)"
        }
    }
}

/// What a path names, in words.
package struct FileKind {
    package let mode: mode_t

    package init(_ status: stat) {
        mode = status.st_mode & S_IFMT
    }

    /// `nil` for a folder; else "a regular file", "a FIFO", …
    package var nonRegularFolder: String? {
        mode == S_IFDIR ? nil : mode == S_IFREG ? "a regular file" : nonRegular
    }

    /// `nil` for a regular file; else "a FIFO", "a folder", …
    package var nonRegular: String? {
        switch mode {
        case S_IFREG: nil
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }
}
