import Catalog
import CatalogReader
import Foundation
import Postgres
import Testing

/// The cheap-poll fingerprint must change for every kind of DDL a snapshot would show, and must
/// not change for data writes.
struct FingerprintTests {
    static let base = """
        CREATE TYPE mood AS ENUM ('a');
        CREATE DOMAIN short_text AS varchar(5);
        CREATE TABLE t (id integer PRIMARY KEY, name varchar(10), note text, code text, s short_text, m mood);
        CREATE TABLE other (a int);
        """

    @Test(arguments: [
        ("add column", "ALTER TABLE t ADD COLUMN extra int"),
        ("drop column", "ALTER TABLE t DROP COLUMN note"),
        ("rename column", "ALTER TABLE t RENAME COLUMN note TO remark"),
        ("alter type", "ALTER TABLE t ALTER COLUMN note TYPE varchar(50)"),
        ("alter typmod", "ALTER TABLE t ALTER COLUMN name TYPE varchar(20)"),
        ("set not null", "ALTER TABLE t ALTER COLUMN note SET NOT NULL"),
        ("set default", "ALTER TABLE t ALTER COLUMN note SET DEFAULT 'x'"),
        ("drop primary key", "ALTER TABLE t DROP CONSTRAINT t_pkey"),
        ("add unique", "ALTER TABLE t ADD CONSTRAINT code_u UNIQUE (code)"),
        ("comment on column", "COMMENT ON COLUMN t.note IS 'hello'"),
        ("comment on table", "COMMENT ON TABLE t IS 'hello'"),
        ("create table", "CREATE TABLE created (a int)"),
        ("drop table", "DROP TABLE other"),
        ("rename table", "ALTER TABLE other RENAME TO renamed"),
        ("set schema", "CREATE SCHEMA s2; ALTER TABLE other SET SCHEMA s2"),
        ("create view", "CREATE VIEW v AS SELECT id FROM t"),
        ("alter domain", "ALTER DOMAIN short_text SET NOT NULL"),
        // contracts name domains and enums (ODCS physicalType, domain_name, udt_name)
        ("rename domain", "ALTER DOMAIN short_text RENAME TO tiny_text"),
        ("rename enum", "ALTER TYPE mood RENAME TO feeling"),
    ])
    func changesForEveryKindOfDDL(kind: String, ddl: String) throws {
        let dsn = try freshDatabase(Self.base)
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        let before = try CatalogFingerprint.fingerprint(connection)
        // The scoped fingerprint covers the contracted names (in any schema).
        let names: Set<String> = ["t", "other", "created", "renamed", "v", "T"]
        let scopedBefore = try CatalogFingerprint.fingerprint(connection, names: names)
        let versionBefore = try CatalogFingerprint.catalogVersion(connection)
        #expect(before.count == 32 && !scopedBefore.isEmpty)
        try migrate(dsn, ddl)
        #expect(try CatalogFingerprint.fingerprint(connection) != before, "\(kind) did not change the fingerprint")
        #expect(
            try CatalogFingerprint.catalogVersion(connection) != versionBefore,
            "\(kind) did not change the catalog version")
        #expect(
            try CatalogFingerprint.fingerprint(connection, names: names) != scopedBefore,
            "\(kind) did not change the scoped fingerprint")
    }

    @Test func theScopedFingerprintIgnoresOtherTables() throws {
        let dsn = try freshDatabase(Self.base + "CREATE TABLE unrelated (x int);")
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        let scoped = try CatalogFingerprint.fingerprint(connection, names: ["t"])
        try migrate(
            dsn, "ALTER TABLE unrelated ADD COLUMN y int; CREATE TABLE more (z int); COMMENT ON TABLE other IS 'x';")
        #expect(try CatalogFingerprint.fingerprint(connection, names: ["t"]) == scoped)
        // … but a table of a contracted name appearing in another schema counts.
        try migrate(dsn, #"CREATE SCHEMA s; CREATE TABLE s.t (a int);"#)
        let withOther = try CatalogFingerprint.fingerprint(connection, names: ["t"])
        #expect(withOther != scoped)
        // A name differing only in case is not a contracted table: it only feeds a hint, which the
        // periodic full snapshot refreshes; the scoped fingerprint stays cheap and exact.
        try migrate(dsn, #"CREATE TABLE "T" (a int);"#)
        #expect(try CatalogFingerprint.fingerprint(connection, names: ["t"]) == withOther)
    }

    @Test func theScopedSnapshotIsTheFullOneRestrictedToTheNames() throws {
        let dsn = try freshDatabase(
            #"""
            CREATE SCHEMA "Odd ""Schema""";
            CREATE TABLE "Odd ""Schema"""."Café, {表}" (id int PRIMARY KEY, "a\b" text);
            CREATE TABLE public."Café, {表}" (id int);
            CREATE TABLE public."CAFé, {表}" (id int);
            CREATE TABLE public.other (id int);
            COMMENT ON TABLE public.other IS 'other table';
            COMMENT ON COLUMN public.other.id IS 'its id';
            CREATE TABLE public."q""uo\te" (id int DEFAULT 7, g int GENERATED ALWAYS AS (id + 1) STORED);
            """#)
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        let full = try CatalogReader.snapshot(connection)
        let scoped = try CatalogReader.snapshot(connection, names: ["Café, {表}", "other", #"q"uo\te"#])
        #expect(
            scoped.relations.map(\.name.description) == [
                #""Odd ""Schema"""."Café, {表}""#, #"public."Café, {表}""#, "public.other", #"public."q""uo\te""#,
            ])
        #expect(
            scoped.relation(QualifiedName(schema: "public", name: #"q"uo\te"#))?.columns.map(\.defaultExpression) == [
                "7", "(id + 1)",
            ])
        for relation in scoped.relations {
            #expect(full.relation(relation.name) == relation)
        }
        // What `check` reads: the same relations without defaults and comments.
        let forChecks = try CatalogReader.snapshot(
            connection, names: ["Café, {表}", "other", #"q"uo\te"#], detail: .checks)
        #expect(
            forChecks.relations
                == scoped.relations.map { relation in
                    var relation = relation
                    relation.comment = nil
                    relation.columns = relation.columns.map { column in
                        var column = column
                        column.defaultExpression = nil
                        column.comment = nil
                        return column
                    }
                    return relation
                })
        // A contracted name that exists nowhere: its case variants come along for the "did you mean" notice.
        let missing = try CatalogReader.snapshot(connection, names: ["café, {表}"])
        #expect(
            missing.relations.map(\.name.description)
                == [#""Odd ""Schema"""."Café, {表}""#, #"public."CAFé, {表}""#, #"public."Café, {表}""#].sorted())
    }

    @Test func namesInBatchesReadTheSameSnapshotAsAllAtOnce() throws {
        let dsn = try freshDatabase(
            #"""
            CREATE TABLE public."Café, {表}" (id int PRIMARY KEY);
            CREATE TABLE public."CAFé, {表}" (id int);
            CREATE SCHEMA s;
            CREATE TABLE s.other (id int, name text NOT NULL);
            CREATE TABLE public.other (id bigint);
            CREATE TABLE public."q""uo\te" (id int);
            """#)
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        let names: Set<String> = ["Café, {表}", "other", #"q"uo\te"#, "café, {表}", "absent"]
        let atOnce = try CatalogReader.snapshot(connection, names: names, detail: .checks)
        // Repeated names, an empty batch, a missing name (its case variants come at the end).
        var batches: [[String]] = [["other"], [], ["Café, {表}", "other"], [#"q"uo\te"#, "café, {表}", "absent"]]
        batches.reverse()
        let batched = try CatalogReader.snapshot(connection, nameBatches: { batches.popLast() }, detail: .checks)
        #expect(batched.relations == atOnce.relations)
        #expect(batched.relations.count == 5)
        #expect(!connection.isInTransaction, "its own transaction is over")
        // Inside a caller's transaction it reads within it and leaves it open.
        try connection.execute(script: "BEGIN")
        var one: [[String]] = [["other"]]
        _ = try CatalogReader.snapshot(connection, nameBatches: { one.popLast() }, detail: .checks)
        #expect(connection.isInTransaction)
        try connection.execute(script: "ROLLBACK")
    }

    @Test func dropNotNullAndDropDefaultChangeItToo() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a int NOT NULL DEFAULT 1);")
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        var last = try CatalogFingerprint.fingerprint(connection)
        for ddl in [
            "ALTER TABLE t ALTER COLUMN a DROP NOT NULL", "ALTER TABLE t ALTER COLUMN a DROP DEFAULT",
            "ALTER TABLE t ADD PRIMARY KEY (a)",
        ] {
            try migrate(dsn, ddl)
            let now = try CatalogFingerprint.fingerprint(connection)
            #expect(now != last, "\(ddl)")
            last = now
        }
    }

    @Test func dataWritesDoNotChangeItButMoveTheWALPosition() throws {
        let dsn = try freshDatabase(Self.base)
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        let fingerprint = try CatalogFingerprint.fingerprint(connection)
        let marks = CatalogFingerprint.writeMarks(connection)
        #expect(marks.wal != nil && marks.transactions != nil)
        let version = try CatalogFingerprint.catalogVersion(connection)
        try migrate(dsn, "INSERT INTO t VALUES (1, 'x', 'y', 'z'); UPDATE t SET note = 'n'; ANALYZE t;")
        let maintenance = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        try maintenance.execute(script: "VACUUM t")
        try maintenance.execute(script: "VACUUM ANALYZE other")
        #expect(try CatalogFingerprint.fingerprint(connection) == fingerprint)
        #expect(try CatalogFingerprint.catalogVersion(connection) == version, "statistics moved the catalog version")
        let after = CatalogFingerprint.writeMarks(connection)
        #expect(after.wal != marks.wal && after.transactions != marks.transactions, "data written and committed")
        #expect(!after.nothingCommitted(since: marks))
    }

    /// The catalogs' row counts (cumulative statistics) let the checker skip its catalog-wide
    /// probe while only data is written: they must stay put for data writes, VACUUM and ANALYZE,
    /// and move for DDL once the session that ran it has reported (here: when it ends).
    @Test func catalogActivityMovesForDDLAndNotForDataWrites() throws {
        let dsn = try freshDatabase(Self.base)
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        /// Statistics reach the server after the session reports them: give it a moment.
        func settled(_ wanted: (String?) -> Bool) -> String? {
            var now = CatalogFingerprint.catalogActivity(connection)
            for _ in 0..<40 where !wanted(now) {
                Thread.sleep(forTimeInterval: 0.05)
                now = CatalogFingerprint.catalogActivity(connection)
            }
            return now
        }
        let before = try #require(CatalogFingerprint.catalogActivity(connection), "track_counts is on by default")
        try migrate(dsn, "INSERT INTO t VALUES (1, 'x', 'y', 'z'); UPDATE t SET note = 'n'; ANALYZE t;")
        let maintenance = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        try maintenance.execute(script: "VACUUM t")
        Thread.sleep(forTimeInterval: 1)
        #expect(settled { $0 != before } == before, "data writes, ANALYZE or VACUUM counted as catalog changes")
        try migrate(dsn, "ALTER TABLE other ADD COLUMN added int")
        #expect(settled { $0 != before } != before, "a DDL was not counted")
    }

    @Test func transactionsCommittingOutOfXidOrderAreBothSeen() throws {
        let dsn = try freshDatabase(Self.base)
        let reader = try Connection(ConnectionSettings(dsn: dsn))
        let first = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        let second = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        let start = try CatalogFingerprint.fingerprint(reader)
        let startVersion = try CatalogFingerprint.catalogVersion(reader)
        // The older transaction (lower xid) starts first but commits last.
        try first.execute(script: "BEGIN; SELECT txid_current(); ALTER TABLE t ADD COLUMN from_first int;")
        try second.execute(
            script: "BEGIN; SELECT txid_current(); ALTER TABLE other ADD COLUMN from_second int; COMMIT;")
        let afterSecond = try CatalogFingerprint.fingerprint(reader)
        let afterSecondVersion = try CatalogFingerprint.catalogVersion(reader)
        #expect(afterSecond != start)
        #expect(afterSecondVersion != startVersion)
        try first.execute(script: "COMMIT")
        let afterFirst = try CatalogFingerprint.fingerprint(reader)
        #expect(afterFirst != afterSecond, "the older transaction's commit was missed")
        #expect(
            try CatalogFingerprint.catalogVersion(reader) != afterSecondVersion,
            "the older transaction's commit was missed by the catalog version")
    }
}

extension FingerprintTests {
    /// A migration preview snapshots inside its own transaction: the snapshot (read through a
    /// cursor in batches) must join that transaction and never commit or end it.
    @Test func snapshotInsideACallersTransactionLeavesItOpen() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a int);")
        let session = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        try session.execute(script: "BEGIN; CREATE TABLE uncommitted (b int);")
        let inside = try CatalogReader.snapshot(session)
        #expect(inside.relation(QualifiedName(schema: "public", name: "uncommitted")) != nil)
        #expect(session.isInTransaction, "the snapshot ended the caller's transaction")
        try session.execute(script: "ROLLBACK")
        let after = try CatalogReader.snapshot(Connection(ConnectionSettings(dsn: dsn)))
        #expect(after.relation(QualifiedName(schema: "public", name: "uncommitted")) == nil)
    }
}
