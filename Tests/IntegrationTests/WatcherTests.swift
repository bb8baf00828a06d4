import Catalog
import CatalogReader
import Checks
import Foundation
import Postgres
import Synchronization
import Testing
import Watch
import WatchModel

/// The background checker against a real server: live findings, and recovery from an outage.
struct WatcherTests {
    @Test func publishesFindingsAndMarksNewOnes() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer, b text);")
        let folder = try ContractDirectory([
            "t.json": seedContract(
                name: "t", table: "t",
                columns: [
                    ("a", #"{"constraints": {"data_type": "integer"}}"#), ("b", "{}"),
                ])
        ])
        let watcher = Watcher(
            Watcher.Configuration(settings: ConnectionSettings(dsn: dsn), contractsFolder: folder.path, interval: 0.25))
        watcher.start()
        defer { watcher.stop() }
        let first = try #require(waitFor(watcher, seconds: 10) { $0.pollCount >= 1 })
        #expect(first.state == .connected)
        #expect(first.result?.violations.isEmpty == true)
        #expect(first.connection?.database.hasPrefix("t_") == true)

        try migrate(dsn, "ALTER TABLE t DROP COLUMN b;")
        let broken = try #require(waitFor(watcher, seconds: 10) { $0.result?.violations.isEmpty == false })
        #expect(summarize(broken.result!.violations) == ["column_missing t.b present→absent error"])
        let id = broken.result!.violations[0].id
        #expect(broken.appearedWhileWatching(id) != nil)
        #expect(broken.isRecent(id))

        // Editing a contract file is picked up on the next poll too.
        try folder.write(
            "t.json",
            seedContract(name: "t", table: "t", columns: [("a", #"{"constraints": {"data_type": "integer"}}"#)]))
        #expect(waitFor(watcher, seconds: 10) { $0.result?.violations.isEmpty == true } != nil)
    }

    @Test func survivesAServerRestartAndRecoversOnItsOwn() throws {
        let cluster = try LocalCluster.start()
        defer { cluster.stop() }
        try cluster.execute("CREATE TABLE t (a integer);", in: "postgres")
        let folder = try ContractDirectory(["t.json": seedContract(name: "t", table: "t", columns: [("a", "{}")])])
        let watcher = Watcher(
            Watcher.Configuration(
                settings: ConnectionSettings(dsn: cluster.connectionString(), connectTimeoutSeconds: 2),
                contractsFolder: folder.path, interval: 0.25))
        watcher.start()
        defer { watcher.stop() }
        let before = try #require(waitFor(watcher, seconds: 10) { $0.pollCount >= 1 })

        try cluster.stopServer()
        let down = try #require(
            waitFor(watcher, seconds: 10) { status in
                if case .retrying = status.state { return true }
                return false
            })
        guard case .retrying(let attempt, _, let reason) = down.state else { return }
        #expect(attempt >= 1)
        #expect(reason.contains("connection"))
        // The last good findings stay visible while the server is down.
        #expect(down.result != nil)

        try cluster.startServer()
        let back = try #require(
            waitFor(watcher, seconds: 20) {
                $0.state == .connected && $0.pollCount > before.pollCount + 0 && $0.generation > down.generation
            })
        #expect(back.state == .connected)
        #expect(back.result?.violations.isEmpty == true)
    }
}

extension WatcherTests {
    @Test func idlePollsSkipTheSnapshotAndHistorySurvivesARestart() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer, b text);")
        let folder = try ContractDirectory([
            "t.json": seedContract(name: "t", table: "t", columns: [("a", "{}"), ("b", "{}")])
        ])
        let state = NSTemporaryDirectory() + "cw-history-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: state) }
        let configuration = Watcher.Configuration(
            settings: ConnectionSettings(dsn: dsn), contractsFolder: folder.path, interval: 0.25,
            historyDirectory: state)

        var watcher = Watcher(configuration)
        watcher.start()
        _ = try #require(waitFor(watcher, seconds: 10) { $0.pollCount >= 1 })
        // Nothing changes: later polls skip the snapshot.
        let idle = try #require(waitFor(watcher, seconds: 10) { $0.pollCount >= 3 })
        #expect(idle.lastPollKind == .unchanged)

        try migrate(dsn, "ALTER TABLE t DROP COLUMN b;")
        let broken = try #require(waitFor(watcher, seconds: 10) { $0.result?.violations.isEmpty == false })
        #expect(broken.lastPollKind == .scoped, "a change to a contracted table is read by a scoped poll")
        let id = try #require(broken.result?.violations.first?.id)
        let event = try #require(broken.changes.first)
        #expect(event.change.kind == .columnDropped && event.change.location == "public.t.b")
        #expect(event.opened == [id])
        #expect(broken.cause(id) == "column dropped public.t.b (text)")
        let openSince = try #require(broken.openSince(id))
        #expect(broken.openFor(id)?.exact == true)
        watcher.stop()

        // A new dashboard on the same database remembers when it opened and why.
        watcher = Watcher(configuration)
        watcher.start()
        let again = try #require(waitFor(watcher, seconds: 10) { $0.pollCount >= 1 })
        #expect(again.openSince(id) == openSince)
        #expect(again.cause(id) == "column dropped public.t.b (text)")
        #expect(again.openFor(id)?.exact == true)

        // Reverting the migration resolves it, in the history too.
        try migrate(dsn, "ALTER TABLE t ADD COLUMN b text;")
        let fixed = try #require(waitFor(watcher, seconds: 10) { $0.result?.violations.isEmpty == true })
        #expect(fixed.history.record(for: id)?.resolvedAt != nil)
        #expect(fixed.changes.first?.closed == [id])
        watcher.stop()
        let files = try FileManager.default.contentsOfDirectory(atPath: state)
        #expect(files.count == 1 && files[0].hasSuffix("-" + (fixed.connection?.database ?? "?") + ".json"))
    }
}

