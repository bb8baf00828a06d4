import Foundation
import Postgres
import Testing

/// The `contractwatch check` binary as CI runs it: formats and exit codes.
struct CommandLineTests {
    @Test func exitCodesSeparateBrokenFromCouldNotCheck() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer);")
        let folder = try ContractDirectory([
            "t.json": seedContract(
                name: "t", table: "t", columns: [("a", #"{"constraints": {"data_type": "integer"}}"#)])
        ])
        #expect(try runBinary(["check", "--dsn", dsn, "--contracts", folder.path]).status == 0)

        try folder.write(
            "t.json", seedContract(name: "t", table: "t", columns: [("a", #"{"constraints": {"data_type": "text"}}"#)]))
        let broken = try runBinary(["check", "--dsn", dsn, "--contracts", folder.path])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("data_type"))
        #expect(broken.stdout.contains("owner: Test Owner <owner@example.com>"))

        // Contract errors alone also fail the gate.
        try folder.write("t.json", "{ not json")
        #expect(try runBinary(["check", "--dsn", dsn, "--contracts", folder.path]).status == 1)

        // Usage errors exit 2, not ArgumentParser's 64.
        #expect(try runBinary(["check", "--format", "yaml"]).status == 2)
        #expect(try runBinary(["check", "--dsn", dsn, "--contracts", folder.path + "/nope"]).status == 2)
        // …even when the server is unreachable too: the contracts are read first, as if in order.
        let nowhere = "host=" + NSTemporaryDirectory() + "no-server-" + UUID().uuidString + " dbname=x"
        let both = try runBinary(["check", "--dsn", nowhere, "--contracts", folder.path + "/nope"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("no such folder"), "\(both.stderr)")
        #expect(try runBinary(["check", "--no-such-flag"]).status == 2)
    }

    @Test func unreachableServerExitsThreeWithOneLine() throws {
        let folder = try ContractDirectory([:])
        let nowhere = NSTemporaryDirectory() + "no-server-" + UUID().uuidString
        let run = try runBinary([
            "check", "--dsn", "host=\(nowhere) dbname=x user=someone password=s3cr3t-pw", "--contracts", folder.path,
            "--connect-timeout", "2",
        ])
        #expect(run.status == 3)
        #expect(run.stdout.isEmpty)
        // One line says why; a note before it says that a password in --dsn is better kept elsewhere.
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("contractwatch: note: a password in --dsn") == true)
        #expect(lines.last?.hasPrefix("contractwatch: could not check: connection failed") == true)
        #expect(!run.stderr.contains("s3cr3t-pw"))
    }

    @Test func refusedLoginExitsThreeWithoutThePassword() throws {
        let dsn = try freshDatabase()
        let folder = try ContractDirectory([:])
        let run = try runBinary([
            "check", "--dsn",
            dsn.replacingOccurrences(of: "user=postgres", with: "user=nobody_here password=hunter2-secret"),
            "--contracts", folder.path,
        ])
        #expect(run.status == 3)
        #expect(run.stderr.contains("authentication failed"))
        #expect(run.stderr.contains("nobody_here"))
        #expect(!run.stderr.contains("hunter2-secret"))
    }

    @Test func missingDatabaseSaysSoNotAuthentication() throws {
        let dsn = try freshDatabase()
        let folder = try ContractDirectory([:])
        let name = dsn.split(separator: " ").first { $0.hasPrefix("dbname=") } ?? ""
        let run = try runBinary([
            "check", "--dsn", dsn.replacingOccurrences(of: String(name), with: "dbname=no_such_db"), "--contracts",
            folder.path,
        ])
        #expect(run.status == 3)
        #expect(run.stderr.hasPrefix("contractwatch: could not check: database not found"), "\(run.stderr)")
        #expect(run.stderr.contains("\"no_such_db\" does not exist"))
        #expect(!run.stderr.contains("authentication"))
    }

    @Test func everyFormatRendersTheSameFindings() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer, b text);")
        let folder = try ContractDirectory([
            "t.json": seedContract(
                name: "t-contract", table: "t",
                columns: [
                    ("a", #"{"constraints": {"data_type": "bigint"}}"#), ("gone", "{}"),
                ]),
            "bad.json": "{\"name\": 1}",
        ])
        let json = try runBinary(["check", "--dsn", dsn, "--contracts", folder.path, "--format", "json"])
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "database", "checked_at", "contracts", "contract_errors", "violations", "notices", "summary",
            ])
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary["violations"] == 2 && summary["contract_errors"] == 2 && summary["contracts"] == 2)
        let statuses = (object["contracts"] as? [[String: Any]])?.map { $0["status"] as? String }
        #expect(statuses == ["invalid", "violated"])

        let junit = try runBinary(["check", "--dsn", dsn, "--contracts", folder.path, "--format", "junit"])
        #expect(junit.status == 1)
        #expect(junit.stdout.components(separatedBy: "<testcase ").count - 1 == 2)
        #expect(junit.stdout.contains("<failure type=\"contract_violation\""))
        #expect(junit.stdout.contains("<error type=\"contract_error\""))

        let markdown = try runBinary(["check", "--dsn", dsn, "--contracts", folder.path, "--format", "markdown"])
        #expect(markdown.stdout.hasPrefix("<!-- contractwatch:check -->\n### ❌ contractwatch"))
        #expect(markdown.stdout.contains("#### Owner: Test Owner <owner@example.com>"))
        #expect(markdown.stdout.contains("[`column_missing`](README.md#column_missing)"))
    }

    @Test func readOnlySessionNeverWrites() throws {
        // The monitoring session is read-only: even a write sent through it is refused.
        let dsn = try freshDatabase("CREATE TABLE t (a int);")
        let connection = try Postgres.Connection(Postgres.ConnectionSettings(dsn: dsn))
        #expect(throws: Postgres.PostgresError.self) { try connection.query("INSERT INTO t VALUES (1)") }
        let setting = try connection.query(
            "SELECT current_setting('default_transaction_read_only'), current_setting('application_name')")
        #expect(setting.string(0, 0) == "on")
        #expect(setting.string(0, 1) == "contractwatch")
    }
}
