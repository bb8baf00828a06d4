import DemoDatabase
import Foundation
import Postgres
import Testing

/// `contractwatch preview` and `check --fail-on` through the real binary.
struct PreviewCommandTests {
    /// A fingerprint of everything a migration could change: the catalog rows of user relations
    /// (pg_class, pg_attribute, pg_index, pg_constraint, pg_description) and every row of data.
    func fingerprint(_ dsn: String) throws -> String {
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        let catalog = try connection.query(
            """
            SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
              SELECT format('%s %s %s %s %s', c.oid, c.relname, c.relkind, c.relfilenode, c.relnatts) AS x
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
              UNION ALL SELECT format('%s %s %s %s %s %s %s', a.attrelid, a.attnum, a.attname, a.atttypid,
                  a.atttypmod, a.attnotnull, a.attisdropped)
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid =
                    c.relnamespace WHERE n.nspname = 'public'
              UNION ALL SELECT format('%s %s %s', i.indexrelid, i.indrelid, i.indkey) FROM pg_index i JOIN pg_class c
                  ON c.oid = i.indrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
              UNION ALL SELECT format('%s %s', conname, pg_get_constraintdef(oid)) FROM pg_constraint WHERE
                  connamespace = 'public'::regnamespace
              UNION ALL SELECT format('%s %s %s', objoid, objsubid, description) FROM pg_description) s
            """)
        let data = try connection.query(
            """
            SELECT md5(concat_ws('|',
              (SELECT string_agg(t::text, ',' ORDER BY object_id) FROM object_images t),
              (SELECT string_agg(t::text, ',' ORDER BY object_id) FROM object t),
              (SELECT string_agg(t::text, ',' ORDER BY object_id) FROM object_copyright t)))
            """)
        return (catalog.string(0, 0) ?? "") + "/" + (data.string(0, 0) ?? "")
    }

    func file(_ text: String) throws -> String { try ScriptFiles.write(text) }

