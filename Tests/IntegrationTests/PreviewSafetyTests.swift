import Foundation
import Postgres
import Preview
import Testing

@testable import Watch

/// `preview` never commits, whatever the script: scripts written to slip transaction control past
/// the statement scanner leave the database byte-for-byte unchanged, because the server itself
/// refuses to end the preview's transaction (see MigrationPreview).
struct PreviewSafetyTests {
    static let schema = """
        CREATE TABLE t (a integer PRIMARY KEY, b text);
        INSERT INTO t VALUES (1, 'one'), (2, 'two');
        COMMENT ON COLUMN t.b IS 'kept';
        """

    /// Everything a script could change: user relations, columns, indexes, constraints, comments,
    /// functions and procedures, schemas, the rows of `t`, and prepared transactions.
    func fingerprint(_ dsn: String) throws -> String {
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        return try connection.query(
            """
            SELECT md5(concat_ws('|',
              (SELECT string_agg(format('%s %s %s %s %s', c.oid, c.relname, c.relkind, c.relfilenode, c.relnatts),
                  ',' ORDER BY c.oid)
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname !~ '^pg_' AND
                     n.nspname <> 'information_schema'),
              (SELECT string_agg(format('%s %s %s %s %s %s', a.attrelid, a.attnum, a.attname, a.atttypid,
                  a.attnotnull, a.attisdropped), ',' ORDER BY a.attrelid, a.attnum)
                 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'),
              (SELECT string_agg(format('%s %s', conname, pg_get_constraintdef(oid)), ',' ORDER BY conname) FROM
                  pg_constraint WHERE connamespace = 'public'::regnamespace),
              (SELECT string_agg(format('%s %s %s', objoid, objsubid, description), ',' ORDER BY objoid, objsubid)
                  FROM pg_description),
              (SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc WHERE pronamespace =
                  'public'::regnamespace),
              (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace),
              (SELECT string_agg(t::text, ',' ORDER BY a) FROM t),
              (SELECT count(*)::text FROM pg_prepared_xacts)))
            """
        ).string(0, 0) ?? ""
    }

    func file(_ text: String) throws -> String { try ScriptFiles.write(text) }

    /// (name, script, the scanner lets it through so only the server can stop it). The first two
    /// slipped past the scanner before it learned them; every script also runs past the scanner.
    static let corpus: [(String, String, Bool)] = [
        (
            "x$$ is an identifier to PostgreSQL",
            "ALTER TABLE t DROP COLUMN b;\nSELECT 1 AS x$$;\nCOMMIT;\nSELECT 2 AS y$$;", false
        ),
        (
            "a backslash ends a typed plain string", "ALTER TABLE t DROP COLUMN b;\nSELECT name'a\\';\nCOMMIT;\n-- '",
            false
        ),
        (
            "standard_conforming_strings off",
            "SET standard_conforming_strings = off;\nALTER TABLE t DROP COLUMN b;\nSELECT 'a\\'';\nCOMMIT;\n-- '", true
        ),
        (
            "standard_conforming_strings off, escape_string_warning",
            "SET LOCAL standard_conforming_strings TO off;\nDELETE FROM t;\nSELECT 'x\\'' AS y;\nEND;\n-- '", true
        ),
        ("an E-string escape", "ALTER TABLE t DROP COLUMN b;\nSELECT E'\\\\';\nCOMMIT;", false),
        ("U& string", "ALTER TABLE t DROP COLUMN b;\nSELECT U&'\\0041';\nCOMMIT;", false),
        (
            "COMMIT inside EXECUTE in a DO block",
            "ALTER TABLE t DROP COLUMN b;\nDO $a$ BEGIN EXECUTE 'COMMIT'; END $a$;", true
        ),
        ("COMMIT in a DO block", "DO $$ BEGIN ALTER TABLE t DROP COLUMN b; COMMIT; END $$;", true),
        ("ROLLBACK AND CHAIN in a DO block", "DELETE FROM t;\nDO $$ BEGIN ROLLBACK AND CHAIN; END $$;", true),
        (
            "a procedure that commits",
            "CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN ALTER TABLE t DROP COLUMN b; COMMIT; END $$;\nCALL p();",
            true
        ),
        (
            "a procedure that prepares",
            "CREATE PROCEDURE q() LANGUAGE plpgsql AS $body$ BEGIN EXECUTE 'PREPARE TRANSACTION ''cw'''; END "
                + "$body$;\nCALL q();",
            true
        ),
        ("nested comments", "ALTER TABLE t DROP COLUMN b;\n/* outer /* inner */ still a comment */ COMMIT;", false),
        ("COMMIT AND CHAIN", "ALTER TABLE t DROP COLUMN b;\nCOMMIT AND CHAIN;", false),
        ("PREPARE TRANSACTION", "ALTER TABLE t DROP COLUMN b;\nPREPARE TRANSACTION 'cw';", false),
        ("END", "DROP TABLE t;\nEND;", false),
        (
            "an ordinary migration",
            "ALTER TABLE t DROP COLUMN b;\nINSERT INTO t VALUES (3);\nDELETE FROM t WHERE a = 1;\nCOMMENT ON "
                + "TABLE t IS 'x';",
            false
        ),
    ]

