import Contracts
import Foundation

/// Reads the contract files of a folder from disk; the parsing itself is pure (`ContractLoader`).
public enum ContractFolder {
    public struct NotAFolder: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "contracts folder \(path): \(reason)" }
    }

    /// A cheap signature of the folder's contract files (names, sizes, modification times, inodes):
    /// when it is unchanged, the files need not be read and parsed again. Valid within one process
    /// (Hasher is seeded per process). nil if the folder is unreadable.
    public static func signature(_ path: String) -> String? {
        // readdir(3) and stat(2) directly: Foundation's directory listing and attributesOfItem
        // cost far more per file, and this runs on every poll.
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var entries: [(name: String, size: Int64, seconds: Int, nanoseconds: Int, inode: UInt64)] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            guard ContractLoader.isContractFile(name) else { continue }
            var info = stat()
            guard stat(path + "/" + name, &info) == 0 else { continue }
            entries.append((name, Int64(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec, UInt64(info.st_ino)))
        }
        entries.sort { $0.name < $1.name }
        var hasher = Hasher()
        for entry in entries {
            hasher.combine(entry.name)
            hasher.combine(entry.size)
            hasher.combine(entry.seconds)
            hasher.combine(entry.nanoseconds)
            hasher.combine(entry.inode)
        }
        return "\(entries.count)-\(hasher.finalize())"
    }

    /// Every contract file (`*.json`, `*.yaml`, `*.yml`, not hidden) directly in `path`, and its
    /// `owners.yaml`, sorted by name. `parsed`: see `ContractLoader.load`.
    public static func load(_ path: String, parsed: ContractLoader.ParsedHandler? = nil) throws(NotAFolder)
        -> ContractSet
    {
        ContractLoader.load(paths: try contractPaths(path), read: { readFile($0) }, parsed: parsed)
    }

    /// The paths of the files `load` reads, sorted by name.
    static func contractPaths(_ path: String) throws(NotAFolder) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw NotAFolder(path: path, reason: "no such folder (use --contracts DIR)")
        }
        guard isDirectory.boolValue else {
            throw NotAFolder(path: path, reason: "is a file, not a folder (use --contracts DIR)")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw NotAFolder(path: path, reason: "cannot be read (\(error.localizedDescription))")
        }
        return names.sorted().filter(ContractLoader.isContractFile).map { shownPath(path, $0) }
    }

    /// A file of `folder` as people are shown it: `contracts/x.json`, not `./contracts/x.json`.
    public static func shownPath(_ folder: String, _ name: String) -> String {
        var folder = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        if folder.hasPrefix("./") { folder = String(folder.dropFirst(2)) }
        return folder == "." ? name : folder + "/" + name
    }

    /// Contract files larger than this are reported, not parsed (a 62 MB file took a minute and
    /// 1.5 GB): a contract for a table of thousands of columns is well under a megabyte.
    public static let maximumFileSize = 8 << 20

    /// The whole file, if it is a regular file (or a link to one) of at most `limit` bytes.
    /// open/fstat/read straight into the array: FileManager's `contents(atPath:)` plus the copy
    /// out of `Data` cost more than parsing a small contract. Opened non-blocking, so a FIFO,
    /// socket or device with a contract's name is reported instead of waiting forever.
    public static func readFile(_ path: String, limit: Int = maximumFileSize) -> Result<
        [UInt8], ContractLoader.Unreadable
    > {
        func failure() -> Result<[UInt8], ContractLoader.Unreadable> {
            .failure(ContractLoader.Unreadable(reason: String(cString: strerror(errno))))
        }
        // stat first: a socket cannot even be opened (ENXIO), and the reason should name it.
        var info = stat()
        if stat(path, &info) == 0, let reason = notRegular(info) {
            return .failure(ContractLoader.Unreadable(reason: reason))
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else { return failure() }
        defer { close(descriptor) }
        guard fstat(descriptor, &info) == 0 else { return failure() }
        if let reason = notRegular(info) { return .failure(ContractLoader.Unreadable(reason: reason)) }
        guard Int(info.st_size) <= limit else {
            return .failure(
                ContractLoader.Unreadable(
                    reason:
                        "is \(megabytes(Int(info.st_size))), more than the \(megabytes(limit)) contractwatch "
                        + "reads; skipped"
                ))
        }
        var contents: [UInt8] = []
        var expected = max(Int(info.st_size), 0)
        while true {
            // One byte more than expected: a short read proves the end; a file that grew since
            // the fstat is read on in further chunks.
            var failed = false
            let chunk = [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, count in
                count = 0
                while count < buffer.count {
                    let got = read(descriptor, buffer.baseAddress! + count, buffer.count - count)
                    if got > 0 {
                        count += got
                    } else if got == 0 || errno != EINTR {
                        failed = got < 0
                        return
                    }
                }
            }
            if failed { return failure() }
            if contents.isEmpty { contents = chunk } else { contents += chunk }
            if contents.count > limit {
                return .failure(
                    ContractLoader.Unreadable(reason: "grew past the \(megabytes(limit)) contractwatch reads; skipped"))
            }
            if chunk.count <= expected { return .success(contents) }
            expected = 64 * 1024
        }
    }

    /// Writes a whole file by way of a temporary one renamed over it: a reader never sees half a
    /// file. No fsync per file (Foundation's atomic write does one, which made `init` of a
    /// thousand tables wait on the disk a thousand times); generated contracts can be written again.
    public static func writeFile(_ path: String, _ bytes: [UInt8]) throws(WriteError) {
        let temporary =
            (path as NSString).deletingLastPathComponent + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporary)
                throw WriteError(path: path, reason: reason)
            }
            written += result
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(path: path, reason: reason)
        }
    }

    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Why `info` is not a file to read, nil for a regular file.
    static func notRegular(_ info: stat) -> String? {
        switch info.st_mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "is a folder, not a file"
        case S_IFIFO: "is a named pipe (FIFO), not a regular file; skipped"
        case S_IFSOCK: "is a socket, not a regular file; skipped"
        case S_IFCHR, S_IFBLK: "is a device, not a regular file; skipped"
        default: "not a regular file; skipped"
        }
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MB" : "\(bytes >> 10) KB"
    }
}
