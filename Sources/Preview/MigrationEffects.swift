import Catalog

/// One relation as the preview session sees it between two statements.
public struct RelationState: Sendable, Hashable {
    public var oid: Int
    public var name: QualifiedName
    /// pg_class.relkind: `r` table, `p` partitioned table, `i` index, `m` materialized view…
    public var kind: String
    /// pg_class.relfilenode: a new one means the storage was written anew (a rewrite).
    public var fileNode: Int
    /// Sequential scans of it in the preview's transaction (pg_stat_get_xact_numscans).
    public var scans: Int

    public init(oid: Int, name: QualifiedName, kind: String, fileNode: Int, scans: Int) {
        self.oid = oid
        self.name = name
        self.kind = kind
        self.fileNode = fileNode
        self.scans = scans
    }

    public var isTable: Bool { kind == "r" || kind == "p" || kind == "m" }
}

/// A lock the preview's session holds on a relation (pg_locks: granted, relation locktype).
public struct HeldLock: Sendable, Hashable {
    public var oid: Int
    public var mode: String

    public init(oid: Int, mode: String) {
        self.oid = oid
        self.mode = mode
    }

    /// Whether the lock keeps other sessions from writing (SHARE and above) or from reading too
    /// (ACCESS EXCLUSIVE).
    public var blocksWrites: Bool {
        ["ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"].contains(mode)
    }
    public var blocksReads: Bool { mode == "AccessExclusiveLock" }

    /// PostgreSQL's table lock modes, weakest first.
    static let order = [
        "AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock",
        "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock",
    ]
    public var strength: Int { Self.order.firstIndex(of: mode) ?? -1 }

    /// `ACCESS EXCLUSIVE`, as PostgreSQL's documentation writes the mode.
    public var spelled: String {
        let words = mode.replacingOccurrences(of: "Lock", with: "")
            .reduce(into: "") { text, character in
                if character.isUppercase, !text.isEmpty { text += " " }
                text.append(character)
            }
        return words.uppercased()
    }
}

/// How big a relation is on the target, from its statistics.
public struct RelationSize: Sendable, Hashable {
    public var bytes: Int64
    /// pg_class.reltuples: an estimate (−1 or 0 when never analyzed).
    public var rows: Double

    public init(bytes: Int64, rows: Double) {
        self.bytes = bytes
        self.rows = rows
    }

    /// `1.2 GB, ~3.4M rows`
    public var description: String {
        let units = ["bytes", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let size =
            unit == 0
            ? "\(bytes) bytes"
            : (value < 10 ? "\((value * 10).rounded() / 10)" : "\(Int(value.rounded()))") + " " + units[unit]
        guard rows > 0 else { return size + ", no row estimate (never analyzed)" }
        let count: String
        switch rows {
        case 1_000_000...: count = "\((rows / 100_000).rounded() / 10)M"
        case 1_000...: count = "\((rows / 100).rounded() / 10)k"
        default: count = "\(Int(rows))"
        }
        return size + ", ~\(count) rows"
    }
}

/// What one statement did, observed in the preview's transaction.
public struct StatementEffect: Sendable, Hashable {
    public var statement: Int
    public var line: Int
    public var text: String
    /// Locks it took (new since the statement before), by relation.
    public var locks: [(relation: QualifiedName, lock: HeldLock)]
    /// Tables whose storage it wrote anew.
    public var rewritten: [QualifiedName]
    /// Tables it read whole without rewriting them (a validation, an index build).
    public var scanned: [QualifiedName]
    /// Relations that existed before it and are gone after it.
    public var dropped: [QualifiedName]
    /// The strongest lock the transaction holds on each relation once it ran (locks last until
    /// the end of the transaction: what a statement runs under includes earlier ones).
    public var held: [QualifiedName: HeldLock] = [:]

    public init(
        statement: Int, line: Int, text: String, locks: [(relation: QualifiedName, lock: HeldLock)],
        rewritten: [QualifiedName], scanned: [QualifiedName], dropped: [QualifiedName],
        held: [QualifiedName: HeldLock] = [:]
    ) {
        self.statement = statement
        self.line = line
        self.text = text
        self.locks = locks
        self.rewritten = rewritten
        self.scanned = scanned
        self.dropped = dropped
        self.held = held
    }

