import Catalog
import Checks
import ContractFiles
import Contracts
import Dashboard
import DemoDatabase
import Foundation
import Postgres
import Preview
import Testing
import Watch
import WatchModel

/// Every screen and detail of the dashboard, drawn from a real server's catalog (the demo
/// schema, its contracts and owners, then a migration), at 80×24 and 120×40, and the Violations
/// screen at 250×70. Times and names that change per run are fixed so the text is stable.
/// To accept a deliberate change: CONTRACTWATCH_RECORD_SNAPSHOTS=1 swift test, then review.
@Suite(.serialized)
struct ScreenSnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Snapshots"
    ).path
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// The demo database before and after a migration that renames one contracted column,
    /// drops another of the same table and loosens a NOT NULL, seen by two polls.
    static let watched: Result<WatchStatus, any Error> = Result {
        let dsn = try freshDatabase(DemoDatabase.schemaSQL)
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/contracts") {
            files[name] = try String(contentsOfFile: repositoryRoot + "/contracts/" + name, encoding: .utf8)
        }
        files["broken.json"] = "{\n  \"name\": \"broken\",\n  \"schema\": {},}\n"
        let folder = try ContractDirectory(files)
        var contracts = try folder.load()
        // Paths as a user types them, not the temporary folder's.
        func relative(_ file: String) -> String { "contracts/" + (file as NSString).lastPathComponent }
        contracts.contracts = contracts.contracts.map { contract in
            var contract = contract
            contract.file = relative(contract.file)
            return contract
        }
        contracts.errors = contracts.errors.map { error in
            var error = error
            error.file = relative(error.file)
            return error
        }
        let server = ServerInfo(
            database: "postgres", user: "postgres", host: "/tmp/demo/run", port: "5432", serverVersion: "15")
        var status = WatchStatus(target: "configured DSN", interval: 2)
        func poll(at seconds: Double) throws {
            let read = try snapshot(dsn)
            let catalog = CatalogSnapshot(
                database: DatabaseIdentity(name: "postgres", serverVersion: "15"), relations: read.relations)
            let checked = CheckedPoll(
                contracts: contracts, snapshot: catalog, result: Checker.check(contracts, against: catalog),
                kind: .full,
                scope: nil, server: server, problem: nil, startedAt: t0.addingTimeInterval(seconds - 0.012),
                finishedAt: t0.addingTimeInterval(seconds))
            status.record(checked, status.effects(of: checked))
        }
        try poll(at: 0)
        let migration = """
            ALTER TABLE object_images RENAME COLUMN primary_image TO image;
            ALTER TABLE object_images DROP COLUMN additional_images;
            ALTER TABLE object_history ALTER COLUMN created_at DROP NOT NULL;
            """
        // The Migrations screen: the demo's safe example and this migration, previewed (in place,
        // on a database of their own) before it is applied.
        let safe = try String(contentsOfFile: repositoryRoot + "/migrations/001_object_dimensions.sql", encoding: .utf8)
        let pending: [MigrationFolder.File] = MigrationFolder(files: [
            "001_object_dimensions.sql": safe, "002_rework_images.sql": migration,
        ]).files
        let script = MigrationScript(files: pending.map { ($0.name, $0.sql, $0.lineOffset) })
        let run = try MigrationPreview.run(
            script: script, contracts: contracts,
            settings: ConnectionSettings(dsn: try freshDatabase(DemoDatabase.schemaSQL)))
        let impact = MigrationImpact(before: run.before, after: run.after)
        var migrations = MigrationsStatus(folder: "migrations")
        migrations.layout = .numbered
        migrations.notes = [
            "no history table for plain numbered files: every file is pending (--from FILE starts later)"
        ]
        migrations.attribute(
            statements: run.statements, versions: [:], introduced: impact.introduced, introducedBy: run.introducedBy,
            hazards: run.hazards, suppressed: run.suppressed, effects: run.effects, previous: nil)
        migrations.ranAt = t0.addingTimeInterval(1)
        migrations.seconds = 0.2
        migrations.ranOn = "in place"
        migrations.runCount = 1
        status.migrations = migrations
        try migrate(dsn, migration)
        try poll(at: 2)
        return status
    }

    func model() throws -> DashboardModel {
        DashboardModel(status: try Self.watched.get(), hints: ["  psql -h /tmp/demo/run -U postgres postgres"])
    }

    func render(_ model: inout DashboardModel, _ width: Int, _ height: Int) -> Frame {
        var frame = Frame(width: width, height: height)
        Renderer.draw(&model, on: &frame, now: Self.t0.addingTimeInterval(3))
        return frame
    }

    func expectSnapshot(_ frame: Frame, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation)
        throws
    {
        let path = Self.directory + "/\(name).txt"
        let text = frame.text + "\n"
        if ProcessInfo.processInfo.environment["CONTRACTWATCH_RECORD_SNAPSHOTS"] == "1"
            || !FileManager.default.fileExists(atPath: path)
        {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("recorded a new snapshot at \(path); review it and run again", sourceLocation: sourceLocation)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == expected, "differs from \(path)", sourceLocation: sourceLocation)
    }

    /// Keys that lead to each screen, from a fresh model.
    static let screens: [(name: String, keys: [Key])] = [
        ("contracts", [.character("1")]),
        ("contract_invalid", [.character("1"), .enter]),
        (
            "contract_violated",
            [.character("1"), .character("/")] + "images-contract".map { .character($0) } + [.enter, .enter]
        ),
        ("tables", [.character("2")]),
        ("table_detail", [.character("2"), .down, .down, .down, .down, .down, .enter]),
        ("violations", [.character("3")]),
        ("violation_detail", [.character("3"), .enter]),
        ("violation_detail_scrolled", [.character("3"), .enter, .end]),
        ("owners", [.character("4")]),
        ("owner_detail", [.character("4"), .enter]),
        ("changes", [.character("5")]),
        ("change_detail", [.character("5"), .enter]),
        ("migrations", [.character("6")]),
        ("migration_detail", [.character("6"), .down, .enter]),
        ("notices", [.character("7")]),
        ("help", [.character("3"), .character("?")]),
    ]

    @Test(arguments: [(80, 24), (120, 40)])
    func everyScreenAndDetail(width: Int, height: Int) throws {
        for screen in Self.screens {
            var m = try model()
            _ = render(&m, width, height) // the frame's size, for paging and scrolling
            for key in screen.keys {
                _ = m.handle(key, now: Self.t0.addingTimeInterval(3))
                _ = render(&m, width, height)
            }
            try expectSnapshot(render(&m, width, height), "\(screen.name)_\(width)x\(height)")
        }
    }

    @Test func theWideViolationsScreen() throws {
        var m = try model()
        _ = m.handle(.character("3"))
        try expectSnapshot(render(&m, 250, 70), "violations_250x70")
    }

    /// Two violations on one table read differently at 80×24: the identifying column (WHERE)
    /// is never cut to a shared prefix, every row opens something, and the owner card's last
    /// role can be reached by scrolling the detail.
    @Test func atEightyColumnsEveryRowIsTellableAndOpens() throws {
        var m = try model()
        _ = m.handle(.character("3"))
        let frame = render(&m, 80, 24)
        let rows = (3..<8).map { frame.line($0) }.filter { $0.contains("column_missing") }
        #expect(rows.count == 2 && Set(rows).count == 2, "\(frame.text)")
        #expect(rows.contains { $0.contains("public.object_images.primary_image") })
        #expect(rows.contains { $0.contains("public.object_images.additional_images") })
        for screen in RootScreen.all {
            var list = try model()
            _ = list.handle(.character(Character(String(RootScreen.all.firstIndex { $0.id == screen.id }! + 1))))
            let view = list.visible()
            for row in view.rows {
                #expect(row.target != nil, "\(screen.name): \(row.id) opens nothing")
            }
        }
        // The last role of the owner card is on screen after scrolling to the end of the detail.
        var detail = try model()
        for key: Key in [.character("3"), .enter] { _ = detail.handle(key) }
        let roles = detail.visible().content.header.filter { $0.segments.first?.text.hasPrefix("Steward") ?? false }
        let last = try #require(
            detail.visible().content.header.last { $0.segments.first?.role == .label }?.segments.first?.text)
        var seen = ""
        for _ in 0..<40 {
            seen += render(&detail, 80, 24).text
            _ = detail.handle(.down)
        }
        #expect(seen.contains(last.trimmingCharacters(in: .whitespaces)), "never showed \(last)")
        _ = roles
    }
}