extension WatcherTests {
    @Test func dashboardPreviewPublishesWhatAMigrationWouldBreak() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer, b text);")
        let folder = try ContractDirectory([
            "t.json": seedContract(name: "t", table: "t", columns: [("a", "{}"), ("b", "{}")])
        ])
        let migration = folder.path + "/../cw-preview-\(UUID().uuidString).sql"
        try "ALTER TABLE t DROP COLUMN b;".write(toFile: migration, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: migration) }
        let watcher = Watcher(
            Watcher.Configuration(settings: ConnectionSettings(dsn: dsn), contractsFolder: folder.path, interval: 0.25))
        watcher.start()
        defer { watcher.stop() }
        _ = try #require(waitFor(watcher, seconds: 10) { $0.pollCount >= 1 })
        watcher.preview(file: migration)
        let previewed = try #require(waitFor(watcher, seconds: 10) { $0.preview != nil })
        #expect(previewed.preview?.error == nil)
        #expect(summarize(previewed.preview?.introduced ?? []) == ["column_missing t.b present→absent error"])
        // Rolled back: the live check still holds.
        Thread.sleep(forTimeInterval: 0.6)
        #expect(watcher.latest.result?.violations.isEmpty == true)
        watcher.preview(file: folder.path + "/missing.sql")
        let failed = try #require(waitFor(watcher, seconds: 10) { $0.preview?.error != nil })
        #expect(failed.preview?.error?.contains("cannot read") == true)
    }
}