    @Test(arguments: corpus.indices)
    func adversarialScriptsLeaveTheDatabaseUnchanged(index: Int) throws {
        let (name, script, onlyTheServerCanStopIt) = Self.corpus[index]
        let dsn = try freshDatabase(Self.schema)
        let folder = try ContractDirectory([
            "t.json": seedContract(name: "t", table: "t", columns: [("a", "{}"), ("b", "{}")])
        ])
        let before = try fingerprint(dsn)
        // In place: the one mode that opens a writable session on the target.
        let run = try runBinary(["preview", try file(script), "--in-place", "--dsn", dsn, "--contracts", folder.path])
        #expect(try fingerprint(dsn) == before, "\(name): the database changed; preview said: \(run.stderr)")
        if onlyTheServerCanStopIt {
            // The scanner did not refuse it: PostgreSQL did, and the preview says so.
            #expect(run.status == 3, "\(name): \(run.stderr)")
            #expect(
                run.stderr.contains("the migration failed") && run.stderr.contains("rolled back (PostgreSQL confirms"),
                "\(name): \(run.stderr)")
        }
        // The scanner's refusals are not the guarantee: run every script past them (as the
        // scanner splits it), and PostgreSQL still refuses to end the transaction.
        let contracts = try folder.load()
        let unscreened = Result { () throws(MigrationPreview.Failure) in
            try MigrationPreview.run(
                script: MigrationScript(script), contracts: contracts, settings: ConnectionSettings(dsn: dsn))
        }
        #expect(try fingerprint(dsn) == before, "\(name): the database changed when run past the scanner")
        if case .failure(let failure) = unscreened {
            #expect(failure.rolledBack, "\(name): \(failure)")
        }
        if run.status == 0 || run.status == 1 {
            #expect(
                run.stderr.contains("rolled back; the database is unchanged (PostgreSQL confirms"),
                "\(name): \(run.stderr)")
        }
    }

    @Test func rolledBackIsSaidOnlyWhenTheServerConfirmsIt() throws {
        let dsn = try freshDatabase(Self.schema)
        let observer = try Connection(ConnectionSettings(dsn: dsn))
        let writer = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        func transaction(_ end: String) throws -> String {
            try writer.execute(script: "BEGIN")
            let xid = try writer.query("SELECT txid_current()::text").string(0, 0) ?? ""
            try writer.execute(script: "INSERT INTO t VALUES (\(Int.random(in: 10...1_000_000)));" + end)
            return xid
        }
        try MigrationPreview.confirmRolledBack(transaction: try transaction("ROLLBACK"), observer: observer)
        #expect(throws: MigrationPreview.Failure.self) {
            try MigrationPreview.confirmRolledBack(transaction: try transaction("COMMIT"), observer: observer)
        }
        let inProgress = try transaction("") // still open: neither committed nor aborted
        #expect(throws: MigrationPreview.Failure.self) {
            try MigrationPreview.confirmRolledBack(transaction: inProgress, observer: observer)
        }
        try writer.execute(script: "ROLLBACK")
    }
}
