import Contracts
import Foundation

/// Reads the contract files of a folder from disk; the parsing itself is pure (`ContractLoader`).
public enum ContractFolder {
    public struct NotAFolder: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "contracts folder \(path): \(reason)" }
    }

    /// A cheap signature of the folder's contract files (names, sizes, modification times): when
    /// it is unchanged, the files need not be read and parsed again. nil if the folder is unreadable.
    public static func signature(_ path: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return nil }
        var parts: [String] = []
        for name in names.sorted() where ContractLoader.isContractFile(name) {
            // stat(2) directly: Foundation's attributesOfItem costs ~20× more per file.
            var info = stat()
            guard stat(path + "/" + name, &info) == 0 else { parts.append(name); continue }
            parts.append("\(name)\u{1}\(info.st_size)\u{1}\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)\u{1}\(info.st_ino)")
        }
        return parts.joined(separator: "\u{2}")
    }

    /// Every contract file (`*.json`, `*.yaml`, `*.yml`, not hidden) directly in `path`, and its
    /// `owners.yaml`, sorted by name.
    public static func load(_ path: String) throws(NotAFolder) -> ContractSet {
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
        var set = ContractLoader.load(files)
        set.errors.append(contentsOf: unreadable)
        set.fileCount += unreadable.count
        return set
    }
}