extension WatcherTests {
    /// The scoped pipeline (WAL gate → fingerprint of the contracted tables → their snapshot)
    /// notices every kind of DDL on a contracted table; other tables wait for a full read.
    @Test func scopedPollsNoticeEveryDDLKindOnContractedTables() throws {
        let dsn = try freshDatabase(
            "CREATE TABLE t (id integer PRIMARY KEY, name varchar(10), note text); CREATE TABLE t2 (a int); "
                + "CREATE TABLE side (a int);"
        )
        let folder = try ContractDirectory([
            "t.json": seedContract(name: "t", table: "t", columns: [("id", "{}")]),
            "t2.json": seedContract(name: "t2", table: "t2", columns: [("a", "{}")]),
            "later.json": seedContract(name: "later", table: "later", columns: [("a", "{}")]),
        ])
        let watcher = Watcher(
            Watcher.Configuration(
                settings: ConnectionSettings(dsn: dsn), contractsFolder: folder.path, interval: 0.25,
                fullRefreshSeconds: 3600))
        watcher.start()
        defer { watcher.stop() }
        var last = try #require(waitFor(watcher, seconds: 10) { $0.pollCount >= 1 && $0.catalogComplete })
        func relation(_ status: WatchStatus, _ name: String) -> Relation? {
            status.snapshot?.relation(QualifiedName(schema: "public", name: name))
        }

        for (kind, ddl) in [
            ("add column", "ALTER TABLE t ADD COLUMN extra int"), ("drop column", "ALTER TABLE t DROP COLUMN extra"),
            ("rename column", "ALTER TABLE t RENAME COLUMN note TO remark"),
            ("alter type", "ALTER TABLE t ALTER COLUMN remark TYPE varchar(40)"),
            ("alter typmod", "ALTER TABLE t ALTER COLUMN name TYPE varchar(20)"),
            ("set not null", "ALTER TABLE t ALTER COLUMN name SET NOT NULL"),
            ("drop primary key", "ALTER TABLE t DROP CONSTRAINT t_pkey"),
            ("comment", "COMMENT ON COLUMN t.name IS 'who'"),
        ] {
            let before = relation(last, "t")
            try migrate(dsn, ddl)
            let seen = waitFor(watcher, seconds: 10) { relation($0, "t") != before }
            #expect(seen != nil, "the poll missed: \(kind)")
            #expect(seen?.lastPollKind == .scoped, "\(kind)")
            last = seen ?? last
        }
        // Creating and dropping a contracted table.
        try migrate(dsn, "CREATE TABLE later (a int)")
        last = try #require(waitFor(watcher, seconds: 10) { relation($0, "later") != nil }, "create table missed")
        try migrate(dsn, "DROP TABLE later")
        last = try #require(waitFor(watcher, seconds: 10) { relation($0, "later") == nil }, "drop table missed")

        // Two transactions committing out of xid order are both seen.
        let first = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        let second = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        try first.execute(script: "BEGIN; SELECT txid_current(); ALTER TABLE t ADD COLUMN from_first int;")
        try second.execute(script: "BEGIN; SELECT txid_current(); COMMENT ON TABLE t2 IS 'second'; COMMIT;")
        _ = try #require(waitFor(watcher, seconds: 10) { relation($0, "t2")?.comment == "second" })
        try first.execute(script: "COMMIT")
        _ = try #require(
            waitFor(watcher, seconds: 10) { relation($0, "t")?.column(named: "from_first") != nil },
            "the older transaction's commit was missed")

