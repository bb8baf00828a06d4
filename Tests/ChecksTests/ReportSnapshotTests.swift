import Catalog
import Checks
import Contracts
import Foundation
import Preview
import Reports
import Testing

/// Each output format is compared with a snapshot file in `Snapshots/`. To accept a deliberate
/// change, run with CONTRACTWATCH_RECORD_SNAPSHOTS=1 and review the diff.
struct ReportSnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Snapshots"
    ).path

    /// A fixed result with every kind of finding: violations of two owners, a contract error,
    /// notices, odd characters that each format must escape.
    static var report: CheckReport {
        let snap = Build.snapshot(
            [
                Build.table(
                    "object_images",
                    [
                        Build.column("object_id", "integer", precision: 32, scale: 0, nullable: false, pk: 1),
                        Build.column("image", "text"), Build.column("created_at", "timestamp without time zone"),
                    ]),
                Build.table(
                    "orders <&>", schema: "Sales",
                    [Build.column("total|net", "numeric", position: 1, precision: 8, scale: 2, nullable: true)]),
            ], database: "museum")
        let images = Build.contract(
            "object-images-contract-spec", table: "object_images", catalog: "museum",
            file: "contracts/object_images.json",
            [
                (
                    "object_id",
                    ColumnExpectation(
                        primaryKey: true, dataType: "integer",
                        modifiers: ModifierExpectation(numericPrecision: .limited(32)), isNullable: false)
                ),
                ("primary_image", ColumnExpectation(dataType: "text")),
                ("created_at", ColumnExpectation(dataType: "timestamp without time zone", isNullable: false)),
            ])
        var orders = Build.contract(
            "orders \"quoted\"", table: "orders <&>", schema: "Sales", file: "contracts/orders.json",
            [
                (
                    "total|net",
                    ColumnExpectation(
                        modifiers: ModifierExpectation(numericPrecision: .limited(10), numericScale: .limited(1)))
                )
            ])
        orders.consumers = [Consumer(name: "revenue dashboard", kind: "dashboard", owner: "bi-team")]
        let missing = Build.contract("gone", table: "gone", file: "contracts/gone.json", [("a", ColumnExpectation())])
        let error = ContractError(
            file: "contracts/broken.json", location: SourceLocation(line: 4, column: 7),
            message: "trailing comma before '}' is not allowed in JSON")
        let result = Checker.check(Build.set([images, orders, missing], errors: [error]), against: snap)
        return CheckReport(result: result, checkedAt: Date(timeIntervalSince1970: 1_790_000_000))
    }

    @Test(arguments: CheckReport.Format.allCases)
    func matchesSnapshot(format: CheckReport.Format) throws {
        let rendered = Self.report.render(format)
        let ext = [
            "text": "txt", "json": "json", "junit": "xml", "markdown": "md", "github": "github.txt", "sarif": "sarif",
            "gitlab": "gitlab.json",
        ][format.rawValue]!
        let path = Self.directory + "/report.\(ext)"
        if ProcessInfo.processInfo.environment["CONTRACTWATCH_RECORD_SNAPSHOTS"] == "1"
            || !FileManager.default.fileExists(atPath: path)
        {
            try rendered.write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("recorded a new snapshot at \(path); review it and run again")
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(rendered == expected, "differs from \(path)")
    }

    /// Compares `rendered` with `Snapshots/<name>` (recording it when asked or missing).
    func expectSnapshot(_ rendered: String, _ name: String) throws {
        let path = Self.directory + "/" + name
        if ProcessInfo.processInfo.environment["CONTRACTWATCH_RECORD_SNAPSHOTS"] == "1"
            || !FileManager.default.fileExists(atPath: path)
        {
            try rendered.write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("recorded a new snapshot at \(path); review it and run again")
            return
        }
        #expect(rendered == (try String(contentsOfFile: path, encoding: .utf8)), "differs from \(path)")
    }

    @Test func ownersReportMatchesSnapshots() throws {
        let (registry, problems) = OwnersRegistry.parse(
            """
            teams:
              - {id: data-eng, name: Data Engineering Team, email: data-eng@museum.org, channel: "#data-eng", tool:
                  slack, escalation: "PagerDuty: data-eng"}
            people:
              - {id: maya, name: Maya Okafor, email: maya@museum.org, team: data-eng}
            """, file: "contracts/owners.yaml")
        #expect(problems.isEmpty)
        var contracts = Self.report.result.contracts.compactMap(\.contract)
        contracts[0].roles = [
            RoleReference(role: .businessOwner, reference: "maya"), RoleReference(role: .itSME, reference: "nobody"),
        ]
        contracts[0].owner = Owner(name: "Data Engineering Team", email: "data-eng@museum.org")
        let all = OwnersReport(contracts: contracts, registry: registry, violations: nil)
        try expectSnapshot(all.text(), "owners.txt")
        try expectSnapshot(all.json(), "owners.json")
        let broken = OwnersReport(
            contracts: Array(contracts.prefix(2)), registry: registry, violations: Self.report.result.violations)
        try expectSnapshot(broken.text(), "owners_broken.txt")
        #expect(
            OwnersReport(contracts: [], registry: registry, violations: []).text()
                == "No broken contracts: nobody to call.\n")
    }

    @Test func lintReportMatchesSnapshots() throws {
        let set = ContractLoader.load([
            (
                "contracts/a.json",
                Array(
                    (#"{"name": "a", "schema": {"table_name": "t", "#
                        + #""properties": {"id": {"constraints": {"data_type": "integr"}}}}}"#).utf8)
            ),
            (
                "contracts/b.odcs.yaml",
                Array(
                    ("apiVersion: v3.1.0\nid: b\nschema:\n  - name: t\n    properties:\n      - name: id\n        "
                        + "physicalType: varchar[15]\n").utf8)
            ),
            ("contracts/c.json", Array("{\"name\": \"c\",}".utf8)),
        ])
        let report = LintReport(findings: ContractLint.lint(set), set: set)
        try expectSnapshot(report.text(), "lint.txt")
        try expectSnapshot(report.json(), "lint.json")
    }

    @Test(arguments: CheckReport.Format.allCases)
    func previewReportMatchesSnapshots(format: CheckReport.Format) throws {
        let result = Self.report.result
        let report = PreviewReport(
            migration: "migrations/V7__split_images.sql", statementCount: 3,
            introduced: Array(result.violations.prefix(2)),
            fixed: Array(result.violations.suffix(1)), violationsBefore: 4, violationsAfter: 5, after: result,
            checkedAt: Self.report.checkedAt,
            hazards: [
                Hazard(
                    code: .rewrite, statement: 2, line: 3, relation: QualifiedName(schema: "public", name: "orders"),
                    detail: "rewrites public.orders (1.2 GB, ~3.4M rows) under ACCESS EXCLUSIVE")
            ],
            suppressed: [
                SuppressedHazard(
                    hazard: Hazard(
                        code: .blockingIndex, statement: 3, line: 5,
                        relation: QualifiedName(schema: "public", name: "orders"),
                        detail: "builds an index on public.orders (1.2 GB, ~3.4M rows) under SHARE"),
                    suppression: Suppression(
                        codes: ["CW103"], reason: "runs in the maintenance window", line: 4, fileWide: false))
            ],
            dataChecks: [
                DataCheck(
                    kind: .nulls, table: QualifiedName(schema: "public", name: "orders"), columns: ["customer_id"],
                    statement: 3, line: 5,
                    sql: #"SELECT EXISTS (SELECT 1 FROM "public"."orders" WHERE "customer_id" IS NULL)"#,
                    outcome: .found),
                DataCheck(
                    kind: .droppedRows, table: QualifiedName(schema: "public", name: "gone"), columns: [],
                    statement: 1, line: 1, sql: #"SELECT EXISTS (SELECT 1 FROM "public"."gone")"#, outcome: .passed),
            ],
            introducedBy: [result.violations[0].id: 2],
            statements: MigrationScript(
                """
                DROP TABLE gone;

                ALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 2);
                -- contractwatch:ignore CW103 runs in the maintenance window
                CREATE INDEX ON orders (customer_id);
                """
            ).statements)
        let ext = [
            "text": "txt", "json": "json", "junit": "xml", "markdown": "md", "github": "github.txt", "sarif": "sarif",
            "gitlab": "gitlab.json",
        ][format.rawValue]!
        try expectSnapshot(report.render(format), "preview.\(ext)")
        // Only what the migration changes: the untouched invalid file is no failure of it.
        #expect(!report.render(format).contains("broken.json"))
        #expect(report.check.result.contracts.map(\.name).sorted() == ["gone", "object-images-contract-spec"])
    }

    @Test func jsonIsValidAndShapedAsDesigned() throws {
        let text = Self.report.render(.json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let violations = try #require(object["violations"] as? [[String: Any]])
        #expect(violations.count == 5)
        let first = violations[0]
        #expect(first["kind"] as? String == "primary_key" || first["kind"] as? String == "column_missing")
        #expect((object["contract_errors"] as? [[String: Any]])?.first?["line"] as? Int == 4)
    }

    @Test func junitIsWellFormedXML() throws {
        let xml = Self.report.render(.junit)
        let document = try XMLDocumentCheck.parse(xml)
        #expect(document)
    }
}

/// Minimal well-formedness check: XMLParser is in FoundationXML on Linux.
enum XMLDocumentCheck {
    static func parse(_ xml: String) throws -> Bool {
        // Balanced tags and no raw '<' or '&' inside attribute values is what CI systems need;
        // checked by counting open/close tags of the elements we emit.
        let opens = xml.components(separatedBy: "<testcase ").count - 1
        let selfClosed = xml.components(separatedBy: "/>\n").count - 1
        let closes = xml.components(separatedBy: "</testcase>").count - 1
        return opens == selfClosed + closes && !xml.contains("<&>") && xml.hasPrefix("<?xml")
    }
}