    public static func == (lhs: StatementEffect, rhs: StatementEffect) -> Bool {
        lhs.statement == rhs.statement && lhs.rewritten == rhs.rewritten && lhs.scanned == rhs.scanned
            && lhs.dropped == rhs.dropped && lhs.locks.map(\.relation) == rhs.locks.map(\.relation)
            && lhs.locks.map(\.lock) == rhs.locks.map(\.lock)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(statement)
        hasher.combine(rewritten)
    }

    /// Compares the session's view before and after the statement.
    public static func observe(
        statement: Int, line: Int, text: String, before: [Int: RelationState], after: [Int: RelationState],
        locksBefore: Set<HeldLock>, locksAfter: Set<HeldLock>
    ) -> StatementEffect {
        func name(_ oid: Int) -> QualifiedName? { after[oid]?.name ?? before[oid]?.name }
        let locks = locksAfter.subtracting(locksBefore).compactMap { lock in
            name(lock.oid).map { (relation: $0, lock: lock) }
        }.sorted { ($0.relation, $0.lock.mode) < ($1.relation, $1.lock.mode) }
        var rewritten: [QualifiedName] = []
        var scanned: [QualifiedName] = []
        for (oid, old) in before where old.isTable {
            guard let new = after[oid] else { continue }
            if new.fileNode != old.fileNode {
                rewritten.append(new.name)
            } else if new.scans > old.scans {
                scanned.append(new.name)
            }
        }
        let dropped = before.filter { after[$0.key] == nil && $0.value.kind != "i" }.map(\.value.name)
        var held: [QualifiedName: HeldLock] = [:]
        for lock in locksAfter {
            guard let relation = name(lock.oid) else { continue }
            if (held[relation]?.strength ?? -1) < lock.strength { held[relation] = lock }
        }
        return StatementEffect(
            statement: statement, line: line, text: text, locks: locks, rewritten: rewritten.sorted(),
            scanned: scanned.sorted(), dropped: dropped.sorted(), held: held)
    }
}

/// A migration hazard with a stable code (README, "Migration hazards"), where it happens, why,
/// and the safer way.
public struct Hazard: Sendable, Hashable {
    public enum Code: String, Sendable, CaseIterable {
        case rewrite = "CW101"
        case validationScan = "CW102"
        case blockingIndex = "CW103"
        case noLockTimeout = "CW104"
        case destructive = "CW105"
        case rename = "CW106"
        case unindexedForeignKey = "CW107"

        public var title: String {
            switch self {
            case .rewrite: "table rewrite"
            case .validationScan: "full-table validation under a blocking lock"
            case .blockingIndex: "index built without CONCURRENTLY"
            case .noLockTimeout: "blocking lock without lock_timeout"
            case .destructive: "drops a table or column"
            case .rename: "renames a table or column"
            case .unindexedForeignKey: "foreign key without an index on its columns"
            }
        }

        public var recipe: String {
            switch self {
            case .rewrite:
                "add a new column of the new type, backfill it in batches, then switch readers and drop the old "
                    + "one (varchar(n) → varchar(m > n) or → text needs no rewrite)"
            case .validationScan:
                "add the rule as a CHECK … NOT VALID (or the foreign key NOT VALID), then VALIDATE CONSTRAINT in a "
                    + "later transaction (it takes a lock that lets writes through); SET NOT NULL then uses the "
                    + "validated CHECK without a scan"
            case .blockingIndex:
                "CREATE INDEX CONCURRENTLY, outside a transaction (it lets writes through while it builds)"
            case .noLockTimeout:
                "SET lock_timeout = '2s' (and statement_timeout) at the top of the script, and retry: a lock "
                    + "that waits behind a long transaction blocks every query queued after it"
            case .destructive:
                "stop every reader and writer first (deploy that code), then drop in a later migration; keep a "
                    + "backup of the data"
            case .rename:
                "add the new name beside the old one (a column, or a view for a table), move the clients, then "
                    + "drop the old name"
            case .unindexedForeignKey:
                "CREATE INDEX CONCURRENTLY on the referencing columns: without it every delete or key update in "
                    + "the referenced table scans this one"
            }
        }
    }