        // An uncontracted table is not read by scoped polls; R (a full read) brings it in.
        try migrate(dsn, "ALTER TABLE side ADD COLUMN b int")
        Thread.sleep(forTimeInterval: 1)
        let before = watcher.latest
        #expect(relation(before, "side")?.column(named: "b") == nil)
        watcher.pollNow()
        let full = try #require(waitFor(watcher, seconds: 10) { relation($0, "side")?.column(named: "b") != nil })
        // Counted, not read off the last poll's kind: on a loaded machine an unchanged poll can
        // follow the full one before this thread looks.
        #expect(full.fullReadCount > before.fullReadCount)
    }

    /// On a busy database (data written all the time) the whole catalog is read again only after
    /// DDL somewhere; a table no contract names still shows its change within one full-read interval.
    @Test func theFullReadWaitsForDDLWhileDataIsWritten() throws {
        let dsn = try freshDatabase(
            "CREATE TABLE t (id integer); CREATE TABLE side (a int); CREATE TABLE busy (n int);")
        let folder = try ContractDirectory(["t.json": seedContract(name: "t", table: "t", columns: [("id", "{}")])])
        let watcher = Watcher(
            Watcher.Configuration(
                settings: ConnectionSettings(dsn: dsn), contractsFolder: folder.path, interval: 0.2,
                fullRefreshSeconds: 1))
        watcher.start()
        defer { watcher.stop() }
        let first = try #require(waitFor(watcher, seconds: 10) { $0.pollCount >= 1 && $0.catalogComplete })
        let writer = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        // Three full-read intervals of steady writes: the WAL moves at every poll.
        let until = Date().addingTimeInterval(3.5)
        while Date() < until {
            try writer.execute(script: "INSERT INTO busy VALUES (1)")
            Thread.sleep(forTimeInterval: 0.05)
        }
        let busy = watcher.latest
        #expect(busy.pollCount > first.pollCount + 5, "the checker stopped polling")
        #expect(busy.fullReadCount == first.fullReadCount, "data writes alone read the whole catalog again")
        try writer.execute(script: "ALTER TABLE side ADD COLUMN b int")
        let seen = try #require(
            waitFor(watcher, seconds: 3) {
                $0.snapshot?.relation(QualifiedName(schema: "public", name: "side"))?.column(named: "b") != nil
            }, "DDL on a table no contract names did not show within one full-read interval")
        #expect(seen.fullReadCount == first.fullReadCount + 1)
    }

    /// At a cadence long enough for it (22 s and more), the catalog-wide probe waits while the
    /// statistics count no catalog change; a DDL whose statistics the server gets late (its
    /// session reported less than a second before, so it waits for the next statement or a
    /// 10 s timer) must still show within one full-read interval of its commit.
    @Test func withTheStatisticsGateADDLElsewhereStillShowsWithinOneFullReadInterval() throws {
        let dsn = try freshDatabase(
            "CREATE TABLE t (id integer); CREATE TABLE side (a int); CREATE TABLE busy (n int);")
        let folder = try ContractDirectory(["t.json": seedContract(name: "t", table: "t", columns: [("id", "{}")])])
        let cadence = 24.0
        let watcher = Watcher(
            Watcher.Configuration(
                settings: ConnectionSettings(dsn: dsn), contractsFolder: folder.path, interval: 0.5,
                fullRefreshSeconds: cadence))
        watcher.start()
        defer { watcher.stop() }
        let first = try #require(waitFor(watcher, seconds: 10) { $0.pollCount >= 1 && $0.catalogComplete })
        let writer = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        func write(for seconds: Double) throws {
            let until = Date().addingTimeInterval(seconds)
            while Date() < until {
                try writer.execute(script: "INSERT INTO busy VALUES (1)")
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        // Past one cadence of data writes: the catalog probe was skipped, nothing read again.
        try write(for: cadence + 2)
        #expect(watcher.latest.fullReadCount == first.fullReadCount, "data writes alone read the whole catalog again")
        // The DDL right after a write: this session reported its statistics just now.
        try writer.execute(script: "INSERT INTO busy VALUES (1); ALTER TABLE side ADD COLUMN b int")
        let committed = Date()
        var seen: WatchStatus?
        let deadline = committed.addingTimeInterval(cadence + 3)
        while seen == nil, Date() < deadline {
            try write(for: 0.5)
            seen =
                watcher.latest.snapshot?.relation(QualifiedName(schema: "public", name: "side"))?
                    .column(named: "b") != nil ? watcher.latest : nil
        }
        #expect(seen != nil, "the DDL on a table no contract names did not show within one full-read interval")
        #expect(seen.map { $0.fullReadCount == first.fullReadCount + 1 } ?? false)
    }

    @Test func aLockedTableSaysWhoHoldsTheLockAndRecoversOnRelease() throws {
        // A generated column makes the catalog read open the table (pg_get_expr with its relid),
        // so it waits on its lock.
        let dsn = try freshDatabase("CREATE TABLE t (a integer, b text, g integer GENERATED ALWAYS AS (a + 1) STORED);")
        let folder = try ContractDirectory([
            "t.json": seedContract(name: "t", table: "t", columns: [("a", "{}"), ("b", "{}")])
        ])
        let settings = ConnectionSettings(dsn: dsn, lockTimeoutMilliseconds: 300)
        let watcher = Watcher(Watcher.Configuration(settings: settings, contractsFolder: folder.path, interval: 0.25))
        watcher.start()
        defer { watcher.stop() }
        // After the whole catalog is read: the first poll publishes the contracted tables before
        // it reads the rest, and that full read does open the table.
        _ = try #require(waitFor(watcher, seconds: 10) { $0.pollCount >= 1 && $0.catalogComplete })

        let migration = try Connection(ConnectionSettings(dsn: dsn, readOnly: false, applicationName: "my-migration"))
        try migration.execute(script: "BEGIN; ALTER TABLE t ADD COLUMN c int;")
        let holder = try #require(try migration.query("SELECT pg_backend_pid()").int(0, 0))
        // The probes never open the table, so polls go on while it is locked…
        let locked = watcher.latest.pollCount
        let pollingOn = try #require(waitFor(watcher, seconds: 10) { $0.pollCount >= locked + 3 })
        #expect(pollingOn.state == .connected)
        // … a read of it does (here because the contract changed), and waits out lock_timeout.
        try folder.write(
            "t.json", seedContract(name: "t", table: "t", columns: [("a", "{}"), ("b", "{}"), ("c", "{}")]))
        let blocked = try #require(
            waitFor(watcher, seconds: 15) { if case .blocked = $0.state { true } else { false } })
        guard case .blocked(let reason) = blocked.state else { return }
        #expect(reason.contains("pid \(holder) (my-migration"), "\(reason)")
        #expect(reason.contains("AccessExclusiveLock on public.t"), "\(reason)")
        #expect(blocked.pollCount >= 1)

        try migration.execute(script: "COMMIT")
        let recovered = try #require(
            waitFor(watcher, seconds: 10) {
                $0.state == .connected && $0.result?.violations.isEmpty == true
                    && $0.snapshot?.relation(QualifiedName(schema: "public", name: "t"))?.column(named: "c") != nil
            })
        #expect(recovered.state == .connected)
    }
}

