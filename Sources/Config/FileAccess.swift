// The only place the Config module touches the file system, through POSIX
// calls so failures carry the operating system's reason (strerror).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads files and checks readability, reporting the OS reason on failure.
enum FileAccess {
    /// The whole content of `path`, or the reason it could not be read
    /// (for example `No such file or directory`).
    static func readAll(_ path: String) -> Result<[UInt8], FileAccessError> {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return .failure(.current()) }
        defer { close(descriptor) }
        if let problem = notRegularFile(descriptor) { return .failure(problem) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return .success(bytes) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.current())
            }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > 16 * 1024 * 1024 { return .failure(FileAccessError(reason: "file is larger than 16 MiB")) }
        }
    }

    /// Nil when `path` is a regular file this process can open for reading,
    /// else the reason it cannot.
    static func readabilityProblem(_ path: String) -> FileAccessError? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return .current() }
        defer { close(descriptor) }
        return notRegularFile(descriptor)
    }

    /// A problem when the open file is not a regular file (a directory, a device).
    private static func notRegularFile(_ descriptor: Int32) -> FileAccessError? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .current() }
        if (info.st_mode & S_IFMT) == S_IFDIR { return FileAccessError(reason: String(cString: strerror(EISDIR))) }
        if (info.st_mode & S_IFMT) != S_IFREG { return FileAccessError(reason: "not a regular file") }
        return nil
    }
}

/// Why a file could not be read, in the operating system's words.
struct FileAccessError: Error {
    /// The reason, such as `No such file or directory` or `Permission denied`.
    let reason: String

    /// The reason for the current `errno`.
    static func current() -> FileAccessError {
        FileAccessError(reason: String(cString: strerror(errno)))
    }
}
