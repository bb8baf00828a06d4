import Catalog
import CatalogReader
import Checks
import ContractFiles
import Contracts
import Foundation
import Postgres
import Preview
import WatchModel

/// Runs a migration inside a transaction on a writable session, snapshots inside it, and always
/// rolls back. Shared by `contractwatch preview`, the dashboard's `p` and its Migrations screen
/// (those two always on a `ScratchCopy`).
///
/// The rollback is enforced by the server, not by the statement scanner: each statement runs
/// through `DO … EXECUTE` inside our transaction block, where PostgreSQL refuses every way to end
/// the transaction (COMMIT, ROLLBACK, COMMIT AND CHAIN, PREPARE TRANSACTION, a procedure or DO
/// block that commits). After the rollback the transaction's status is read back from the
/// server: preview says "rolled back" only when PostgreSQL says it was aborted.
public enum MigrationPreview {
    public enum Failure: Error, CustomStringConvertible {
        /// The script cannot be previewed (transaction control, non-transactional commands).
        case refused([MigrationScript.Refusal])
        case empty
        case unreadable(String)
        /// The migration itself failed at a statement (1-based, of `count`, at a line of the
        /// script or of `file`); it was rolled back.
        case migrationFailed(PostgresError, statement: Int, count: Int, line: Int, file: String?)
        case database(PostgresError)
        /// PostgreSQL does not confirm that the preview's transaction was rolled back.
        case notRolledBack(String)

        public var description: String {
            switch self {
            case .refused(let refusals):
                "refusing to preview (nothing was run): " + refusals.map(\.description).joined(separator: "; ")
            case .empty: "the script has no SQL statements"
            case .unreadable(let path): "cannot read \(path)"
            case .migrationFailed(let error, let statement, let count, let line, let file):
                "the migration failed at statement \(statement) of \(count) "
                    + "(\(file.map { "\($0):\(line)" } ?? "line \(line)")), so nothing can be previewed (rolled back): "
                    + "\(error.message)" + (error.sqlState.map { " [SQLSTATE \($0)]" } ?? "")
                    + (error.detail.map { "; DETAIL: \($0)" } ?? "") + (error.hint.map { "; HINT: \($0)" } ?? "")
                    + (error.context.map { "; CONTEXT: \($0)" } ?? "")
            case .database(let error): error.description
            case .notRolledBack(let status):
                "PostgreSQL does not confirm that the preview was rolled back (its transaction is \(status)); "
                    + "check the database"
            }
        }

        /// Whether the transaction was rolled back (and the server said so) before this failure.
        public var rolledBack: Bool {
            if case .migrationFailed = self { return true }
            return false
        }
    }

    /// What a preview found, and whether the catalog was the same before and after it (read by
    /// a separate session: false when another session changed it meanwhile, or an effect
    /// PostgreSQL does not roll back did).
    public struct Run: Sendable {
        public var before: CheckResult
        public var after: CheckResult
        public var catalogUnchanged: Bool
        /// What each statement did (locks, rewrites, full-table reads, drops), observed in the
        /// preview's own transaction.
        public var effects: [StatementEffect] = []
        /// What of that would hurt on the target, with the target's sizes.
        public var hazards: [Hazard] = []
        /// Hazards a `-- contractwatch:ignore` comment accepted.
        public var suppressed: [SuppressedHazard] = []
        /// What the migration assumes about the target's data (not yet run: `runDataChecks`).
        public var dataChecks: [DataCheck] = []
        /// The statement (1-based) after which each violation the migration introduces appears
        /// and stays: its cause, by file and line.
        public var introducedBy: [ViolationID: Int] = [:]
        /// The statements that ran, with their files and lines.
        public var statements: [MigrationScript.Statement] = []
    }

