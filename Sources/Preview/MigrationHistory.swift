/// What a migration tool recorded as applied, read from its own history table, and which files
/// of a folder are therefore pending. Pure: the rows come from the caller.
public struct MigrationHistory: Sendable, Hashable {
    public enum Tool: String, Sendable, Hashable {
        /// `flyway_schema_history`: one row per applied script, with its checksum.
        case flyway
        /// golang-migrate's `schema_migrations (version bigint, dirty boolean)`: one row, the
        /// current version.
        case golangMigrate = "golang-migrate"
        /// dbmate's `schema_migrations (version varchar)`: one row per applied version.
        case dbmate
    }

    /// A Flyway row (or a dbmate version, with only `version`).
    public struct Entry: Sendable, Hashable {
        public var version: String?
        public var description: String
        public var script: String
        public var checksum: Int32?
        public var success: Bool

        public init(
            version: String?, description: String = "", script: String = "", checksum: Int32? = nil,
            success: Bool = true
        ) {
            self.version = version
            self.description = description
            self.script = script
            self.checksum = checksum
            self.success = success
        }
    }

    public var tool: Tool
    /// The table, as `schema.name`.
    public var table: String
    public var entries: [Entry]
    /// golang-migrate: the version it stands at, and whether its last run failed half way.
    public var current: String?
    public var dirty: Bool

    public init(tool: Tool, table: String, entries: [Entry] = [], current: String? = nil, dirty: Bool = false) {
        self.tool = tool
        self.table = table
        self.entries = entries
        self.current = current
        self.dirty = dirty
    }

    /// The history table each layout's tool keeps.
    public static func tableName(for layout: MigrationFolder.Layout) -> String? {
        switch layout {
        case .flyway: "flyway_schema_history"
        case .golangMigrate, .dbmate: "schema_migrations"
        case .numbered: nil
        }
    }
}

/// A folder's files split into applied and pending, with what a person should know about how
/// that was decided.
public struct PendingMigrations: Sendable, Hashable {
    public var applied: [MigrationFolder.File]
    public var pending: [MigrationFolder.File]
    /// How pending was decided ("flyway_schema_history: 3 applied"), and anything odd (a
    /// failed or dirty migration, a changed checksum of an applied file).
    public var notes: [String]

    /// `history` when the tool's table was found; otherwise `from` (the first pending file's
    /// name), otherwise every file is pending.
    public init(folder: MigrationFolder, history: MigrationHistory?, from: String?) {
        var applied: [MigrationFolder.File] = []
        var pending: [MigrationFolder.File] = []
        var notes: [String] = []
        if let from {
            guard let start = folder.files.firstIndex(where: { $0.name == from }) else {
                self.init(applied: [], pending: folder.files, notes: ["--from \(from): no such migration file"])
                return
            }
            applied = Array(folder.files[..<start])
            pending = Array(folder.files[start...])
            notes.append("pending from \(from) (--from)")
        } else if let history {
            switch history.tool {
            case .flyway:
                let succeeded = history.entries.filter(\.success)
                let versions = Set(succeeded.compactMap(\.version).map(Self.normalized))
                for file in folder.files {
                    if file.repeatable {
                        // Applied again whenever its checksum differs from the last run's.
                        let last = succeeded.last { $0.version == nil && $0.script == file.name }
                        if let last, last.checksum == file.checksum {
                            applied.append(file)
                        } else {
                            pending.append(file)
                        }
                    } else if versions.contains(Self.normalized(file.version)) {
                        applied.append(file)
                        let recorded = succeeded.last {
                            $0.version.map(Self.normalized) == Self.normalized(file.version)
                        }
                        if let checksum = recorded?.checksum, checksum != file.checksum {
                            notes.append(
                                "\(file.name) changed since it was applied (checksum \(checksum) → \(file.checksum))")
                        }
                    } else {
                        pending.append(file)
                    }
                }
                for failed in history.entries where !failed.success {
                    notes.append("\(failed.script) failed when it was applied: fix it and run flyway repair")
                }
            case .golangMigrate:
                let current = history.current ?? ""
                for file in folder.files {
                    if !current.isEmpty && MigrationFolder.compareVersions(file.version, current) <= 0 {
                        applied.append(file)
                    } else {
                        pending.append(file)
                    }
                }
                if history.dirty {
                    notes.append("schema_migrations is dirty at \(current): its last migration failed half way")
                }
            case .dbmate:
                let versions = Set(history.entries.compactMap(\.version))
                for file in folder.files {
                    if versions.contains(file.version) { applied.append(file) } else { pending.append(file) }
                }
            }
            notes.insert("\(history.table): \(applied.count) applied", at: 0)
        } else {
            pending = folder.files
            notes.append(
                MigrationHistory.tableName(for: folder.layout).map { "no \($0) table: every file is pending" }
                    ?? "no history table for plain numbered files: every file is pending (--from FILE starts later)")
        }
        self.init(applied: applied, pending: pending, notes: notes)
    }

    public init(applied: [MigrationFolder.File], pending: [MigrationFolder.File], notes: [String]) {
        self.applied = applied
        self.pending = pending
        self.notes = notes
    }

    /// `1.0.0` and `1` are the same Flyway version.
    static func normalized(_ version: String) -> String {
        var parts = version.split(separator: ".").map { String($0.drop { $0 == "0" }) }
        while parts.last == "" { parts.removeLast() }
        return parts.joined(separator: ".")
    }
}
