import Catalog
import Foundation
import Postgres

/// A private copy of a database's schema, without its data, in a throwaway PostgreSQL server
/// of the same major version: `preview` runs a migration there, so the target is never written
/// and never locked by the migration (the only locks on it are the ACCESS SHARE locks pg_dump
/// takes while it reads the schema, which block nothing but ACCESS EXCLUSIVE DDL, and which it
/// gives up after `lockWaitMilliseconds` rather than queue behind a migration).
///
/// The schema comes from the target's own pg_dump (`--schema-only`, no owners, no privileges),
/// the roles from `pg_dumpall --roles-only --no-role-passwords` (so GRANTs in a migration still
/// name existing roles). Both run with the connection settings in their environment, never on
/// their command line. `tearDown()` stops the server and removes every file.
public final class ScratchCopy: Sendable {
    public let cluster: LocalCluster
    /// The copy, under the target's database name.
    public let settings: ConnectionSettings
    public let database: String
    public let serverVersion: String
    /// Statements of the dump the copy could not restore (an extension not installed here, a
    /// tablespace): the migration may then fail or differ where it depends on them.
    public let restoreErrors: [String]
    public let seconds: Double

    public static let lockWaitMilliseconds = 5_000

    private init(
        cluster: LocalCluster, settings: ConnectionSettings, database: String, serverVersion: String,
        restoreErrors: [String], seconds: Double
    ) {
        self.cluster = cluster
        self.settings = settings
        self.database = database
        self.serverVersion = serverVersion
        self.restoreErrors = restoreErrors
        self.seconds = seconds
    }

    /// Copies the schema of the database `target` reaches. Throws with a reason a person can
    /// act on (no server programs of that version here, pg_dump refused). `cancellation` stops
    /// the programs it runs (the copy's server is then stopped and removed).
    public static func make(from target: ConnectionSettings, cancellation: Cancellation? = nil) throws(PostgresError)
        -> ScratchCopy
    {
        let started = Date()
        var readOnly = target
        readOnly.readOnly = true
        let source = try Connection(readOnly)
        let versionNumber = Int(try source.query("SHOW server_version_num").string(0, 0) ?? "") ?? 0
        let serverVersion = try source.query("SHOW server_version").string(0, 0) ?? ""
        let database = try source.query("SELECT pg_catalog.current_database()").string(0, 0) ?? "postgres"
        let locks = try source.query(
            """
            SELECT (SELECT pg_catalog.count(*) FROM pg_catalog.pg_class c
                      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relkind IN ('r', 'p', 'f') AND n.nspname !~ '^pg_'
                       AND n.nspname <> 'information_schema'),
                   pg_catalog.current_setting('max_locks_per_transaction')::int,
                   pg_catalog.current_setting('max_connections')::int,
                   pg_catalog.current_setting('max_prepared_transactions')::int
            """)
        let capacity = LockCapacity(
            tables: locks.int(0, 0) ?? 0, perTransaction: locks.int(0, 1) ?? 0, connections: locks.int(0, 2) ?? 0,
            prepared: locks.int(0, 3) ?? 0)
        if let problem = capacity.problem(failedWith: nil) {
            throw PostgresError(kind: .localCluster, message: problem)
        }
        let cluster = try LocalCluster.start(port: 5432, major: versionNumber / 10_000, cancellation: cancellation)
        do throws(PostgresError) {
            let environment = try clientEnvironment(target)
            let schema = cluster.directory + "/schema.sql"
            let roles = cluster.directory + "/roles.sql"
            try runClient(
                cluster, "pg_dumpall",
                ["--roles-only", "--no-role-passwords", "-l", database, "-f", roles],
                environment: environment, what: "reading the roles", cancellation: cancellation)
            do throws(PostgresError) {
                try runClient(
                    cluster, "pg_dump",
                    [
                        "--schema-only", "--no-owner", "--no-privileges", "--no-tablespaces", "--no-publications",
                        "--no-subscriptions", "--no-security-labels", "--lock-wait-timeout=\(lockWaitMilliseconds)",
                        "-f", schema,
                    ], environment: environment, what: "reading the schema", cancellation: cancellation)
            } catch {
                // Other sessions' locks share the table: near its size pg_dump can still run out.
                guard let problem = capacity.problem(failedWith: error.message) else { throw error }
                throw PostgresError(kind: .localCluster, message: problem)
            }
            if database != "postgres" { _ = try cluster.createDatabase(database) }
            // Roles that exist here already (the superuser) fail harmlessly: not counted.
            _ = try restore(cluster, roles, database: "postgres", cancellation: cancellation)
            let errors = try restore(cluster, schema, database: database, cancellation: cancellation)
            var copy = target
            copy.dsn = cluster.connectionString(database: database)
            return ScratchCopy(
                cluster: cluster, settings: copy, database: database, serverVersion: serverVersion,
                restoreErrors: errors, seconds: Date().timeIntervalSince(started))
        } catch {
            cluster.stop()
            throw error
        }
    }