/// The violation detail's table DDL is SQL PostgreSQL runs: after the three-character diff
/// prefix, the contract's side (`-` and context lines) and the catalog's side (`+` and context)
/// each create the table.
struct DiffDDLIsValidSQLTests {
    @Test func bothSidesOfTheDiffCreateTheTable() throws {
        let status = try ScreenSnapshotTests.watched.get()
        let result = try #require(status.result)
        var ran = 0
        for violation in result.violations {
            let contract = status.contracts.contracts.first { $0.file == violation.file }
            let relation = status.snapshot?.relation(violation.qualifiedTable)
            let lines = DDL.diff(
                violation: violation, contract: contract, relation: relation,
                violatedColumns: Set(result.violations(forFile: violation.file).compactMap(\.column)),
                database: "postgres")
            let table = lines.drop { !$0.text.hasPrefix("@@ table") }.dropFirst()
            for side in ["-", "+"] {
                let sql = table.filter { $0.text.hasPrefix(" ") || $0.text.hasPrefix(side) }
                    .map { String($0.text.dropFirst(3)) }.joined(separator: "\n")
                    .replacingOccurrences(of: "CREATE TABLE public.", with: "CREATE TABLE scratch.")
                #expect(sql.hasPrefix("CREATE TABLE scratch."), "\(sql)")
                let dsn = try freshDatabase("CREATE SCHEMA scratch;")
                try migrate(dsn, sql)
                ran += 1
            }
        }
        #expect(ran == 6)
    }
}
