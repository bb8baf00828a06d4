import CLibPQ
import Catalog
import Foundation

/// One libpq connection. Not thread-safe by design: use it from one thread or serial queue.
///
/// Every session is read-only and bounded by default (see `ConnectionSettings`); only the
/// local-cluster helper and migration previews ask for a writable one.
public final class Connection {
    private let handle: OpaquePointer
    /// Passwords this connection may know (the DSN's, even unparsable, and PGPASSWORD's): no
    /// message of ours may contain them.
    private let secrets: [String]
    private let notices: NoticeSink
    public let settings: ConnectionSettings
    /// Hand this to another thread to stop the connection's work (see `QueryCanceller`).
    public let canceller: QueryCanceller

    /// Connects, blocking for at most `settings.connectTimeoutSeconds` per host tried.
    public init(_ settings: ConnectionSettings, onNotice: (@Sendable (String) -> Void)? = nil) throws(PostgresError) {
        self.settings = settings
        let known =
            DSNSecrets.passwords(in: settings.dsn)
            + [ProcessInfo.processInfo.environment["PGPASSWORD"]].compactMap { $0 }
        let parsed = try Self.parseUserSettings(settings.dsn, secrets: known)
        secrets = known + [parsed.password].compactMap { $0 }

        var pairs: [(String, String)] = []
        if let dsn = settings.dsn, !dsn.trimmingCharacters(in: .whitespaces).isEmpty {
            pairs.append(("dbname", dsn)) // expanded by libpq (expand_dbname = 1)
        }
        let userOptions = parsed.options ?? ProcessInfo.processInfo.environment["PGOPTIONS"]
        pairs.append(("options", settings.sessionOptions(appendingTo: userOptions)))
        pairs.append(("connect_timeout", String(settings.connectTimeoutSeconds)))
        pairs.append(("application_name", settings.applicationName))
        pairs.append(("client_encoding", "UTF8"))

        let keywords = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer {
            for pointer in keywords { free(pointer) }
            for pointer in values { free(pointer) }
        }
        var keywordPointers: [UnsafePointer<CChar>?] = keywords.map { UnsafePointer($0) } + [nil]
        var valuePointers: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        guard let connection = PQconnectdbParams(&keywordPointers, &valuePointers, 1) else {
            throw PostgresError(kind: .connectionFailed, message: "libpq could not allocate a connection")
        }
        if PQstatus(connection) != CONNECTION_OK {
            let error = Self.connectError(connection, secrets: secrets)
            PQfinish(connection)
            throw error
        }
        handle = connection
        canceller = QueryCanceller(connection)
        notices = NoticeSink(onNotice)
        PQsetNoticeReceiver(
            handle,
            { arg, result in
                guard let arg, let result else { return }
                let sink = Unmanaged<NoticeSink>.fromOpaque(arg).takeUnretainedValue()
                if let message = PQresultErrorMessage(result) {
                    sink.receive(String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines))
                }
            }, Unmanaged.passUnretained(notices).toOpaque())
    }

    deinit {
        PQfinish(handle)
    }

    /// Where this connection points (never a password).
    public var info: ServerInfo {
        ServerInfo(
            database: Self.text(PQdb(handle)),
            user: Self.text(PQuser(handle)),
            host: Self.text(PQhost(handle)),
            port: Self.text(PQport(handle)),
            serverVersion: Self.text(PQparameterStatus(handle, "server_version"))
        )
    }

    public var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The server's version as a number (150018 for 15.18), for queries that differ by version.
    public var serverVersionNumber: Int { Int(PQserverVersion(handle)) }

    /// Inside a transaction block (ours or a caller's, e.g. a migration preview): code that
    /// needs one must then join it, never COMMIT or ROLLBACK it.
    public var isInTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Reconnects with the same parameters (and so the same session options).
    public func reset() throws(PostgresError) {
        PQreset(handle)
        if PQstatus(handle) != CONNECTION_OK {
            throw Self.connectError(handle, secrets: secrets)
        }
    }

    /// Runs one statement with `$1…$n` parameters sent separately from the SQL text.
    /// Results are in text format.
    public func query(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> QueryResult {
        try send(sql, parameters)
        return try receive()
    }

    /// Sends one statement (as `query`) without waiting: the caller works while the server runs
    /// it, then collects the result with `receive()`. One statement in flight at a time.
    public func send(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) {
        if canceller.isCancelled { throw Self.cancelledError }
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { for pointer in copies { free(pointer) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        let sent = pointers.withUnsafeBufferPointer { buffer in
            PQsendQueryParams(handle, sql, Int32(parameters.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        if sent != 1 { throw Self.lostError(handle, secrets: secrets) }
    }

    /// Waits for the result of the statement `send` sent.
    public func receive() throws(PostgresError) -> QueryResult {
        // One result per statement, then NULL; an error result is the one to report.
        var kept: OpaquePointer?
        while true {
            // Per statement of a script: each answer restarts the clock.
            let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(settings.answerDeadlineSeconds * 1e9)
            do {
                try waitUntilReadable(deadline: deadline)
            } catch {
                if let kept { PQclear(kept) }
                throw error
            }
            guard let result = PQgetResult(handle) else { break }
            if let previous = kept, PQresultStatus(previous) == PGRES_FATAL_ERROR {
                PQclear(result)
            } else {
                if let previous = kept { PQclear(previous) }
                kept = result
            }
        }
        return try check(kept)
    }

    /// Runs a script of one or more statements (simple query protocol, no parameters).
    /// For loading fixtures and demo schemas; never used with user-supplied identifiers.
    public func execute(script: String) throws(PostgresError) {
        if canceller.isCancelled { throw Self.cancelledError }
        // As PQexec, but under the answer deadline: an error stops the script at the failing
        // statement and is the result reported.
        if PQsendQuery(handle, script) != 1 { throw Self.lostError(handle, secrets: secrets) }
        _ = try receive()
    }

    /// What a cancelled connection or program run throws (`QueryCanceller`, `Cancellation`).
    public static let cancelledError = PostgresError(
        kind: .cancelled, message: "cancelled: the program is stopping")

    /// Waits until libpq can hand out the next result without blocking, at most until
    /// `deadline` (uptime nanoseconds). Past it the connection is dropped: the caller connects
    /// afresh, and the backend, when it runs again, finds its client gone and stops.
    private func waitUntilReadable(deadline: UInt64) throws(PostgresError) {
        while PQisBusy(handle) == 1 {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else {
                shutdown(PQsocket(handle), Int32(SHUT_RDWR))
                throw PostgresError(
                    kind: .timeout,
                    message:
                        "no answer from the server within \(Int(settings.answerDeadlineSeconds)) s "
                        + "(statement_timeout + \(Int(settings.answerGraceSeconds)) s); the connection was "
                        + "dropped (is the server frozen, or the network down?)",
                    target: Self.target(handle)
                )
            }
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(1_000, (deadline - now) / 1_000_000 + 1))
            if poll(&descriptor, 1, milliseconds) < 0, errno != EINTR { throw Self.lostError(handle, secrets: secrets) }
            if PQconsumeInput(handle) == 0 { throw Self.lostError(handle, secrets: secrets) }
        }
    }

    private func check(_ result: OpaquePointer?) throws(PostgresError) -> QueryResult {
        guard let result else {
            throw Self.lostError(handle, secrets: secrets)
        }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return QueryResult(result)
        default:
            defer { PQclear(result) }
            throw Self.queryError(result, connection: handle, secrets: secrets)
        }
    }

    // MARK: - Errors

    private static func text(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    static func target(_ connection: OpaquePointer) -> String {
        let host = text(PQhost(connection))
        let shownHost = host.isEmpty ? "default" : (host.hasPrefix("/") ? "socket \(host)" : host)
        return "\(text(PQuser(connection)))@\(shownHost):\(text(PQport(connection)))/\(text(PQdb(connection)))"
    }

    static func connectError(_ connection: OpaquePointer, secrets: [String]) -> PostgresError {
        let raw = text(PQerrorMessage(connection))
        var message = PostgresError.clean(raw, redacting: secrets)
        // libpq prefixes "connection to server at … failed: "; the target is reported separately.
        if let range = message.range(of: " failed: ") { message = String(message[range.upperBound...]) }
        // A FATAL from the server means it was reached and refused us: an unknown database, or
        // the login (password, role, pg_hba). A server starting up or out of connections was
        // reached too, but may take us soon: that is a connection failure (retried).
        let refusedByServer = raw.contains("FATAL:")
        message = message.replacingOccurrences(of: "FATAL:  ", with: "")
        let kind: PostgresError.Kind
        if !refusedByServer {
            kind = .connectionFailed
        } else if message.hasPrefix("database \""), message.contains("\" does not exist") {
            kind = .databaseNotFound
        } else if message.contains("the database system is") || message.contains("too many clients")
            || message.contains("remaining connection slots")
        {
            kind = .connectionFailed
        } else {
            kind = .authenticationFailed
        }
        return PostgresError(
            kind: kind,
            message: message,
            target: target(connection)
        )
    }

    private static func lostError(_ connection: OpaquePointer, secrets: [String]) -> PostgresError {
        PostgresError(
            kind: .connectionLost,
            message: PostgresError.clean(text(PQerrorMessage(connection)), redacting: secrets),
            target: target(connection)
        )
    }

    private static func queryError(_ result: OpaquePointer, connection: OpaquePointer, secrets: [String])
        -> PostgresError
    {
        func field(_ code: Int32) -> String? {
            PQresultErrorField(result, code).map { PostgresError.clean(String(cString: $0), redacting: secrets) }
        }
        let sqlState = field(Int32(cw_PG_DIAG_SQLSTATE))
        let message =
            field(Int32(cw_PG_DIAG_MESSAGE_PRIMARY))
            ?? PostgresError.clean(text(PQresultErrorMessage(result)), redacting: secrets)
        var kind = PostgresError.Kind.queryFailed
        if PQstatus(connection) != CONNECTION_OK || sqlState?.hasPrefix("08") == true
            || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03"
        {
            kind = .connectionLost
        } else if sqlState == "57014" || sqlState == "55P03" {
            kind = .timeout
        }
        return PostgresError(
            kind: kind,
            message: message.isEmpty ? "the server closed the connection" : message,
            sqlState: sqlState,
            detail: field(Int32(cw_PG_DIAG_MESSAGE_DETAIL)),
            hint: field(Int32(cw_PG_DIAG_MESSAGE_HINT)),
            // Lines kept: a caller may drop the lines its own wrapper added.
            context: PQresultErrorField(result, Int32(cw_PG_DIAG_CONTEXT)).map {
                PostgresError.redact(String(cString: $0), secrets)
            },
            target: target(connection)
        )
    }

    /// Whether libpq can parse `dsn` (nil: libpq's defaults). A DSN that cannot parse never will:
    /// callers stop with this error rather than retry. The message never holds the password.
    public static func validate(dsn: String?) throws(PostgresError) {
        _ = try parseUserSettings(dsn, secrets: DSNSecrets.passwords(in: dsn))
    }

    /// The parts of the user's settings we must merge with rather than override.
    private static func parseUserSettings(_ dsn: String?, secrets: [String]) throws(PostgresError) -> (
        options: String?, password: String?
    ) {
        guard let dsn, !dsn.trimmingCharacters(in: .whitespaces).isEmpty else { return (nil, nil) }
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(dsn, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "could not parse the connection string"
            if let errorMessage { PQfreemem(errorMessage) }
            // libpq's parse errors quote the DSN (a URI whole), password and all.
            throw PostgresError(
                kind: .invalidSettings,
                message: PostgresError.clean(message, redacting: secrets)
                    + " (expected `key=value …` or `postgresql://user@host:port/dbname`)"
            )
        }
        defer { PQconninfoFree(parsed) }
        var options: String?
        var password: String?
        var option = parsed
        while let keyword = option.pointee.keyword {
            let name = String(cString: keyword)
            if let value = option.pointee.val {
                if name == "options" { options = String(cString: value) }
                if name == "password" { password = String(cString: value) }
            }
            option += 1
        }
        return (options, password)
    }

    /// The `PG*` environment that makes a libpq client program (pg_dump) reach the server `dsn`
    /// names: each parsed setting under libpq's own variable name, so nothing (the password
    /// least of all) appears on a command line that `ps` shows. Nil `dsn`: libpq's defaults.
    public static func clientEnvironment(dsn: String?) throws(PostgresError) -> [String: String] {
        var environment: [String: String] = [:]
        guard let dsn, !dsn.trimmingCharacters(in: .whitespaces).isEmpty else { return environment }
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(dsn, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            try validate(dsn: dsn) // throws the parse error, without the password
            return environment
        }
        defer { PQconninfoFree(parsed) }
        var option = parsed
        while option.pointee.keyword != nil {
            if let value = option.pointee.val, let variable = option.pointee.envvar {
                environment[String(cString: variable)] = String(cString: value)
            }
            option += 1
        }
        return environment
    }

    /// Quotes an identifier for the rare SQL we build ourselves (CREATE DATABASE in tests).
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Receives libpq notices so libpq never prints them to stderr (which would corrupt a curses
/// screen); forwards them to the owner's handler, if any.
private final class NoticeSink {
    let handler: (@Sendable (String) -> Void)?
    init(_ handler: (@Sendable (String) -> Void)?) { self.handler = handler }
    func receive(_ message: String) { handler?(message) }
}
