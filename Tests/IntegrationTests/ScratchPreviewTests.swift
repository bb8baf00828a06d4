import CatalogReader
import Foundation
import Postgres
import Testing

/// `preview` by default runs the migration on a schema copy in a throwaway server: the target is
/// read, never written, never locked by the migration, and its effects are told with the
/// target's own sizes.
struct ScratchPreviewTests {
    func file(_ text: String) throws -> String { try ScriptFiles.write(text) }

    @Test func theTargetKeepsBeingWrittenAndIsNeverLockedOrChanged() throws {
        let role = "cw_reader_" + UUID().uuidString.prefix(8).lowercased()
        let dsn = try freshDatabase(
            """
            CREATE TABLE t (a integer NOT NULL, b text);
            INSERT INTO t SELECT g, 'x' FROM generate_series(1, 2000) g;
            ANALYZE t;
            CREATE ROLE \(role);
            """)
        let folder = try ContractDirectory([
            "t.json": seedContract(
                name: "t", table: "t", columns: [("a", #"{"constraints": {"data_type": "integer"}}"#), ("b", "{}")])
        ])
        func fingerprint() throws -> String {
            try CatalogFingerprint.fingerprint(Connection(ConnectionSettings(dsn: dsn)))
        }
        let before = try fingerprint()
        // A session in the middle of a write transaction on t: the migration's ACCESS EXCLUSIVE
        // lock would have to wait for it on the target.
        let writer = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        try writer.execute(script: "BEGIN; INSERT INTO t VALUES (0, 'in flight');")
        let started = Date()
        let run = try runBinary([
            "preview", try file("ALTER TABLE t ALTER COLUMN a TYPE bigint;\nGRANT SELECT ON t TO \(role);\n"),
            "--dsn", dsn, "--contracts", folder.path, "--format", "json",
        ])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(run.stderr.contains("running on a schema copy of"), "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect((json["violations"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } == ["data_type"])
        let hazards = try #require((json["preview"] as? [String: Any])?["hazards"] as? [[String: Any]])
        let rewrite = try #require(hazards.first { $0["code"] as? String == "CW101" }, "\(hazards)")
        // The copy has no rows: the size is the target's, from its statistics.
        #expect((rewrite["detail"] as? String)?.contains("72 kB, ~2.0k rows") == true, "\(rewrite)")
        // The writer was never blocked and goes on; the target is as it was, plus its own write.
        try writer.execute(script: "INSERT INTO t VALUES (-1, 'after'); COMMIT;")
        #expect(try fingerprint() == before, "the target's catalog changed")
        let rows = try Connection(ConnectionSettings(dsn: dsn)).query("SELECT count(*) FROM t").int(0, 0)
        #expect(rows == 2002)
    }

    /// PostgreSQL runs `CREATE INDEX CONCURRENTLY` only outside a transaction block; on the copy
    /// preview runs it as its stand-in (the same index without the word), so its result shows,
    /// and judges it as written: no CW103, no lock_timeout warning. In place it stays refused.
    @Test func concurrentlyFormsRunOnTheCopyAndAreJudgedAsWritten() throws {
        let dsn = try freshDatabase(
            """
            CREATE TABLE t (a integer NOT NULL, b text);
            CREATE INDEX t_b_old ON t (b);
            INSERT INTO t SELECT g, 'x' FROM generate_series(1, 100) g;
            """)
        let folder = try ContractDirectory([
            "t.odcs.yaml": odcsContract(
                id: "t", table: "t", properties: [("a", ["physicalType: integer", "unique: true"])])
        ])
        let migration = try file(
            """
            CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON t (a);
            DROP INDEX CONCURRENTLY t_b_old;
            REINDEX TABLE CONCURRENTLY t;
            """)
        let run = try runBinary([
            "preview", migration, "--dsn", dsn, "--contracts", folder.path, "--format", "json", "--fail-on", "warning",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let preview = try #require(json["preview"] as? [String: Any])
        #expect((preview["hazards"] as? [Any])?.isEmpty == true, "\(preview["hazards"] ?? "")")
        // The unique index exists after the stand-in ran: the contract's `unique` is now kept.
        let fixed = try #require(preview["fixed"] as? [[String: Any]])
        #expect(fixed.compactMap { $0["kind"] as? String } == ["unique"], "\(fixed)")

        let inPlace = try runBinary(["preview", migration, "--in-place", "--dsn", dsn, "--contracts", folder.path])
        #expect(inPlace.status == 2, "\(inPlace.stderr)")
        #expect(inPlace.stderr.contains("without --in-place, preview runs CONCURRENTLY forms"), "\(inPlace.stderr)")
        // The target was never touched: its old index is still there, the new one never made.
        let indexes = try Connection(ConnectionSettings(dsn: dsn)).query(
            "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 't'")
        #expect(indexes.string(0, 0) == "t_b_old")
    }

    @Test func inPlaceRefusesAServerElsewhereUnlessToldYes() throws {
        let migration = try file("ALTER TABLE t ADD COLUMN c int;")
        let folder = try ContractDirectory(["t.json": seedContract(name: "t", table: "t", columns: [("a", "{}")])])
        let remote = "host=db.example.invalid dbname=app connect_timeout=2"
        let refused = try runBinary(["preview", migration, "--in-place", "--dsn", remote, "--contracts", folder.path])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("db.example.invalid, which is not this machine"), "\(refused.stderr)")
        let told = try runBinary([
            "preview", migration, "--in-place", "--yes", "--dsn", remote, "--contracts", folder.path,
        ])
        #expect(told.status == 3, "it tries, and cannot connect: \(told.stderr)")
        #expect(!told.stderr.contains("not this machine"))
    }

    @Test func hazardsFailTheGateUnlessSuppressedAndReportsSayWhy() throws {
        let dsn = try freshDatabase(
            "CREATE TABLE t (a integer, b text); INSERT INTO t SELECT g, 'x' FROM generate_series(1, 10) g;")
        let folder = try ContractDirectory(["t.json": seedContract(name: "t", table: "t", columns: [("a", "{}")])])
        let rewrite = "SET lock_timeout = '2s';\nALTER TABLE t ALTER COLUMN a TYPE bigint;\n"
        let failing = try runBinary(["preview", try file(rewrite), "--dsn", dsn, "--contracts", folder.path])
        #expect(failing.status == 1, "a rewrite is an error-severity hazard: \(failing.stderr)")
        #expect(failing.stderr.contains("hazards of severity error"), "\(failing.stderr)")
        #expect(failing.stdout.contains("CW101 ERROR line 2"), "\(failing.stdout)")

        let ignored = try file(
            "SET lock_timeout = '2s';\nALTER TABLE t ALTER COLUMN a TYPE bigint; "
                + "-- contractwatch:ignore CW101 ten rows\n"
        )
        let passing = try runBinary(["preview", ignored, "--dsn", dsn, "--contracts", folder.path])
        #expect(passing.status == 0, "\(passing.stderr)")
        #expect(passing.stdout.contains("1 suppressed:"), "\(passing.stdout)")
        #expect(passing.stdout.contains("ignore at line 2: ten rows"), "\(passing.stdout)")
        let json = try runBinary(["preview", ignored, "--dsn", dsn, "--contracts", folder.path, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let preview = try #require(object["preview"] as? [String: Any])
        #expect((preview["hazards"] as? [Any])?.isEmpty == true)
        let suppressed = try #require((preview["suppressed"] as? [[String: Any]])?.first)
        #expect(suppressed["code"] as? String == "CW101" && suppressed["reason"] as? String == "ten rows")
        #expect(preview["ran_on"] as? String == "on a schema copy")
        let junit = try runBinary(["preview", ignored, "--dsn", dsn, "--contracts", folder.path, "--format", "junit"])
        #expect(junit.stdout.contains("<skipped message=\"suppressed: ten rows\">"), "\(junit.stdout)")
        #expect(junit.stdout.contains("failures=\"0\""))

        // A warning-severity hazard (a rename) fails only --fail-on warning.
        let rename = try file("SET lock_timeout = '2s';\nALTER TABLE t RENAME COLUMN b TO c;\n")
        let lenient = try runBinary(["preview", rename, "--dsn", dsn, "--contracts", folder.path])
        #expect(lenient.status == 0, "\(lenient.stderr)")
        let strict = try runBinary([
            "preview", rename, "--dsn", dsn, "--contracts", folder.path, "--fail-on", "warning", "--format", "junit",
        ])
        #expect(strict.status == 1, "\(strict.stderr)")
        #expect(strict.stdout.contains("<failure type=\"CW106\" message=\"[warning] renames a table or column\">"))
    }

    @Test func dataChecksAskTheTargetWhatTheMigrationAssumes() throws {
        let dsn = try freshDatabase(
            #"""
            CREATE TABLE dc (id int, code text, note text, gone text);
            INSERT INTO dc VALUES (1, 'a', NULL, 'x'), (2, 'a', 'n', NULL);
            CREATE TABLE old_stuff (a int); INSERT INTO old_stuff VALUES (1);
            CREATE TABLE empty_one (a int);
            CREATE TABLE "Odd ""Name""" ("select" int); INSERT INTO "Odd ""Name""" VALUES (1), (1);
            """#)
        let folder = try ContractDirectory(["dc.json": seedContract(name: "dc", table: "dc", columns: [("id", "{}")])])
        let migration = try file(
            #"""
            SET lock_timeout = '2s';
            ALTER TABLE dc ALTER COLUMN note SET NOT NULL;
            CREATE UNIQUE INDEX dc_code ON dc (code);
            ALTER TABLE dc DROP COLUMN gone;
            DROP TABLE old_stuff;
            DROP TABLE empty_one;
            ALTER TABLE dc ADD COLUMN req int NOT NULL;
            ALTER TABLE dc ADD PRIMARY KEY (id);
            ALTER TABLE "Odd ""Name""" ADD UNIQUE ("select");
            ALTER TABLE dc RENAME COLUMN code TO label;
            """#)
        // Without --data-checks the target's data is not read; the report says what would be asked.
        let unasked = try runBinary(["preview", migration, "--dsn", dsn, "--contracts", folder.path])
        #expect(unasked.stdout.contains("9 data checks apply"), "\(unasked.stdout)")
        #expect(unasked.stdout.contains("--data-checks asks the target"))

        // In place the migration itself meets the data, and fails at its first assumption.
        let inPlace = try runBinary(["preview", migration, "--in-place", "--dsn", dsn, "--contracts", folder.path])
        #expect(inPlace.status == 3, "\(inPlace.stderr)")
        #expect(inPlace.stderr.contains("failed at statement 2 of 10 (line 2)"), "\(inPlace.stderr)")

        do {
            let run = try runBinary([
                "preview", migration, "--dsn", dsn, "--contracts", folder.path, "--data-checks", "--format", "json",
            ])
            #expect(run.status == 1, "\(run.stderr)")
            #expect(run.stderr.contains("the target's data says: public.dc (note) holds NULLs"), "\(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let checks = try #require((json["preview"] as? [String: Any])?["data_checks"] as? [[String: Any]])
            let answers = checks.map { check in
                let columns = (check["columns"] as? [String] ?? []).joined(separator: ",")
                return "\(check["line"] ?? 0) \(check["kind"] ?? "") \(check["table"] ?? "") (\(columns)) "
                    + "\(check["outcome"] ?? "")"
            }
            #expect(
                answers == [
                    "2 nulls_before_not_null public.dc (note) found",
                    "3 duplicates_before_unique public.dc (code) found",
                    "4 values_in_dropped_column public.dc (gone) found",
                    "5 rows_in_dropped_table public.old_stuff () found",
                    "6 rows_in_dropped_table public.empty_one () passed",
                    "7 rows_before_required_column public.dc (req) found",
                    "8 nulls_before_not_null public.dc (id) passed",
                    "8 duplicates_before_unique public.dc (id) passed",
                    #"9 duplicates_before_unique public."Odd ""Name""" (select) found"#,
                    // The index on code, which line 10 renames: asked under the target's name.
                ], "\(answers)")
        }
        // The renamed column is no drop, and nothing was written.
        let rows = try Connection(ConnectionSettings(dsn: dsn)).query("SELECT count(*) FROM old_stuff").int(0, 0)
        #expect(rows == 1)
    }
}
