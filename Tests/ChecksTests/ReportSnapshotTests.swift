import Catalog
import Checks
import Contracts
import Foundation
import Reports
import Testing

/// Each output format is compared with a snapshot file in `Snapshots/`. To accept a deliberate
/// change, run with CONTRACTWATCH_RECORD_SNAPSHOTS=1 and review the diff.
struct ReportSnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots").path

    /// A fixed result with every kind of finding: violations of two owners, a contract error,
    /// notices, odd characters that each format must escape.
    static var report: CheckReport {
        let snap = Build.snapshot([
            Build.table("object_images", [Build.column("object_id", "integer", precision: 32, scale: 0, nullable: false, pk: 1),
                                          Build.column("image", "text"), Build.column("created_at", "timestamp without time zone")]),
            Build.table("orders <&>", schema: "Sales", [Build.column("total|net", "numeric", position: 1, precision: 8, scale: 2, nullable: true)]),
        ], database: "museum")
        let images = Build.contract("object-images-contract-spec", table: "object_images", catalog: "museum", file: "contracts/object_images.json", [
            ("object_id", ColumnExpectation(primaryKey: true, dataType: "integer", modifiers: ModifierExpectation(numericPrecision: .limited(32)), isNullable: false)),
            ("primary_image", ColumnExpectation(dataType: "text")),
            ("created_at", ColumnExpectation(dataType: "timestamp without time zone", isNullable: false)),
        ])
        var orders = Build.contract("orders \"quoted\"", table: "orders <&>", schema: "Sales", file: "contracts/orders.json", [
            ("total|net", ColumnExpectation(modifiers: ModifierExpectation(numericPrecision: .limited(10), numericScale: .limited(1)))),
        ])
        orders.consumers = [Consumer(name: "revenue dashboard", kind: "dashboard", owner: "bi-team")]
        let missing = Build.contract("gone", table: "gone", file: "contracts/gone.json", [("a", ColumnExpectation())])
        let error = ContractError(file: "contracts/broken.json", location: SourceLocation(line: 4, column: 7), message: "trailing comma before '}' is not allowed in JSON")
        let result = Checker.check(Build.set([images, orders, missing], errors: [error]), against: snap)
        return CheckReport(result: result, checkedAt: Date(timeIntervalSince1970: 1_790_000_000))
    }

    @Test(arguments: CheckReport.Format.allCases)
    func matchesSnapshot(format: CheckReport.Format) throws {
        let rendered = Self.report.render(format)
        let ext = ["text": "txt", "json": "json", "junit": "xml", "markdown": "md"][format.rawValue]!
        let path = Self.directory + "/report.\(ext)"
        if ProcessInfo.processInfo.environment["CONTRACTWATCH_RECORD_SNAPSHOTS"] == "1" || !FileManager.default.fileExists(atPath: path) {
            try rendered.write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("recorded a new snapshot at \(path); review it and run again")
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(rendered == expected, "differs from \(path)")
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