    /// Every relation of the user schemas as the session sees it: storage file, sequential scans
    /// in this transaction, and size from the statistics (relpages × block size, reltuples).
    static let relationsQuery = """
        SELECT c.oid::pg_catalog.int8, n.nspname, c.relname, c.relkind::pg_catalog.text, c.relfilenode::pg_catalog.int8,
               pg_catalog.pg_stat_get_xact_numscans(c.oid),
               (c.relpages::pg_catalog.int8 * pg_catalog.current_setting('block_size')::pg_catalog.int8),
               c.reltuples::pg_catalog.float8
          FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p', 'm', 'i') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        """
    /// Every unique index's key columns by number, in order (one row per key column; an
    /// expression or a predicate makes it one that is not checked). Numbers, not names: a
    /// column the migration renamed has its old name on the target.
    static let uniqueIndexesQuery = """
        SELECT n.nspname, t.relname, ic.relname, i.indisprimary, k.ord, k.attnum::pg_catalog.int4,
               (i.indpred IS NOT NULL OR 0 OPERATOR(pg_catalog.=) ANY (i.indkey::pg_catalog.int2[]))
          FROM pg_catalog.pg_index i
          JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
          JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
          JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
         CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY AS k(attnum, ord)
         WHERE i.indisunique AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
         ORDER BY 1, 2, 3, 5
        """

    /// Unique indexes whose name did not exist before the migration, on tables that did.
    static func newUniqueIndexes(_ session: Connection, initial: [Int: RelationState]) throws(PostgresError)
        -> [DataCheck.NewUniqueIndex]
    {
        let existingIndexes = Set(initial.values.filter { $0.kind == "i" }.map(\.name))
        let rows = try session.query(uniqueIndexesQuery)
        var found: [QualifiedName: (table: QualifiedName, columns: [Int], primary: Bool, skip: Bool)] = [:]
        var order: [QualifiedName] = []
        for row in 0..<rows.rowCount {
            let schema = rows.string(row, 0) ?? ""
            let index = QualifiedName(schema: schema, name: rows.string(row, 2) ?? "")
            guard !existingIndexes.contains(index) else { continue }
            if found[index] == nil {
                order.append(index)
                found[index] = (
                    QualifiedName(schema: schema, name: rows.string(row, 1) ?? ""), [], rows.bool(row, 3) ?? false,
                    rows.bool(row, 6) ?? true
                )
            }
            if let column = rows.int(row, 5) { found[index]?.columns.append(column) }
        }
        return order.compactMap { found[$0] }.map {
            DataCheck.NewUniqueIndex(table: $0.table, columns: $0.skip ? [] : $0.columns, isPrimary: $0.primary)
        }
    }

    /// Runs `checks` on the target, read-only, each bounded by the settings' statement_timeout.
    public static func runDataChecks(_ checks: [DataCheck], settings: ConnectionSettings) -> [DataCheck] {
        var readOnly = settings
        readOnly.readOnly = true
        let connection: Connection
        do { connection = try Connection(readOnly) } catch {
            return checks.map { check in
                var check = check
                check.outcome = .unanswered(error.description)
                return check
            }
        }
        return checks.map { check in
            var check = check
            do throws(PostgresError) {
                check.outcome = try connection.query(check.sql).bool(0, 0) == true ? .found : .passed
            } catch {
                check.outcome = .unanswered(error.sqlState == "57014" ? "statement_timeout" : error.message)
            }
            return check
        }
    }

    static let locksQuery = """
        SELECT l.relation::pg_catalog.int8, l.mode FROM pg_catalog.pg_locks l
         WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted
        """
    /// Every foreign key, by table and name: those that existed before the migration are not
    /// new when a type change rebuilds them.
    static let foreignKeysQuery = """
        SELECT n.nspname, c.relname, con.conname
          FROM pg_catalog.pg_constraint con
          JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE con.contype = 'f'
        """

    static func foreignKeys(_ session: Connection) throws(PostgresError) -> Set<[String]> {
        let rows = try session.query(foreignKeysQuery)
        return Set((0..<rows.rowCount).map { row in (0..<3).map { rows.string(row, $0) ?? "" } })
    }

    /// Foreign keys this transaction created whose referencing columns no index leads with.
    static let unindexedForeignKeysQuery = """
        SELECT n.nspname, c.relname, con.conname
          FROM pg_catalog.pg_constraint con
          JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE con.contype = 'f'
           AND con.xmin::pg_catalog.text = (pg_catalog.txid_current() % 4294967296)::pg_catalog.text
           AND NOT EXISTS (
             SELECT 1 FROM pg_catalog.pg_index i
              WHERE i.indrelid = con.conrelid
                AND (pg_catalog.string_to_array(i.indkey::pg_catalog.text, ' ')::pg_catalog.int2[])
                      [1:pg_catalog.cardinality(con.conkey)] OPERATOR(pg_catalog.@>) con.conkey
                AND (pg_catalog.string_to_array(i.indkey::pg_catalog.text, ' ')::pg_catalog.int2[])
                      [1:pg_catalog.cardinality(con.conkey)] OPERATOR(pg_catalog.<@) con.conkey)
        """

