import Foundation

/// The one error type of the Postgres layer.
///
/// `description` is what a person sees: it names what failed and where, and never contains a
/// password or the text of a query (messages are redacted against the connection's password).
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        let raw: String
        /// The server could not be reached (refused, no such host or socket, timed out).
        public static let connectionFailed = Kind(raw: "connection failed")
        /// The server answered but refused the login (password, pg_hba, unknown role).
        public static let authenticationFailed = Kind(raw: "authentication failed")
        /// The server answered, but has no database of that name.
        public static let databaseNotFound = Kind(raw: "database not found")
        /// The settings could not be parsed (bad conninfo string or URI).
        public static let invalidSettings = Kind(raw: "invalid connection settings")
        /// The connection broke while in use (server restart, network loss).
        public static let connectionLost = Kind(raw: "connection lost")
        /// A statement failed on the server; `sqlState` says why.
        public static let queryFailed = Kind(raw: "query failed")
        /// The statement was cancelled by `statement_timeout` or `lock_timeout`.
        public static let timeout = Kind(raw: "timed out")
        /// Stopped by us (`QueryCanceller`): the program is quitting.
        public static let cancelled = Kind(raw: "cancelled")
        /// A local helper (initdb, pg_ctl) failed.
        public static let localCluster = Kind(raw: "local cluster")
        public var description: String { raw }
    }

    public var kind: Kind
    /// The server's primary message, or libpq's, already redacted.
    public var message: String
    public var sqlState: String?
    public var detail: String?
    public var hint: String?
    /// The server's CONTEXT (which function or statement it was in). Not in `description`: it
    /// can quote SQL; `preview` shows it for the user's own migration.
    public var context: String?
    /// Where we tried to connect, e.g. `user@host:5432/db` (never a password).
    public var target: String?

    public init(
        kind: Kind, message: String, sqlState: String? = nil, detail: String? = nil,
        hint: String? = nil, context: String? = nil, target: String? = nil
    ) {
        self.context = context
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.target = target
    }

    public var description: String {
        var text = "\(kind)"
        if let target { text += " (\(target))" }
        text += ": \(message)"
        if let sqlState, kind != .connectionFailed { text += " [SQLSTATE \(sqlState)]" }
        if let detail { text += " (detail: \(detail))" }
        if let hint { text += " (hint: \(hint))" }
        return text
    }
}

extension PostgresError {
    /// Removes every secret (and anything shaped like a password) from `text` and squeezes
    /// libpq's multi-line messages into one line.
    public static func clean(_ text: String, redacting secrets: [String]) -> String {
        let lines = redact(text, secrets).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return lines.joined(separator: "; ")
    }

    /// `text` without any of `secrets`, or anything shaped like a password.
    static func redact(_ text: String, _ secrets: [String]) -> String {
        DSNSecrets.redact(text, secrets)
    }
}