    @Test func booksStepThreeMigrationWouldBreakTwoColumnsAndChangesNothing() throws {
        let dsn = try freshDatabase(DemoDatabase.schemaSQL)
        let before = try fingerprint(dsn)
        let migration = try file(
            """
            -- The book's step III: normalize object_images (and touch data, to prove it rolls back).
            ALTER TABLE object_images RENAME COLUMN primary_image TO image;
            ALTER TABLE object_images DROP COLUMN additional_images;
            ALTER TABLE object_images ADD COLUMN is_primary_image boolean;
            UPDATE object_images SET is_primary_image = true;
            DELETE FROM object_copyright;
            """)
        let run = try runBinary([
            "preview", migration, "--dsn", dsn, "--contracts", repositoryRoot + "/contracts", "--format", "json",
        ])
        // On a schema copy (the default), then in place: the same findings.
        let inPlace = try runBinary([
            "preview", migration, "--in-place", "--dsn", dsn, "--contracts", repositoryRoot + "/contracts", "--format",
            "json",
        ])
        for (mode, run) in [("scratch copy", run), ("in place", inPlace)] {
            #expect(run.status == 1, "\(mode): \(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let violations = try #require(json["violations"] as? [[String: Any]])
            #expect(
                violations.map { "\($0["kind"] ?? "") \($0["column"] ?? "")" } == [
                    "column_missing primary_image", "column_missing additional_images",
                ], "\(mode)")
            #expect((json["preview"] as? [String: Any])?["rolled_back"] as? Bool == true)
        }
        #expect(run.stderr.contains("running on a schema copy of"), "\(run.stderr)")
        #expect(inPlace.stderr.contains("rolled back; the database is unchanged"), "\(inPlace.stderr)")
        #expect(inPlace.stderr.contains("held on the target while it ran: "))
        #expect(inPlace.stderr.contains("ACCESS EXCLUSIVE on public.object_images"))
        #expect(try fingerprint(dsn) == before, "the database changed")
        // And the live check still holds: nothing was applied.
        #expect(try runBinary(["check", "--dsn", dsn, "--contracts", repositoryRoot + "/contracts"]).status == 0)
    }

    /// After a migration only the tables it locked are read again, except when it changed
    /// what tables read as without locking them: renamed a domain or a schema. Both are seen, in
    /// place and on the schema copy; a plain ALTER on another table is seen through its lock.
    @Test(arguments: [
        ("ALTER DOMAIN short_text RENAME TO tiny_text;", "data_type public.t.s"),
        ("ALTER SCHEMA public RENAME TO elsewhere;", "table_missing public.t"),
        ("ALTER TABLE t DROP COLUMN a;", "column_missing public.t.a"),
        // With several statements the finding names the one after which it appears (the last
        // one, were the first's change not seen until the end).
        (
            "ALTER DOMAIN short_text RENAME TO tiny_text;\nALTER TABLE t ADD COLUMN z int;",
            "data_type public.t.s (t), at line 1"
        ),
    ])
    func changesMadeWithoutATableLockAreStillSeen(migration: String, finding: String) throws {
        let dsn = try freshDatabase("CREATE DOMAIN short_text AS varchar(5); CREATE TABLE t (a integer, s short_text);")
        let folder = try ContractDirectory([
            "t.json": seedContract(
                name: "t", table: "t",
                columns: [("a", "{}"), ("s", #"{"constraints": {"domain_name": "short_text"}}"#)])
        ])
        #expect(try runBinary(["check", "--dsn", dsn, "--contracts", folder.path]).status == 0)
        let script = try file(migration + " -- contractwatch:ignore-file CW105 CW106 test")
        for mode in [["--in-place"], []] {
            let run = try runBinary(["preview", script, "--dsn", dsn, "--contracts", folder.path] + mode)
            #expect(run.stdout.contains(finding), "\(migration) \(mode): \(run.stdout) \(run.stderr)")
        }
    }

    @Test func reportsWhatAMigrationWouldFix() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer, b text NOT NULL);")
        let folder = try ContractDirectory([
            "t.json": seedContract(
                name: "t", table: "t",
                columns: [
                    ("a", #"{"constraints": {"data_type": "bigint"}}"#),
                    ("b", #"{"constraints": {"is_nullable": true}}"#),
                ])
        ])
        // A rewrite is an error-severity hazard: accepted here, the table is empty.
        let fix = try file("ALTER TABLE t ALTER COLUMN a TYPE bigint; -- contractwatch:ignore CW101 empty table")
        let run = try runBinary(["preview", fix, "--dsn", dsn, "--contracts", folder.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("would introduce 0 violations, would fix 1"))
        #expect(run.stdout.contains("fixed: data_type public.t.a"))
        // The remaining is_nullable difference is not breaking: check passes by default, fails with --fail-on warning.
        #expect(try runBinary(["check", "--dsn", dsn, "--contracts", folder.path]).status == 1)
        try migrate(dsn, "ALTER TABLE t ALTER COLUMN a TYPE bigint;")
        #expect(try runBinary(["check", "--dsn", dsn, "--contracts", folder.path]).status == 0)
        #expect(try runBinary(["check", "--dsn", dsn, "--contracts", folder.path, "--fail-on", "warning"]).status == 1)
    }

    @Test func refusesTransactionControlAndReportsFailedMigrations() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer);")
        let folder = try ContractDirectory(["t.json": seedContract(name: "t", table: "t", columns: [("a", "{}")])])
        let before = try Connection(ConnectionSettings(dsn: dsn)).query(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass"
        ).int(0, 0)
        let control = try file("ALTER TABLE t ADD COLUMN b int;\nCOMMIT;\nDROP TABLE t;")
        let refused = try runBinary(["preview", control, "--dsn", dsn, "--contracts", folder.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("line 2: transaction control is not allowed"))
        #expect(refused.stderr.contains("nothing was run"))
        let failing = try file("ALTER TABLE t ADD COLUMN b int;\nALTER TABLE nope ADD COLUMN c int;")
        let failed = try runBinary(["preview", failing, "--dsn", dsn, "--contracts", folder.path])
        #expect(failed.status == 3)
        #expect(failed.stderr.contains("the migration failed") && failed.stderr.contains("nope"))
        let after = try Connection(ConnectionSettings(dsn: dsn)).query(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass"
        ).int(0, 0)
        #expect(after == before)
    }

    @Test func aFailingMigrationNamesItsStatementLineAndTheServersExplanation() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer, b text); CREATE VIEW v AS SELECT b FROM t;")
        let folder = try ContractDirectory(["t.json": seedContract(name: "t", table: "t", columns: [("a", "{}")])])
        let migration = try file(
            """
            ALTER TABLE t ADD COLUMN c int;

            -- the view needs b
            ALTER TABLE t DROP COLUMN b;
            """)
        let run = try runBinary(["preview", migration, "--dsn", dsn, "--contracts", folder.path])
        #expect(run.status == 3)
        #expect(run.stderr.contains("the migration failed at statement 2 of 2 (line 4)"), "\(run.stderr)")
        #expect(run.stderr.contains("DETAIL: view v depends on column b of table t"))
        #expect(run.stderr.contains("HINT: Use DROP ... CASCADE"))
        #expect(run.stderr.contains("rolled back"))
    }

    @Test func aDroppedTableIsMissingNotFixed() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer);")
        let folder = try ContractDirectory([
            "t.json": seedContract(
                name: "t", table: "t", columns: [("a", #"{"constraints": {"data_type": "bigint"}}"#)])
        ])
        let run = try runBinary(["preview", try file("DROP TABLE t;"), "--dsn", dsn, "--contracts", folder.path])
        #expect(run.status == 1)
        #expect(run.stdout.contains("would introduce 1 violation, would fix 0"), "\(run.stdout)")
        #expect(run.stdout.contains("table_missing"))
    }

    @Test func aStandardSQLFunctionBodyPreviews() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer);")
        let folder = try ContractDirectory(["t.json": seedContract(name: "t", table: "t", columns: [("a", "{}")])])
        let migration = try file(
            """
            CREATE FUNCTION grade(score integer) RETURNS text LANGUAGE sql IMMUTABLE
            BEGIN ATOMIC
              SELECT CASE WHEN score > 50 THEN 'pass' ELSE 'fail' END;
            END;
            ALTER TABLE t ADD COLUMN b text;
            """)
        let run = try runBinary(["preview", migration, "--dsn", dsn, "--contracts", folder.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("(2 statements, run on a schema copy in a transaction and rolled back)"))
    }

    @Test func sequenceMovesAreSaidNotToRollBack() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer); CREATE SEQUENCE s;")
        let folder = try ContractDirectory(["t.json": seedContract(name: "t", table: "t", columns: [("a", "{}")])])
        // On the schema copy the target's sequence does not move at all.
        let copied = try runBinary([
            "preview", try file("SELECT setval('s', 42);"), "--dsn", dsn, "--contracts", folder.path,
        ])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(try Connection(ConnectionSettings(dsn: dsn)).query("SELECT last_value FROM s").int(0, 0) == 1)
        let run = try runBinary([
            "preview", try file("SELECT setval('s', 42);"), "--in-place", "--dsn", dsn, "--contracts", folder.path,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stderr.contains("sequences moved by the script (nextval, setval, serial columns) are not rolled back"))
        #expect(
            try Connection(ConnectionSettings(dsn: dsn)).query("SELECT last_value FROM s").int(0, 0) == 42,
            "PostgreSQL indeed keeps it")
    }

    @Test func aFailureInsideAFunctionShowsItsOwnContextNotOurs() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer);")
        let folder = try ContractDirectory(["t.json": seedContract(name: "t", table: "t", columns: [("a", "{}")])])
        let migration = try file(
            """
            CREATE FUNCTION boom() RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'boom' USING DETAIL = 'inside';
            END $$;
            SELECT
              boom();
            """)
        let run = try runBinary(["preview", migration, "--dsn", dsn, "--contracts", folder.path])
        #expect(run.status == 3)
        #expect(run.stderr.contains("at statement 2 of 2 (line 5)"), "\(run.stderr)")
        #expect(
            run.stderr.contains(
                "boom [SQLSTATE P0001]; DETAIL: inside; CONTEXT: PL/pgSQL function boom() line 3 at RAISE"),
            "\(run.stderr)")
        #expect(!run.stderr.contains("inline_code_block") && !run.stderr.contains("SQL statement"), "\(run.stderr)")
    }
}