    /// Only the relations this session holds a lock on: a statement can rewrite, scan, create or
    /// drop a relation only under a lock, held to the end of the transaction, so after each
    /// statement these are the only ones that can have moved (at 20,000 tables, reading every
    /// relation after each statement was most of an in-place preview's time).
    static let lockedRelationsQuery =
        relationsQuery + """

              AND c.oid IN (SELECT l.relation FROM pg_catalog.pg_locks l
                             WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation')
            """

    /// Whether this transaction wrote catalog rows that change how relations read without
    /// locking them: a schema renamed, a domain, enum or standalone type created, renamed or
    /// altered (a table's own row and array types do not count).
    static let wroteUnlockedCatalogRowsQuery = """
        SELECT EXISTS (
            SELECT 1 FROM pg_catalog.pg_namespace n
             WHERE n.xmin::pg_catalog.text = (pg_catalog.txid_current() % 4294967296)::pg_catalog.text)
            OR EXISTS (
            SELECT 1 FROM pg_catalog.pg_type t
              LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
             WHERE t.xmin::pg_catalog.text = (pg_catalog.txid_current() % 4294967296)::pg_catalog.text
               AND t.typtype <> 'p' AND coalesce(c.relkind, 'c') = 'c'
               AND NOT (t.typcategory = 'A' AND EXISTS (
                   SELECT 1 FROM pg_catalog.pg_type e JOIN pg_catalog.pg_class ec ON ec.oid = e.typrelid
                    WHERE e.oid = t.typelem AND ec.relkind <> 'c')))
        """

    /// The names `oids` had before and have after (a renamed relation counts under both; a
    /// dropped one under its old name, a created one under its new).
    static func relationNames(
        _ oids: some Sequence<Int>, before: [Int: RelationState], after: [Int: RelationState]
    ) -> Set<String> {
        Set(oids.flatMap { [before[$0]?.name.name, after[$0]?.name.name].compactMap { $0 } })
    }

    static func relations(_ session: Connection, onlyLocked: Bool = false) throws(PostgresError) -> (
        [Int: RelationState], [QualifiedName: RelationSize]
    ) {
        let rows = try session.query(onlyLocked ? lockedRelationsQuery : relationsQuery)
        var states: [Int: RelationState] = [:]
        var sizes: [QualifiedName: RelationSize] = [:]
        for row in 0..<rows.rowCount {
            guard let oid = rows.int(row, 0), let schema = rows.string(row, 1), let name = rows.string(row, 2) else {
                continue
            }
            let qualified = QualifiedName(schema: schema, name: name)
            states[oid] = RelationState(
                oid: oid, name: qualified, kind: rows.string(row, 3) ?? "", fileNode: rows.int(row, 4) ?? 0,
                scans: rows.int(row, 5) ?? 0)
            sizes[qualified] = RelationSize(
                bytes: Int64(rows.int(row, 6) ?? 0), rows: Double(rows.string(row, 7) ?? "") ?? 0)
        }
        return (states, sizes)
    }

    static func locks(_ session: Connection) throws(PostgresError) -> Set<HeldLock> {
        let rows = try session.query(locksQuery)
        return Set(
            (0..<rows.rowCount).compactMap { row in
                rows.int(row, 0).flatMap { oid in rows.string(row, 1).map { HeldLock(oid: oid, mode: $0) } }
            })
    }

    /// Migration scripts larger than this are not read (a schema dump of a large database is
    /// tens of megabytes).
    public static let maximumScriptSize = 64 << 20

    /// Checks the script before anything runs.
    /// `standIns`: on a schema copy, the safe forms that run only outside a transaction
    /// (`CREATE INDEX CONCURRENTLY`…) run as their `transactionalStandIn`.
    public static func validate(_ sql: String, standIns: Bool = false) throws(Failure) -> MigrationScript {
        try validate(MigrationScript(sql), standIns: standIns)
    }

