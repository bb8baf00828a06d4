import CatalogReader
import Postgres
import Testing

/// The cheap-poll fingerprint must change for every kind of DDL a snapshot would show, and must
/// not change for data writes.
struct FingerprintTests {
    static let base = """
        CREATE TABLE t (id integer PRIMARY KEY, name varchar(10), note text, code text);
        CREATE TABLE other (a int);
        CREATE TYPE mood AS ENUM ('a');
        CREATE DOMAIN short_text AS varchar(5);
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
    ])
    func changesForEveryKindOfDDL(kind: String, ddl: String) throws {
        let dsn = try freshDatabase(Self.base)
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        let before = try CatalogFingerprint.fingerprint(connection)
        #expect(before.count == 32)
        try migrate(dsn, ddl)
        #expect(try CatalogFingerprint.fingerprint(connection) != before, "\(kind) did not change the fingerprint")
    }

    @Test func dropNotNullAndDropDefaultChangeItToo() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a int NOT NULL DEFAULT 1);")
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        var last = try CatalogFingerprint.fingerprint(connection)
        for ddl in ["ALTER TABLE t ALTER COLUMN a DROP NOT NULL", "ALTER TABLE t ALTER COLUMN a DROP DEFAULT", "ALTER TABLE t ADD PRIMARY KEY (a)"] {
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
        let position = try #require(CatalogFingerprint.walPosition(connection))
        try migrate(dsn, "INSERT INTO t VALUES (1, 'x', 'y', 'z'); UPDATE t SET note = 'n'; ANALYZE t;")
        #expect(try CatalogFingerprint.fingerprint(connection) == fingerprint)
        #expect(CatalogFingerprint.walPosition(connection) != position)
    }

    @Test func transactionsCommittingOutOfXidOrderAreBothSeen() throws {
        let dsn = try freshDatabase(Self.base)
        let reader = try Connection(ConnectionSettings(dsn: dsn))
        let first = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        let second = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        let start = try CatalogFingerprint.fingerprint(reader)
        // The older transaction (lower xid) starts first but commits last.
        try first.execute(script: "BEGIN; SELECT txid_current(); ALTER TABLE t ADD COLUMN from_first int;")
        try second.execute(script: "BEGIN; SELECT txid_current(); ALTER TABLE other ADD COLUMN from_second int; COMMIT;")
        let afterSecond = try CatalogFingerprint.fingerprint(reader)
        #expect(afterSecond != start)
        try first.execute(script: "COMMIT")
        let afterFirst = try CatalogFingerprint.fingerprint(reader)
        #expect(afterFirst != afterSecond, "the older transaction's commit was missed")
    }
}
