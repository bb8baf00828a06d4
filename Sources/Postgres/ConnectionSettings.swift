import Foundation

/// How to reach a server and how the session is bounded.
///
/// The address follows libpq: `dsn` is a conninfo string (`host=… dbname=…`) or a
/// `postgresql://` URI; when it is nil, libpq's defaults apply (`PG*` variables, `~/.pgpass`,
/// service files). The session limits are sent as connection options, so a reconnect keeps them.
public struct ConnectionSettings: Sendable, Equatable {
    public var dsn: String?
    /// `default_transaction_read_only=on`: every monitoring session is read-only.
    public var readOnly: Bool
    public var connectTimeoutSeconds: Int
    public var statementTimeoutMilliseconds: Int
    /// Bounds how long a catalog query may wait behind a migration's lock.
    public var lockTimeoutMilliseconds: Int
    public var applicationName: String
    /// How long past `statement_timeout` the client waits for an answer before it gives up on
    /// the connection: a frozen backend or a network black hole never answers, and the server's
    /// own timeout cannot fire in a process that does not run.
    public var answerGraceSeconds: Double = 10

    /// The client-side deadline for one answer.
    public var answerDeadlineSeconds: Double { Double(statementTimeoutMilliseconds) / 1000 + answerGraceSeconds }

    public init(
        dsn: String? = nil,
        readOnly: Bool = true,
        connectTimeoutSeconds: Int = 5,
        statementTimeoutMilliseconds: Int = 30_000,
        lockTimeoutMilliseconds: Int = 5_000,
        applicationName: String = "contractwatch"
    ) {
        self.dsn = dsn
        self.readOnly = readOnly
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        self.lockTimeoutMilliseconds = lockTimeoutMilliseconds
        self.applicationName = applicationName
    }

    /// Server options appended to whatever `options` the user set (in the DSN or `PGOPTIONS`).
    /// `jit=off`: JIT makes large catalog queries slower, never faster.
    public func sessionOptions(appendingTo userOptions: String?) -> String {
        var parts: [String] = []
        if let userOptions, !userOptions.isEmpty { parts.append(userOptions) }
        if readOnly { parts.append("-c default_transaction_read_only=on") }
        parts.append("-c statement_timeout=\(statementTimeoutMilliseconds)")
        parts.append("-c lock_timeout=\(lockTimeoutMilliseconds)")
        parts.append("-c idle_in_transaction_session_timeout=60000")
        parts.append("-c jit=off")
        return parts.joined(separator: " ")
    }
}