    /// Checks a script (of one file or several) before anything runs.
    public static func validate(_ script: MigrationScript, standIns: Bool = false) throws(Failure) -> MigrationScript {
        let refusals = script.refusals(allowingStandIns: standIns)
        if !refusals.isEmpty { throw .refused(refusals) }
        if script.statements.isEmpty { throw .empty }
        return script
    }

    /// The statement runs from a transaction-local setting, so its text is data all the way
    /// (never spliced into our SQL), and inside a DO block, where transaction control is an error.
    static let statementSetting = "contractwatch.migration_statement"
    static let guarded =
        "DO $contractwatch$ BEGIN EXECUTE pg_catalog.current_setting('\(statementSetting)'); END $contractwatch$"

    /// Before and after results of `sql` against `contracts`; the transaction is always rolled back.
    /// `sizes`: the sizes to report effects with, when the migration runs on a scratch copy
    /// (empty tables) of the database they were read from.
    public static func run(
        _ sql: String, contracts: ContractSet, settings: ConnectionSettings,
        sizes: [QualifiedName: RelationSize]? = nil, standIns: Bool = false
    ) throws(Failure) -> Run {
        try run(
            script: validate(sql, standIns: standIns), contracts: contracts, settings: settings, sizes: sizes,
            standIns: standIns)
    }

    /// Every relation's size and row estimate from the statistics of the database `settings`
    /// reaches (read-only).
    public static func sizes(_ settings: ConnectionSettings) throws(PostgresError) -> [QualifiedName: RelationSize] {
        var readOnly = settings
        readOnly.readOnly = true
        return try relations(Connection(readOnly)).1
    }

    /// The same for a script split but not screened: the tests run what the scanner would refuse,
    /// to show that the server refuses it too.
    public static func run(
        script: MigrationScript, contracts: ContractSet, settings: ConnectionSettings,
        sizes: [QualifiedName: RelationSize]? = nil, standIns: Bool = false
    ) throws(Failure) -> Run {
        var writable = settings
        writable.readOnly = false
        let session: Connection
        let observer: Connection
        let transaction: String
        let catalogBefore: String
        do {
            observer = try Connection(settings)
            catalogBefore = try CatalogFingerprint.fingerprint(observer)
            session = try Connection(writable)
            try session.execute(script: "BEGIN")
            transaction = try session.query("SELECT pg_catalog.txid_current()::text").string(0, 0) ?? ""
        } catch {
            throw .database(error)
        }
        let outcome = Result { () throws(Failure) -> Run in
            try runInTransaction(script, contracts: contracts, session: session, sizes: sizes, standIns: standIns)
        }
        try? session.execute(script: "ROLLBACK")
        try confirmRolledBack(transaction: transaction, observer: observer)
        var run = try outcome.get()
        let catalogAfter = (try? CatalogFingerprint.fingerprint(observer)) ?? ""
        run.catalogUnchanged = catalogAfter == catalogBefore
        return run
    }

    /// The server has the last word: the transaction must be aborted (not committed, not
    /// prepared, not still in progress), asked from a session that did not run it.
    static func confirmRolledBack(transaction: String, observer: Connection) throws(Failure) {
        let status: String
        do {
            status =
                try observer.query("SELECT pg_catalog.txid_status($1::pg_catalog.int8)", [transaction]).string(0, 0)
                ?? "unknown"
        } catch {
            throw .database(error)
        }
        guard status == "aborted" else { throw .notRolledBack(status) }
    }