    public var code: Code
    public var statement: Int
    public var line: Int
    public var relation: QualifiedName?
    /// What was observed, with the relation's size on the target.
    public var detail: String
    /// The migration file of the statement, when several are previewed together.
    public var file: String? = nil

    /// "line 3", or "V7__split.sql:3" when it names its file.
    public var location: String { file.map { "\($0):\(line)" } ?? "line \(line)" }

    public init(code: Code, statement: Int, line: Int, relation: QualifiedName?, detail: String) {
        self.code = code
        self.statement = statement
        self.line = line
        self.relation = relation
        self.detail = detail
    }
}

/// Turns observed effects into hazards. Pure: the tests feed it effects directly.
public enum HazardRules {
    /// The table an `ALTER TABLE` names, resolved among the existing relations (as PostgreSQL
    /// folds an unquoted name; a schema-less name must be unique).
    static func alteredTable(_ statement: MigrationScript.Statement?, existing: Set<QualifiedName>) -> QualifiedName? {
        guard let statement else { return nil }
        let words = statement.text.split(separator: " ").map(String.init)
        guard words.count > 2, words[0].uppercased() == "ALTER", words[1].uppercased() == "TABLE" else { return nil }
        var index = 2
        while index < words.count, ["IF", "EXISTS", "ONLY"].contains(words[index].uppercased()) { index += 1 }
        guard index < words.count else { return nil }
        func unquote(_ part: Substring) -> String {
            part.hasPrefix("\"") && part.hasSuffix("\"") && part.count >= 2
                ? String(part.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"") : part.lowercased()
        }
        let parts = words[index].split(separator: ".")
        if parts.count == 2 {
            let name = QualifiedName(schema: unquote(parts[0]), name: unquote(parts[1]))
            return existing.contains(name) ? name : nil
        }
        let wanted = unquote(parts.first ?? "")
        let matches = existing.filter { $0.name == wanted }
        return matches.count == 1 ? matches.first : matches.first { $0.schema == "public" }
    }

