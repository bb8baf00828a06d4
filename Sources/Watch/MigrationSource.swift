import ContractFiles
import Foundation
import Postgres
import Preview

/// Reads a migration folder from disk and its tool's history table from the database; what is
/// pending is decided by the pure `PendingMigrations`.
public enum MigrationSource {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The folder's `*.sql` files (regular files, each at most the script size preview reads;
    /// hidden files and anything else are left alone), as a `MigrationFolder`.
    public static func readFolder(_ path: String) throws(Failure) -> MigrationFolder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure(description: "migrations folder \(path): no such folder")
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw Failure(description: "migrations folder \(path): cannot be read (\(error.localizedDescription))")
        }
        var contents: [String: String] = [:]
        var unreadable: [String] = []
        for name in names where !name.hasPrefix(".") && name.lowercased().hasSuffix(".sql") {
            switch ContractFolder.readFile(path + "/" + name, limit: MigrationPreview.maximumScriptSize) {
            case .success(let bytes): contents[name] = String(decoding: bytes, as: UTF8.self)
            case .failure(let why): unreadable.append("\(name) \(why.reason)")
            }
        }
        var folder = MigrationFolder(files: contents)
        folder.skipped += unreadable.map { (name: $0, reason: "unreadable") }
        return folder
    }

    /// Where the tool's history table is, among the schemas on the search path first: the
    /// tool's table for this layout, or nil when there is none (or the layout has no tool).
    static let historyTableQuery = """
        SELECT n.nspname, c.relname,
               pg_catalog.array_to_string(pg_catalog.array_agg(a.attname::pg_catalog.text ORDER BY a.attnum), ',')
          FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relname = $1 AND c.relkind IN ('r', 'p', 'v', 'm')
         GROUP BY n.nspname, c.relname
         ORDER BY pg_catalog.array_position(pg_catalog.current_schemas(false), n.nspname::pg_catalog.text) NULLS LAST,
                  n.nspname
         LIMIT 1
        """

    /// Reads the history table the layout's tool keeps, through `connection` (read-only).
    public static func history(_ connection: Connection, layout: MigrationFolder.Layout) throws(PostgresError)
        -> MigrationHistory?
    {
        guard let tableName = MigrationHistory.tableName(for: layout) else { return nil }
        let found = try connection.query(historyTableQuery, [tableName])
        guard found.rowCount == 1, let schema = found.string(0, 0), let name = found.string(0, 1) else { return nil }
        let columns = Set((found.string(0, 2) ?? "").split(separator: ",").map(String.init))
        let table = quoted(schema) + "." + quoted(name)
        let shown = schema + "." + name
        if layout == .flyway {
            guard columns.isSuperset(of: ["version", "description", "script", "checksum", "success"]) else {
                return nil
            }
            let rows = try connection.query(
                "SELECT version, description, script, checksum, success FROM \(table) ORDER BY installed_rank")
            let entries = (0..<rows.rowCount).map { row in
                MigrationHistory.Entry(
                    version: rows.string(row, 0), description: rows.string(row, 1) ?? "",
                    script: rows.string(row, 2) ?? "", checksum: rows.int(row, 3).map { Int32(truncatingIfNeeded: $0) },
                    success: rows.bool(row, 4) ?? false)
            }
            return MigrationHistory(tool: .flyway, table: shown, entries: entries)
        }
        guard columns.contains("version") else { return nil }
        if columns.contains("dirty") {
            // golang-migrate: one row, the version it stands at.
            let rows = try connection.query("SELECT version::pg_catalog.text, dirty FROM \(table) LIMIT 1")
            return MigrationHistory(
                tool: .golangMigrate, table: shown, current: rows.rowCount > 0 ? rows.string(0, 0) : nil,
                dirty: rows.rowCount > 0 ? rows.bool(0, 1) ?? false : false)
        }
        let rows = try connection.query("SELECT version::pg_catalog.text FROM \(table)")
        return MigrationHistory(
            tool: .dbmate, table: shown,
            entries: (0..<rows.rowCount).compactMap { rows.string($0, 0).map { MigrationHistory.Entry(version: $0) } })
    }

    /// The folder, and what of it is pending on the database `settings` reach (read-only).
    public static func pending(folder path: String, settings: ConnectionSettings, from: String?) throws(Failure)
        -> (folder: MigrationFolder, pending: PendingMigrations)
    {
        let folder = try readFolder(path)
        var history: MigrationHistory?
        if from == nil, MigrationHistory.tableName(for: folder.layout) != nil {
            var readOnly = settings
            readOnly.readOnly = true
            do {
                history = try Self.history(Connection(readOnly), layout: folder.layout)
            } catch {
                throw Failure(description: "reading the migration history: \(error.description)")
            }
        }
        return (folder, PendingMigrations(folder: folder, history: history, from: from))
    }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