    private static func runInTransaction(
        _ script: MigrationScript, contracts: ContractSet, session: Connection,
        sizes targetSizes: [QualifiedName: RelationSize]?, standIns: Bool
    ) throws(Failure) -> Run {
        do {
            let beforeSnapshot = try CatalogReader.snapshot(session)
            let before = Checker.check(contracts, against: beforeSnapshot)
            let (initial, measured) = try relations(session)
            let keysBefore = try foreignKeys(session)
            let sizes = targetSizes ?? measured
            var states = initial
            var held = try locks(session)
            var effects: [StatementEffect] = []
            let names = Set(contracts.contracts.map(\.table.name))
            var since = Dictionary(before.violations.map { ($0.id, 0) }, uniquingKeysWith: { first, _ in first })
            // Which contracted findings stand after each statement (only asked with several).
            var standingSnapshot =
                script.statements.count > 1 ? try CatalogReader.snapshot(session, names: names) : nil
            // One statement at a time, so a failure names its statement and line, and what each
            // one did can be read between them (locks, storage files, scans of this transaction).
            for (offset, statement) in script.statements.enumerated() {
                do {
                    _ = try session.query(
                        "SELECT pg_catalog.set_config($1, $2, true)",
                        [statementSetting, (standIns ? statement.transactionalStandIn : nil) ?? statement.sql])
                    try session.execute(script: guarded)
                } catch {
                    throw Failure.migrationFailed(
                        withoutWrapper(error, statement: statement.sql), statement: offset + 1,
                        count: script.statements.count, line: statement.line, file: statement.file)
                }
                // Which contracted findings stand after this statement: a violation's cause is
                // the statement after which it appears and stays.
                let nowHeld = try locks(session)
                let (touched, _) = try relations(session, onlyLocked: true)
                // Unlocked relations are as they were; a locked one no longer there was dropped.
                let lockedOids = Set(nowHeld.map(\.oid))
                let now = states.filter { !lockedOids.contains($0.key) }.merging(touched) { _, fresh in fresh }
                if var current = standingSnapshot {
                    // The contracted tables read again: those this statement may have changed
                    // (locked ones, by their old and new names), or all of them when it wrote
                    // catalog rows that change tables without locking them.
                    if try session.query(wroteUnlockedCatalogRowsQuery).string(0, 0) != "f" {
                        current = try CatalogReader.snapshot(session, names: names)
                    } else {
                        let moved = names.intersection(relationNames(lockedOids, before: states, after: now))
                        if !moved.isEmpty {
                            current = current.merging(try CatalogReader.snapshot(session, names: moved), names: moved)
                        }
                    }
                    standingSnapshot = current
                    let standing = Set(Checker.check(contracts, against: current).violations.map(\.id))
                    since = since.filter { standing.contains($0.key) }
                    for id in standing where since[id] == nil { since[id] = offset + 1 }
                }
                effects.append(
                    StatementEffect.observe(
                        statement: offset + 1, line: statement.line, text: statement.text, before: states, after: now,
                        locksBefore: held, locksAfter: nowHeld))
                states = now
                held = nowHeld
            }
            let keys = try session.query(unindexedForeignKeysQuery)
            let unindexed: [(table: QualifiedName, constraint: String, statement: Int)] = (0..<keys.rowCount).filter {
                row in !keysBefore.contains((0..<3).map { keys.string(row, $0) ?? "" }) // rebuilt, not new
            }.map { row in
                let table = QualifiedName(schema: keys.string(row, 0) ?? "", name: keys.string(row, 1) ?? "")
                let constraint = keys.string(row, 2) ?? ""
                // The statement that added it: the one naming it, else one adding a foreign key
                // that names its table, else any adding a foreign key.
                func addsForeignKey(_ statement: MigrationScript.Statement) -> Bool {
                    let upper = statement.sql.uppercased()
                    return upper.contains("REFERENCES") || upper.contains("FOREIGN KEY")
                }
                let index =
                    script.statements.firstIndex { $0.sql.contains(constraint) }
                    ?? script.statements.firstIndex { addsForeignKey($0) && $0.sql.contains(table.name) }
                    ?? script.statements.firstIndex(where: addsForeignKey) ?? 0
                return (table, constraint, index + 1)
            }
            // Only relations this transaction locked can read differently now, unless it wrote
            // catalog rows that change relations without locking them (then everything is read).
            let lockedNames = relationNames(held.map(\.oid), before: initial, after: states)
            let readEverything = try session.query(wroteUnlockedCatalogRowsQuery).string(0, 0) != "f"
            let afterSnapshot =
                readEverything
                ? try CatalogReader.snapshot(session)
                : beforeSnapshot.merging(try CatalogReader.snapshot(session, names: lockedNames), names: lockedNames)
            let after = Checker.check(contracts, against: afterSnapshot)
            let existingTables = Set(initial.values.filter { $0.kind == "r" || $0.kind == "p" }.map(\.name))
            let dataChecks = DataCheck.plan(
                before: beforeSnapshot, after: afterSnapshot,
                droppedTables: effects.flatMap(\.dropped).filter(existingTables.contains),
                newUniqueIndexes: try newUniqueIndexes(session, initial: initial), statements: script.statements)
            let hazards = HazardRules.evaluate(
                statements: script.statements, effects: effects,
                existing: Set(initial.values.map(\.name)), sizes: sizes, foreignKeysWithoutIndex: unindexed)
            let (kept, suppressed) = Suppression.apply(hazards, script: script)
            let impact = MigrationImpact(before: before, after: after)
            var introducedBy: [ViolationID: Int] = [:]
            for violation in impact.introduced {
                let statement = since[violation.id] ?? 0
                // Present before and changed value: the last statement is as good a guess as any.
                introducedBy[violation.id] = statement == 0 ? script.statements.count : statement
            }
            return Run(
                before: before, after: after, catalogUnchanged: false, effects: effects,
                hazards: kept.map { script.locate($0) },
                suppressed: suppressed.map {
                    SuppressedHazard(hazard: script.locate($0.hazard), suppression: $0.suppression)
                },
                dataChecks: dataChecks.map { script.locate($0) }, introducedBy: introducedBy,
                statements: script.statements)
        } catch let failure as Failure {
            throw failure
        } catch let error as PostgresError {
            throw .database(error)
        } catch {
            throw .unreadable("\(error)")
        }
    }

