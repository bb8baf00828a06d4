import Catalog
import Postgres

/// Who holds the locks that block reading the contracted tables' catalog rows (an ACCESS
/// EXCLUSIVE lock of a migration in progress conflicts with the ACCESS SHARE lock that
/// `pg_get_expr` and `pg_column_is_updatable` take).
public enum CatalogLocks {
    public struct Holder: Sendable, Hashable, CustomStringConvertible {
        public var pid: Int
        public var mode: String
        public var table: QualifiedName
        public var application: String?
        public var user: String?
        /// How long its transaction has been open, in seconds (nil when the server hides it).
        public var transactionSeconds: Int?
        public var state: String?

        /// `pid 4242 (psql, alice) holding AccessExclusiveLock on public.orders, in a transaction for 42 s (idle in
        /// transaction)`
        public var description: String {
            var text = "pid \(pid)"
            let who = [application.flatMap { $0.isEmpty ? nil : $0 }, user].compactMap { $0 }
            if !who.isEmpty { text += " (" + who.joined(separator: ", ") + ")" }
            text += " holding \(mode) on \(table)"
            if let transactionSeconds { text += ", in a transaction for \(transactionSeconds) s" }
            if let state, !state.isEmpty { text += " (\(state))" }
            return text
        }
    }

    /// Locks granted to other sessions on relations named in `names` that a reader must wait
    /// for, oldest transaction first. pg_locks takes no relation lock itself.
    public static func holders(_ connection: Connection, names: Set<String>) throws(PostgresError) -> [Holder] {
        let result = try connection.query(
            """
            SELECT l.pid, l.mode, n.nspname, c.relname, a.application_name, a.usename,
                   EXTRACT(epoch FROM pg_catalog.now() - a.xact_start)::int8, a.state
            FROM pg_catalog.pg_locks l
            JOIN pg_catalog.pg_class c ON c.oid = l.relation
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
            WHERE l.granted AND l.mode = 'AccessExclusiveLock' AND l.pid <> pg_catalog.pg_backend_pid()
              AND c.relname = ANY($1::text[])
            ORDER BY a.xact_start NULLS LAST, l.pid
            """, [CatalogReader.arrayLiteral(names.sorted())])
        return (0..<result.rowCount).map { row in
            Holder(
                pid: result.int(row, 0) ?? 0, mode: result.string(row, 1) ?? "",
                table: QualifiedName(schema: result.string(row, 2) ?? "", name: result.string(row, 3) ?? ""),
                application: result.string(row, 4), user: result.string(row, 5),
                transactionSeconds: result.int(row, 6), state: result.string(row, 7))
        }
    }
}
