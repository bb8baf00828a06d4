import Preview
import Testing

struct MigrationFolderTests {
    @Test func flywayVersionsInOrderThenRepeatablesAndUndoIsSkipped() {
        let folder = MigrationFolder(files: [
            "V1_10__late.sql": "SELECT 1;", "V1_9__early.sql": "SELECT 1;", "V2__next.sql": "SELECT 1;",
            "R__views.sql": "CREATE VIEW v AS SELECT 1;", "U2__undo.sql": "SELECT 1;", "notes.txt": "x",
            "V3__Add_Index.SQL": "SELECT 1;",
        ])
        #expect(folder.layout == .flyway)
        #expect(folder.files.map(\.name) == ["V1_9__early.sql", "V1_10__late.sql", "V2__next.sql", "R__views.sql"])
        #expect(folder.files.map(\.version) == ["1.9", "1.10", "2", ""])
        #expect(folder.files[0].description == "early" && folder.files[3].repeatable)
        #expect(folder.skipped.map(\.name).sorted() == ["U2__undo.sql", "V3__Add_Index.SQL"])
    }

    @Test func flywayChecksumIsCRC32OfTheLinesWithoutEndings() {
        // zlib.crc32(b"CREATE TABLE t (a int);" + b"ALTER TABLE t ADD b text;") as a signed int32.
        let expected: Int32 = -834_746_152
        #expect(MigrationFolder.flywayChecksum("CREATE TABLE t (a int);\nALTER TABLE t ADD b text;\n") == expected)
        #expect(
            MigrationFolder.flywayChecksum("\u{FEFF}CREATE TABLE t (a int);\r\nALTER TABLE t ADD b text;") == expected)
    }

    @Test func golangMigrateUpFilesByNumberAndDownFilesAreSkipped() {
        let folder = MigrationFolder(files: [
            "000010_ten.up.sql": "", "000010_ten.down.sql": "", "000002_two.up.sql": "", "000002_two.down.sql": "",
        ])
        #expect(folder.layout == .golangMigrate)
        #expect(folder.files.map(\.name) == ["000002_two.up.sql", "000010_ten.up.sql"])
        #expect(folder.files.map(\.version) == ["2", "10"])
        #expect(folder.skipped.count == 2)
    }

    @Test func dbmateRunsOnlyTheUpSectionWithItsLines() {
        let text = "-- a comment\n-- migrate:up\nALTER TABLE t ADD c int;\n\n-- migrate:down\nALTER TABLE t DROP c;\n"
        let folder = MigrationFolder(files: [
            "20240102000000_add_c.sql": text, "20231231000000_first.sql": "-- migrate:up\nSELECT 1;",
        ])
        #expect(folder.layout == .dbmate)
        #expect(folder.files.map(\.version) == ["20231231000000", "20240102000000"])
        let file = folder.files[1]
        #expect(!file.sql.contains("DROP"))
        let script = MigrationScript(files: [(file.name, file.sql, file.lineOffset)])
        #expect(script.statements.map(\.location) == ["20240102000000_add_c.sql:3"])
    }

    @Test func numberedFilesCompareDigitRunsAsNumbers() {
        let folder = MigrationFolder(files: ["10_c.sql": "", "2_b.sql": "", "1_a.sql": "", "README.md": ""])
        #expect(folder.layout == .numbered)
        #expect(folder.files.map(\.name) == ["1_a.sql", "2_b.sql", "10_c.sql"])
        let pending = PendingMigrations(folder: folder, history: nil, from: "2_b.sql")
        #expect(pending.pending.map(\.name) == ["2_b.sql", "10_c.sql"])
        #expect(PendingMigrations(folder: folder, history: nil, from: nil).pending.count == 3)
        #expect(
            PendingMigrations(folder: folder, history: nil, from: "9_x.sql").notes.first?.contains("no such") == true)
    }

    @Test func pendingFollowsEachToolsHistory() {
        let flyway = MigrationFolder(files: [
            "V1__a.sql": "SELECT 1;", "V2__b.sql": "SELECT 2;", "R__v.sql": "CREATE VIEW v AS SELECT 1;",
        ])
        let ran = MigrationFolder.flywayChecksum("CREATE VIEW v AS SELECT 1;")
        let history = MigrationHistory(
            tool: .flyway, table: "public.flyway_schema_history",
            entries: [
                .init(version: "1.0", description: "a", script: "V1__a.sql", checksum: 5),
                .init(version: nil, description: "v", script: "R__v.sql", checksum: ran),
            ])
        let pending = PendingMigrations(folder: flyway, history: history, from: nil)
        #expect(pending.pending.map(\.name) == ["V2__b.sql"], "V1 = 1.0 is applied; the view is unchanged")
        #expect(pending.notes.contains { $0.contains("V1__a.sql changed since it was applied") })
        var changed = history
        changed.entries[1].checksum = ran &+ 1
        #expect(
            PendingMigrations(folder: flyway, history: changed, from: nil).pending.map(\.name) == [
                "V2__b.sql", "R__v.sql",
            ])

        let golang = MigrationFolder(files: ["1_a.up.sql": "", "2_b.up.sql": "", "3_c.up.sql": ""])
        let at2 = PendingMigrations(
            folder: golang,
            history: MigrationHistory(
                tool: .golangMigrate, table: "public.schema_migrations", current: "2", dirty: true),
            from: nil)
        #expect(at2.pending.map(\.name) == ["3_c.up.sql"])
        #expect(at2.notes.contains { $0.contains("dirty at 2") })

        let dbmate = MigrationFolder(files: [
            "1_a.sql": "-- migrate:up\n", "2_b.sql": "-- migrate:up\n", "3_c.sql": "-- migrate:up\n",
        ])
        let gaps = PendingMigrations(
            folder: dbmate,
            history: MigrationHistory(
                tool: .dbmate, table: "public.schema_migrations", entries: [.init(version: "1"), .init(version: "3")]),
            from: nil)
        #expect(
            gaps.pending.map(\.name) == ["2_b.sql"], "dbmate applies a version it has not recorded, even an older one")
    }

    @Test func filesPreviewedTogetherKeepTheirOwnLinesAndSuppressions() {
        let script = MigrationScript(files: [
            ("V1__a.sql", "-- contractwatch:ignore-file CW106 renames are fine here\nALTER TABLE t RENAME a TO b;", 0),
            ("V2__b.sql", "\nALTER TABLE t RENAME c TO d;", 0),
        ])
        #expect(script.statements.map(\.location) == ["V1__a.sql:2", "V2__b.sql:2"])
        #expect(script.files == ["V1__a.sql", "V2__b.sql"])
        let hazards = [1, 2].map { Hazard(code: .rename, statement: $0, line: 2, relation: nil, detail: "renames") }
        let (kept, suppressed) = Suppression.apply(hazards, script: script)
        #expect(suppressed.map(\.hazard.statement) == [1])
        #expect(kept.map(\.statement) == [2], "an ignore-file comment covers its own file only")
        #expect(script.locate(kept[0]).location == "V2__b.sql:2")
    }
}
