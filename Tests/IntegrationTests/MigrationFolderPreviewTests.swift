import Foundation
import Preview
import Testing

/// `preview DIR`: the folder's layout, its tool's own history table, and the pending files
/// previewed together, each finding attributed to its file and line.
struct MigrationFolderPreviewTests {
    static let contract = seedContract(
        name: "t", table: "t",
        columns: [
            ("a", #"{"constraints": {"data_type": "integer"}}"#), ("b", #"{"constraints": {"data_type": "text"}}"#),
        ])

    @Test func flywayPendingComesFromItsHistoryTableAndFindingsNameTheirFile() throws {
        let v1 = "CREATE TABLE t (a integer, b text);\n"
        let dsn = try freshDatabase(
            """
            \(v1)
            CREATE TABLE flyway_schema_history (
                installed_rank integer PRIMARY KEY, version varchar(50), description varchar(200) NOT NULL,
                type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum integer,
                installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(),
                execution_time integer NOT NULL, success boolean NOT NULL);
            INSERT INTO flyway_schema_history VALUES (1, '1', 'create t', 'SQL', 'V1__create_t.sql',
                \(MigrationFolder.flywayChecksum(v1)), 'me', now(), 5, true);
            """)
        let contracts = try ContractDirectory(["t.json": Self.contract])
        let migrations = try ContractDirectory([
            "V1__create_t.sql": v1,
            "V2__add_c.sql": "SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN c integer;\n",
            "V3__drop_b.sql": "-- b moves to another table\n\nALTER TABLE t DROP COLUMN b;\n",
            "R__t_view.sql": "CREATE OR REPLACE VIEW t_view AS SELECT a FROM t;\n",
        ])
        let run = try runBinary([
            "preview", migrations.path, "--dsn", dsn, "--contracts", contracts.path, "--format", "json",
        ])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("public.flyway_schema_history: 1 applied"), "\(run.stderr)")
        #expect(
            run.stderr.contains("pending, in order: V2__add_c.sql, V3__drop_b.sql, R__t_view.sql"), "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let preview = try #require(json["preview"] as? [String: Any])
        let cause = try #require((preview["introduced_by"] as? [[String: Any]])?.first)
        #expect(cause["kind"] as? String == "column_missing")
        #expect(cause["file"] as? String == "V3__drop_b.sql" && cause["line"] as? Int == 3, "\(cause)")
        let hazards = try #require(preview["hazards"] as? [[String: Any]])
        let drop = try #require(hazards.first { $0["code"] as? String == "CW105" }, "\(hazards)")
        #expect(drop["file"] as? String == "V3__drop_b.sql" && drop["line"] as? Int == 3)
        // V3 sets no lock_timeout, but V2 did, on the same session: no CW104.
        #expect(!hazards.contains { $0["code"] as? String == "CW104" }, "\(hazards)")

        let text = try runBinary(["preview", migrations.path, "--dsn", dsn, "--contracts", contracts.path])
        #expect(text.stdout.contains("breaks: column_missing public.t.b (t), at V3__drop_b.sql:3"), "\(text.stdout)")
        #expect(text.stdout.contains("CW105 ERROR V3__drop_b.sql:3"), "\(text.stdout)")
    }

    @Test func golangMigrateStandsAtOneVersionAndAFailingFileIsNamed() throws {
        let dsn = try freshDatabase(
            """
            CREATE TABLE t (a integer, b text);
            CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
            INSERT INTO schema_migrations VALUES (1, false);
            """)
        let contracts = try ContractDirectory(["t.json": Self.contract])
        let migrations = try ContractDirectory([
            "000001_create.up.sql": "CREATE TABLE t (a integer, b text);", "000001_create.down.sql": "DROP TABLE t;",
            "000002_widen.up.sql": "ALTER TABLE t ALTER COLUMN a TYPE bigint;",
            "000002_widen.down.sql": "ALTER TABLE t ALTER COLUMN a TYPE integer;",
        ])
        let run = try runBinary(["preview", migrations.path, "--in-place", "--dsn", dsn, "--contracts", contracts.path])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("pending, in order: 000002_widen.up.sql\n"), "\(run.stderr)")
        #expect(run.stdout.contains("breaks: data_type public.t.a (t), at 000002_widen.up.sql:1"), "\(run.stdout)")

        // A file that fails is named with its line.
        try migrations.write("000003_bad.up.sql", "\n\nALTER TABLE t ADD COLUMN a integer;")
        let failing = try runBinary([
            "preview", migrations.path, "--in-place", "--dsn", dsn, "--contracts", contracts.path,
        ])
        #expect(failing.status == 3, "\(failing.stderr)")
        #expect(failing.stderr.contains("statement 2 of 2 (000003_bad.up.sql:3)"), "\(failing.stderr)")
        #expect(failing.stderr.contains("already exists"), "\(failing.stderr)")

        try migrate(dsn, "UPDATE schema_migrations SET version = 3")
        let none = try runBinary(["preview", migrations.path, "--dsn", dsn, "--contracts", contracts.path])
        #expect(none.status == 0, "\(none.stderr)")
        #expect(none.stderr.contains("nothing pending"), "\(none.stderr)")
    }

    @Test func dbmateVersionsAndUpSectionsWithPlainFoldersFromAFile() throws {
        let dsn = try freshDatabase(
            """
            CREATE TABLE t (a integer, b text);
            CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);
            INSERT INTO schema_migrations VALUES ('20240101000000');
            """)
        let contracts = try ContractDirectory(["t.json": Self.contract])
        let migrations = try ContractDirectory([
            "20240101000000_create.sql": "-- migrate:up\nCREATE TABLE t (a integer, b text);\n-- migrate:down\n",
            "20240201000000_rename.sql":
                "-- migrate:up\nSET lock_timeout = '1s';\nALTER TABLE t RENAME COLUMN b TO note;\n\n"
                + "-- migrate:down\nALTER TABLE t RENAME COLUMN note TO b;\n",
        ])
        let run = try runBinary(["preview", migrations.path, "--in-place", "--dsn", dsn, "--contracts", contracts.path])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("dbmate layout; pending, in order: 20240201000000_rename.sql"), "\(run.stderr)")
        #expect(run.stdout.contains("at 20240201000000_rename.sql:3"), "the down section never ran: \(run.stdout)")
        #expect(run.stdout.contains("CW106 WARNING 20240201000000_rename.sql:3"), "\(run.stdout)")

        // Plain numbered files have no history: --from names the first pending one.
        let plain = try ContractDirectory([
            "1_create.sql": "CREATE TABLE t (a integer, b text);", "2_add.sql": "ALTER TABLE t ADD COLUMN c int;",
            "10_drop.sql": "ALTER TABLE t DROP COLUMN c;",
        ])
        let from = try runBinary([
            "preview", plain.path, "--from", "2_add.sql", "--in-place", "--dsn", dsn, "--contracts", contracts.path,
        ])
        #expect(from.status == 1, "a drop is an error hazard: \(from.stderr)")
        #expect(from.stderr.contains("pending, in order: 2_add.sql, 10_drop.sql"), "\(from.stderr)")
        let everything = try runBinary([
            "preview", plain.path, "--in-place", "--dsn", dsn, "--contracts", contracts.path,
        ])
        #expect(everything.status == 3, "1_create.sql was already applied: \(everything.stderr)")
        #expect(everything.stderr.contains("every file is pending"), "\(everything.stderr)")
    }
}
