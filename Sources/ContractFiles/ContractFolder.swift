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
    public static func load(_ path: String, parsed: ContractLoader.ParsedHandler? = nil) throws(NotAFolder) -> ContractSet {
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
        var files: [(path: String, bytes: [UInt8])] = []
        var unreadable: [ContractError] = []
        for name in names.sorted() where ContractLoader.isContractFile(name) {
            // Paths are shown to people: `contracts/x.json`, not `./contracts/x.json`.
            var folder = path.hasSuffix("/") ? String(path.dropLast()) : path
            if folder.hasPrefix("./") { folder = String(folder.dropFirst(2)) }
            let filePath = folder == "." ? name : folder + "/" + name
            if let data = FileManager.default.contents(atPath: filePath) {
                files.append((filePath, [UInt8](data)))
            } else {
                unreadable.append(ContractError(file: filePath, location: nil, message: "cannot be read (permissions?)"))
            }
        }
        var set = ContractLoader.load(files, parsed: parsed)
        set.errors.append(contentsOf: unreadable)
        set.fileCount += unreadable.count
        return set
    }
}