extension WatcherTests {
    /// `stop()` (the user quitting) cancels a poll under way instead of waiting for it: here a read
    /// waiting on a migration's lock, with lock and statement timeouts far beyond the test.
    @Test func stoppingCancelsAPollThatIsWaitingInsteadOfWaitingForIt() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer, g integer GENERATED ALWAYS AS (a + 1) STORED);")
        let folder = try ContractDirectory(["t.json": seedContract(name: "t", table: "t", columns: [("a", "{}")])])
        let settings = ConnectionSettings(
            dsn: dsn, statementTimeoutMilliseconds: 600_000, lockTimeoutMilliseconds: 600_000,
            applicationName: "cw-stop-test")
        let watcher = Watcher(Watcher.Configuration(settings: settings, contractsFolder: folder.path, interval: 0.25))
        watcher.start()
        _ = try #require(waitFor(watcher, seconds: 10) { $0.pollCount >= 1 })
        let migration = try Connection(ConnectionSettings(dsn: dsn, readOnly: false, applicationName: "migration"))
        try migration.execute(script: "BEGIN; ALTER TABLE t ADD COLUMN c int;")
        // A contract change makes the next poll read the table, which waits on the lock.
        try folder.write("t.json", seedContract(name: "t", table: "t", columns: [("a", "{}"), ("c", "{}")]))
        let observer = try Connection(ConnectionSettings(dsn: dsn))
        let waitingQuery =
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cw-stop-test' AND wait_event_type = 'Lock'"
        var waiting = false
        for _ in 0..<200 where !waiting {
            waiting = try observer.query(waitingQuery).int(0, 0) == 1
            if !waiting { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(waiting, "the poll never waited on the migration's lock")
        // Should stop() wait for the poll, the lock is released in 20 s so the test ends anyway.
        let released = OnceFlag()
        let holder = try #require(try migration.query("SELECT pg_backend_pid()").int(0, 0))
        DispatchQueue.global().asyncAfter(deadline: .now() + 20) {
            guard released.claim() else { return }
            _ = try? Connection(ConnectionSettings(dsn: dsn)).query("SELECT pg_terminate_backend(\(holder))")
        }
        watcher.stop()
        let stoppedFirst = released.claim()
        #expect(stoppedFirst, "stop() waited until the lock was released")
        #expect(try observer.query(waitingQuery).int(0, 0) == 0, "the cancelled read still waits on the server")
        try migration.execute(script: "ROLLBACK")
    }

    /// A fresh start shows contracts and violations from the contracted tables alone, then the
    /// whole catalog in the same poll, without reporting the rest of the catalog as changes.
    @Test func aStartPublishesTheContractedTablesFirstThenTheWholeCatalog() throws {
        let others = (0..<40).map { "CREATE TABLE other_\($0) (x integer);" }.joined()
        let dsn = try freshDatabase("CREATE TABLE t (a integer);" + others)
        let folder = try ContractDirectory([
            "t.json": seedContract(name: "t", table: "t", columns: [("a", "{}"), ("gone", "{}")])
        ])
        let watcher = Watcher(
            Watcher.Configuration(settings: ConnectionSettings(dsn: dsn), contractsFolder: folder.path, interval: 5))
        let published = Mutex<[WatchStatus]>([])
        watcher.onPublish { published.withLock { $0.append(watcher.latest) } }
        watcher.start()
        defer { watcher.stop() }
        _ = try #require(waitFor(watcher, seconds: 10) { $0.catalogComplete && $0.pollCount >= 2 })
        let checked = published.withLock { $0 }.filter { $0.result != nil }
        let first = try #require(checked.first)
        #expect(!first.catalogComplete && first.snapshot?.relations.count == 1, "the contracted table alone")
        #expect(summarize(first.result!.violations) == ["column_missing t.gone present→absent error"])
        let full = try #require(checked.first { $0.catalogComplete })
        #expect(full.snapshot?.relations.count == 41 && full.lastPollKind == .full)
        #expect(full.changes.isEmpty, "the tables read second are not changes: \(full.changes.map(\.change.location))")
    }
}