    /// `existing`: relations that were there before the migration (new ones block nobody);
    /// `sizes`: their size on the target; `foreignKeysWithoutIndex`: the foreign keys the script
    /// added whose referencing columns no index leads with (table, constraint, statement).
    public static func evaluate(
        statements: [MigrationScript.Statement], effects: [StatementEffect], existing: Set<QualifiedName>,
        sizes: [QualifiedName: RelationSize],
        foreignKeysWithoutIndex: [(table: QualifiedName, constraint: String, statement: Int)] = []
    ) -> [Hazard] {
        var hazards: [Hazard] = []
        func size(_ name: QualifiedName) -> String { sizes[name].map { " (\($0.description))" } ?? "" }
        var lockTimeoutSet = false
        var warnedLockTimeout = false
        for effect in effects {
            let statement = statements.indices.contains(effect.statement - 1) ? statements[effect.statement - 1] : nil
            let sql = statement?.sql.uppercased() ?? ""
            if statement?.keywords.first == "SET", sql.contains("LOCK_TIMEOUT") { lockTimeoutSet = true }
            let strongest = effect.held
            func lockText(_ name: QualifiedName) -> String {
                strongest[name].map { " under \($0.spelled)" } ?? ""
            }
            for table in effect.rewritten where existing.contains(table) {
                hazards.append(
                    Hazard(
                        code: .rewrite, statement: effect.statement, line: effect.line, relation: table,
                        detail: "rewrites \(table)\(size(table))\(lockText(table))"))
            }
            let buildsIndex =
                statement.map {
                    $0.keywords.starts(with: ["CREATE", "INDEX"]) || $0.keywords.starts(with: ["CREATE", "UNIQUE"])
                }
                ?? false
            // Validation scans come from ALTER (TABLE: a constraint, NOT NULL, a re-checked foreign
            // key; DOMAIN: a new constraint); CREATE TABLE … AS and data statements only read.
            let isAlter = (statement?.keywords.first ?? "ALTER") == "ALTER"
            var validated: [QualifiedName] = []
            for table in effect.scanned where existing.contains(table) {
                if buildsIndex {
                    if !(statement?.keywords.contains("CONCURRENTLY") ?? false) {
                        hazards.append(
                            Hazard(
                                code: .blockingIndex, statement: effect.statement, line: effect.line, relation: table,
                                detail:
                                    "builds an index on \(table)\(size(table))\(lockText(table)): "
                                    + "writes wait until it is built"
                            ))
                    }
                } else if isAlter, strongest[table]?.blocksWrites ?? true {
                    // A data statement's scan (INSERT … SELECT, UPDATE) validates nothing: under
                    // an earlier statement's lock it is that statement's cost, not a validation.
                    validated.append(table)
                }
            }
            // One hazard per statement, largest table first: a key's type change re-checks every
            // foreign key that references it, one scan per referencing table.
            validated.sort { (sizes[$0]?.bytes ?? 0, $1.description) > (sizes[$1]?.bytes ?? 0, $0.description) }
            if let largest = validated.first {
                let detail =
                    validated.count == 1
                    ? "reads all of \(largest)\(size(largest)) to validate\(lockText(largest))"
                    : "reads all of \(validated.count) tables to validate\(lockText(largest)): "
                        + validated.map { "\($0)\(size($0))" }.joined(separator: ", ")
                        + (effect.rewritten.isEmpty ? "" : " (the foreign keys that reference a changed column)")
                hazards.append(
                    Hazard(
                        code: .validationScan, statement: effect.statement, line: effect.line, relation: largest,
                        detail: detail))
            }
            // A CONCURRENTLY form (run here as its stand-in) lets writes through as written.
            let concurrent = statement?.keywords.contains("CONCURRENTLY") ?? false
            let blocking =
                concurrent ? nil : effect.locks.first { existing.contains($0.relation) && $0.lock.blocksWrites }
            if let blocking, !lockTimeoutSet, !warnedLockTimeout {
                warnedLockTimeout = true
                hazards.append(
                    Hazard(
                        code: .noLockTimeout, statement: effect.statement, line: effect.line,
                        relation: blocking.relation,
                        detail:
                            "takes \(blocking.lock.spelled) on \(blocking.relation) with no lock_timeout set before it")
                )
            }
            for gone in effect.dropped where existing.contains(gone) {
                hazards.append(
                    Hazard(
                        code: .destructive, statement: effect.statement, line: effect.line, relation: gone,
                        detail: "drops \(gone)\(size(gone))"))
            }
            let words = sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "," }).map(
                String.init)
            let table = Self.alteredTable(statement, existing: existing)
            if words.starts(with: ["ALTER", "TABLE"]) {
                let notColumns: Set<String> = ["CONSTRAINT", "DEFAULT", "NOT", "EXPRESSION", "IDENTITY"]
                let dropsColumn = words.indices.contains { index in
                    words[index] == "DROP" && index + 1 < words.count && !notColumns.contains(words[index + 1])
                }
                if dropsColumn {
                    hazards.append(
                        Hazard(
                            code: .destructive, statement: effect.statement, line: effect.line, relation: table,
                            detail: "drops a column" + (table.map { " of \($0)\(size($0))" } ?? "")))
                }
            }
            if words.first == "ALTER", let rename = words.firstIndex(of: "RENAME"), rename + 1 < words.count,
                words[rename + 1] != "CONSTRAINT"
            {
                let what = words[rename + 1] == "TO" ? "the relation" : "a column"
                hazards.append(
                    Hazard(
                        code: .rename, statement: effect.statement, line: effect.line, relation: table,
                        detail: "renames \(what)" + (table.map { " \(what == "a column" ? "of " : "")\($0)" } ?? "")
                            + ": clients that use the old name break"))
            }
        }
        for key in foreignKeysWithoutIndex {
            let line = statements.indices.contains(key.statement - 1) ? statements[key.statement - 1].line : 0
            hazards.append(
                Hazard(
                    code: .unindexedForeignKey, statement: key.statement, line: line, relation: key.table,
                    detail:
                        "foreign key \(key.constraint) on \(key.table)\(size(key.table)) has no index on its columns"))
        }
        return hazards.sorted { ($0.statement, $0.code.rawValue) < ($1.statement, $1.code.rawValue) }
    }
}
