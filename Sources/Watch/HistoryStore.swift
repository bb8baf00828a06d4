import Foundation
import WatchModel

/// Where a database's history lives: `$XDG_STATE_HOME/contractwatch/history/<system id>-<db>.json`,
/// keyed by the cluster's system identifier and the database name, so two databases never mix.
public final class HistoryStore: Sendable {
    public let path: String
    public let database: String

    public init(directory: String, systemIdentifier: String, database: String) {
        let safe = database.unicodeScalars.map {
            CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" ? String($0) : "_"
        }.joined()
        self.path = directory + "/\(systemIdentifier)-\(safe).json"
        self.database = database
    }

    public static func defaultDirectory() -> String {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/state")
        return base + "/contractwatch/history"
    }

    /// The stored history; nil when the file exists but is not one this version reads (a newer
    /// format, or damaged): then it must not be overwritten either.
    public func load() -> ViolationHistory? {
        guard let data = FileManager.default.contents(atPath: path) else { return ViolationHistory() }
        return ViolationHistory.parse(String(decoding: data, as: UTF8.self))
    }

    /// Atomic replace, so a crash never leaves half a file.
    public func save(_ history: ViolationHistory) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(history.json(database: database).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