extension WatcherTests {
    /// Maintenance moves the WAL without ending a transaction that wrote (VACUUM, a checkpoint):
    /// the polls stop at the write marks instead of probing the contracted tables. Any write
    /// that commits, and a DDL that was already under way at the last probe and commits later,
    /// is still probed and found. On a server of its own (the shared one has other tests
    /// committing all the time), with autovacuum off so that only this test writes.
    @Test func maintenanceDoesNotWakeTheProbesButACommitDoes() throws {
        let cluster = try LocalCluster.start()
        defer { cluster.stop() }
        try cluster.execute("ALTER SYSTEM SET autovacuum = off", in: "postgres")
        try cluster.execute("SELECT pg_catalog.pg_reload_conf()", in: "postgres")
        try cluster.execute(
            "CREATE TABLE t (a integer, b text); INSERT INTO t SELECT g, 'x' FROM generate_series(1, 40) g;"
                + "DELETE FROM t WHERE a > 20; CREATE TABLE other (n integer);", in: "postgres")
        let dsn = cluster.connectionString()
        let admin = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))

        // The server's side: maintenance moves the WAL only; a commit moves the snapshot.
        let before = CatalogFingerprint.writeMarks(admin)
        try admin.execute(script: "VACUUM t")
        try admin.execute(script: "CHECKPOINT")
        let maintained = CatalogFingerprint.writeMarks(admin)
        #expect(maintained.wal != before.wal && maintained.transactions == before.transactions)
        #expect(maintained.nothingCommitted(since: before))

        let logPath = NSTemporaryDirectory() + "cw-marks-" + UUID().uuidString + ".log"
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        let folder = try ContractDirectory([
            "t.json": seedContract(name: "t", table: "t", columns: [("a", "{}"), ("b", "{}")])
        ])
        let watcher = Watcher(
            Watcher.Configuration(
                settings: ConnectionSettings(dsn: dsn), contractsFolder: folder.path, interval: 0.2, debug: true),
            log: EventLog(path: logPath))
        watcher.start()
        defer { watcher.stop() }
        func polls(after count: Int) throws -> WatchStatus {
            try #require(waitFor(watcher, seconds: 10) { $0.pollCount >= count })
        }
        func logLines(from offset: Int) -> [Substring] {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            return text.utf8.count > offset ? String(text.utf8.dropFirst(offset))!.split(separator: "\n") : []
        }
        func logSize() -> Int { ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").utf8.count }
        var status = try polls(after: 3)

        // VACUUM and CHECKPOINT again, now that the watcher is polling: no probe.
        try admin.execute(script: "DELETE FROM t WHERE a > 10") // rows for VACUUM to remove
        status = try polls(after: status.pollCount + 3)
        var offset = logSize()
        try admin.execute(script: "VACUUM t")
        try admin.execute(script: "CHECKPOINT")
        status = try polls(after: status.pollCount + 4)
        var lines = logLines(from: offset)
        #expect(lines.contains { $0.contains("WAL moved, no transaction that wrote ended") }, "\(lines)")
        #expect(!lines.contains { $0.contains("probed") }, "maintenance woke the probe: \(lines)")

        // A write that commits: probed (and nothing read, the catalog is the same).
        offset = logSize()
        try admin.execute(script: "INSERT INTO t VALUES (100, 'y')")
        status = try polls(after: status.pollCount + 3)
        lines = logLines(from: offset)
        #expect(lines.contains { $0.contains("contracted tables probed: 1") }, "\(lines)")

        // A DDL whose transaction got its id before a probe and commits after it: the next
        // probe reads it (its id leaves the in-progress list, the snapshot moves).
        let migration = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        try migration.execute(script: "BEGIN")
        try migration.execute(script: "ALTER TABLE t DROP COLUMN b")
        // A later transaction ends first: the DDL's id is now below the snapshot's xmax and
        // listed as in progress, so only that list tells when it ends.
        try admin.execute(script: "INSERT INTO other VALUES (1)")
        status = try polls(after: status.pollCount + 3)
        #expect(status.result?.violations.isEmpty == true, "an uncommitted DDL is not visible")
        try migration.execute(script: "COMMIT")
        let broken = try #require(waitFor(watcher, seconds: 10) { $0.result?.violations.isEmpty == false })
        #expect(summarize(broken.result!.violations) == ["column_missing t.b present→absent error"])
    }
}

/// Set once, by whoever comes first (a test's cleanup against its assertion).
final class OnceFlag: Sendable {
    private let taken = Atomic<Bool>(false)
    /// True for the first caller only.
    func claim() -> Bool { !taken.exchange(true, ordering: .relaxed) }
}
