import Foundation
import Postgres
import Testing

/// `QueryResult` reads values without asking libpq about NULL where a NULL cannot be mistaken
/// for a value: these pin down NULL against empty, zero, false and non-ASCII text.
struct QueryResultTests {
    @Test func nullIsTellableFromEmptyZeroAndFalse() throws {
        let connection = try Connection(ConnectionSettings(dsn: try freshDatabase()))
        let result = try connection.query(
            """
            SELECT NULL::text, ''::text, 'x'::text, 'é表 "q"'::text,
                   NULL::int, 0::int, -12::int8, 9223372036854775807::int8,
                   NULL::bool, true, false, 'not a number'::text
            """)
        #expect(result.string(0, 0) == nil)
        #expect(result.string(0, 1) == "")
        #expect(result.string(0, 2) == "x")
        #expect(result.string(0, 3) == "é表 \"q\"")
        #expect(result.int(0, 4) == nil)
        #expect(result.int(0, 5) == 0)
        #expect(result.int(0, 6) == -12)
        #expect(result.int(0, 7) == Int.max)
        #expect(result.bool(0, 8) == nil)
        #expect(result.bool(0, 9) == true)
        #expect(result.bool(0, 10) == false)
        #expect(result.int(0, 11) == nil, "text that is not a number")
        #expect(result.bool(0, 11) == nil, "text that is not t or f")
        #expect(
            (0..<12).map { result.isNull(0, $0) } == [
                true, false, false, false, true, false, false, false, true, false, false, false,
            ])
    }
}

/// A backend that stops answering (frozen, or the network gone) cannot hang a session: the
/// client's own deadline gives up on the connection, and a new one works.
struct AnswerDeadlineTests {
    @Test func aFrozenBackendTimesOutOnTheClientAndANewConnectionWorks() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a int);")
        var settings = ConnectionSettings(dsn: dsn, statementTimeoutMilliseconds: 500)
        settings.answerGraceSeconds = 1
        let connection = try Connection(settings)
        let backend = try #require(try connection.query("SELECT pg_backend_pid()").int(0, 0))
        #expect(kill(pid_t(backend), SIGSTOP) == 0)
        defer { kill(pid_t(backend), SIGCONT) }
        #expect {
            _ = try connection.query("SELECT count(*) FROM t")
        } throws: { error in
            (error as? PostgresError)?.kind == .timeout
                && (error as? PostgresError)?.message.contains("no answer from the server") == true
        }
        kill(pid_t(backend), SIGCONT)
        #expect(!connection.isConnected || (try? connection.query("SELECT 1")) == nil, "the old connection is dropped")
        #expect(try Connection(settings).query("SELECT 1").int(0, 0) == 1)
    }
}

/// Quitting must not wait for a statement: `QueryCanceller` stops the one running on the server
/// from another thread, and the connection sends nothing after it.
struct QueryCancellerTests {
    @Test func aRunningStatementIsCancelledFromAnotherThreadAndNothingIsSentAfter() throws {
        let dsn = try freshDatabase()
        let connection = try Connection(ConnectionSettings(dsn: dsn, applicationName: "cw-cancel-test"))
        let canceller = connection.canceller
        // Cancels once the server is seen running the sleep (a cancel sent before it would be lost).
        let watcherDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            defer { watcherDone.signal() }
            guard let observer = try? Connection(ConnectionSettings(dsn: dsn)) else { return }
            for _ in 0..<200 {
                let running = try? observer.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cw-cancel-test' "
                        + "AND state = 'active' AND query LIKE '%pg_sleep%'"
                ).int(0, 0)
                if running == 1 {
                    canceller.cancel()
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        #expect {
            _ = try connection.query("SELECT pg_catalog.pg_sleep(25)")
        } throws: { error in
            // The server's answer to a cancel request, not statement_timeout's.
            (error as? PostgresError)?.sqlState == "57014"
                && (error as? PostgresError)?.message.contains("user request") == true
        }
        watcherDone.wait()
        #expect(canceller.isCancelled)
        #expect {
            _ = try connection.query("SELECT 1")
        } throws: { error in
            (error as? PostgresError)?.kind == .cancelled
        }
    }
}