    /// pg_dump locks every table it dumps (ACCESS SHARE, until it ends), and a server's lock table
    /// holds `max_locks_per_transaction` × (`max_connections` + `max_prepared_transactions`)
    /// locks, shared by every session: a catalog larger than that cannot be copied this way.
    public struct LockCapacity: Sendable, Equatable {
        public var tables: Int
        public var perTransaction: Int
        public var connections: Int
        public var prepared: Int

        public init(tables: Int, perTransaction: Int, connections: Int, prepared: Int) {
            self.tables = tables
            self.perTransaction = perTransaction
            self.connections = connections
            self.prepared = prepared
        }

        public var slots: Int { perTransaction * (connections + prepared) }

        /// What to tell the user when the copy cannot be made for lack of lock slots: before
        /// trying (`failedWith` nil: more tables than slots), or after pg_dump failed with the
        /// server's "out of shared memory". nil when the lock table is not the problem.
        public func problem(failedWith message: String?) -> String? {
            if let message {
                guard message.contains("out of shared memory") || message.contains("max_locks_per_transaction")
                else { return nil }
            } else if tables <= slots {
                return nil
            }
            let needed = (tables + connections + prepared - 1) / max(connections + prepared, 1)
            return
                "pg_dump locks every table (\(tables) here) and the server's lock "
                + "table holds \(slots) locks for all sessions together (max_locks_per_transaction \(perTransaction)"
                + " × (max_connections \(connections) + max_prepared_transactions \(prepared))"
                + (message == nil ? "" : ", some held by other sessions") + "). Raise max_locks_per_transaction "
                + "to at least \(max(needed + needed / 4, perTransaction + 1)) on the server (it takes a restart), "
                + "or preview with --in-place (one transaction on the target, always rolled back)."
        }
    }

    /// Stops the server and removes its folder (also done at exit if this is never called).
    public func tearDown() { cluster.stop() }

    /// The child's environment: only what libpq and the locale need, plus the target's settings.
    static func clientEnvironment(_ target: ConnectionSettings) throws(PostgresError) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment.filter {
            $0.key.hasPrefix("PG") || ["HOME", "PATH", "LANG", "LC_ALL", "USER"].contains($0.key)
        }
        var environment = inherited.merging(try Connection.clientEnvironment(dsn: target.dsn)) { _, parsed in parsed }
        environment["PGCONNECT_TIMEOUT"] = String(target.connectTimeoutSeconds)
        environment["PGAPPNAME"] = "contractwatch preview (schema copy)"
        // The dump's own session: read-only, and bounded like ours.
        environment["PGOPTIONS"] =
            (environment["PGOPTIONS"].map { $0 + " " } ?? "")
            + "-c default_transaction_read_only=on -c statement_timeout=\(target.statementTimeoutMilliseconds)"
        return environment
    }

    private static func runClient(
        _ cluster: LocalCluster, _ tool: String, _ arguments: [String], environment: [String: String], what: String,
        cancellation: Cancellation?
    ) throws(PostgresError) {
        let errorPath = cluster.directory + "/\(tool).err"
        let status: Int32
        do {
            status = try ChildProcess.run(
                [cluster.clientTool(tool)] + arguments, environment: environment, stdoutPath: "/dev/null",
                stderrPath: errorPath, cancellation: cancellation)
        } catch {
            try cancellation?.check()
            throw PostgresError(kind: .localCluster, message: "\(tool): \(error.description)")
        }
        try cancellation?.check()
        guard status == 0 else {
            let said = ((try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
                .split(separator: "\n").suffix(3).joined(separator: " | ")
            throw PostgresError(
                kind: .localCluster,
                message: "\(tool) failed \(what) (exit \(status)): "
                    + PostgresError.clean(said, redacting: [environment["PGPASSWORD"]].compactMap { $0 }))
        }
    }

    /// Runs a dump through psql with errors allowed; returns the error lines.
    private static func restore(
        _ cluster: LocalCluster, _ path: String, database: String, cancellation: Cancellation?
    ) throws(PostgresError) -> [String] {
        let output = path + ".restore"
        let status: Int32
        do {
            status = try ChildProcess.run(
                [
                    cluster.clientTool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=0", "-d",
                    cluster.connectionString(database: database), "-f", path,
                ],
                environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PGOPTIONS": "-c client_min_messages=error"],
                stdoutPath: "/dev/null", stderrPath: output, cancellation: cancellation)
        } catch {
            try cancellation?.check()
            throw PostgresError(kind: .localCluster, message: "psql: \(error.description)")
        }
        try cancellation?.check()
        let said = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw PostgresError(
                kind: .localCluster,
                message: "psql could not restore the schema copy (exit \(status)): "
                    + said.split(separator: "\n").suffix(3).joined(separator: " | "))
        }
        return said.split(separator: "\n").compactMap { line in
            line.range(of: "ERROR:").map { String(line[$0.lowerBound...]) }
        }
    }
}