    /// The server's CONTEXT without the lines our DO … EXECUTE wrapper adds.
    static func withoutWrapper(_ error: PostgresError, statement: String) -> PostgresError {
        var cleaned = error
        // The statement itself is quoted whole (over several lines, if it has them).
        let context = (error.context ?? "").replacingOccurrences(of: "SQL statement \"\(statement)\"", with: "")
        let lines = context.split(separator: "\n").map(String.init).filter { line in
            !line.trimmingCharacters(in: .whitespaces).isEmpty && !line.contains("inline_code_block line 1 at EXECUTE")
        }
        cleaned.context = lines.isEmpty ? nil : lines.joined(separator: "; ")
        return cleaned
    }
}

extension Watcher {
    /// Previews a migration file off the UI thread and publishes the outcome in the status.
    public func preview(file path: String) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let outcome = Self.previewOutcome(
                path, settings: configuration.settings, contractsFolder: configuration.contractsFolder)
            // The screen shows the whole message; the log keeps it after the preview is cleared.
            if let error = outcome.error {
                log?.write("preview of \(path) failed: \(error)")
            } else {
                log?.write(
                    "preview of \(path): would break \(outcome.introduced.count), would fix \(outcome.fixed.count)")
            }
            publishPreview(outcome)
        }
    }

    static func previewOutcome(_ path: String, settings: ConnectionSettings, contractsFolder: String) -> PreviewOutcome
    {
        var outcome = PreviewOutcome(migration: path, at: Date(), introduced: [], fixed: [], error: nil)
        let data: [UInt8]
        switch ContractFolder.readFile(
            (path as NSString).expandingTildeInPath, limit: MigrationPreview.maximumScriptSize)
        {
        case .success(let read): data = read
        case .failure(let unreadable):
            outcome.error = "cannot read \(path): \(unreadable.reason)"
            return outcome
        }
        do {
            let contracts = try ContractFolder.load(contractsFolder)
            // On a schema copy, as `contractwatch preview` by default: the watched database is
            // never written or locked by the migration.
            let script = try MigrationPreview.validate(String(decoding: data, as: UTF8.self), standIns: true)
            let sizes = try MigrationPreview.sizes(settings)
            let copy = try ScratchCopy.make(from: settings)
            defer { copy.tearDown() }
            let run = try MigrationPreview.run(
                script: script, contracts: contracts, settings: copy.settings, sizes: sizes, standIns: true)
            let impact = MigrationImpact(before: run.before, after: run.after)
            outcome.introduced = impact.introduced
            outcome.fixed = impact.fixed
            outcome.hazards = run.hazards
        } catch let failure as MigrationPreview.Failure {
            outcome.error = failure.description
        } catch let failure as PostgresError {
            outcome.error = "cannot make a schema copy to preview on: \(failure.description)"
        } catch {
            outcome.error = "\(error)"
        }
        return outcome
    }
}
