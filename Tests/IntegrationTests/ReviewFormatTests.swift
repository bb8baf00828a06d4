import DemoDatabase
import Foundation
import Testing

/// `check` and `preview` in the formats reviewers meet them in, from the real binary on a real
/// server, each validated against its published schema (SARIF 2.1.0, the JUnit XSD), GitLab's
/// documented format, or the GitHub workflow-command grammar. See Fixtures/review/README.md.
struct ReviewFormatTests {
    static let review = Fixtures.directory + "/review"

    /// The demo schema with a column dropped, the shipped contracts plus an unreadable file.
    func setUp() throws -> (dsn: String, contracts: ContractDirectory) {
        let dsn = try freshDatabase(DemoDatabase.schemaSQL + "\nALTER TABLE object_images DROP COLUMN primary_image;")
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/contracts") {
            files[name] = try String(contentsOfFile: repositoryRoot + "/contracts/" + name, encoding: .utf8)
        }
        files["broken.json"] = "{\n  \"name\": \"broken\",\n  \"schema\": {},}\n"
        return (dsn, try ContractDirectory(files))
    }

    /// Runs python's jsonschema on `document` against `schema`: the errors, one per line.
    func jsonSchemaErrors(_ document: String, schema: String) throws -> [String] {
        let path = NSTemporaryDirectory() + "cw-review-" + UUID().uuidString + ".json"
        try document.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            validator = jsonschema.validators.validator_for(schema)(schema)
            for e in validator.iter_errors(json.load(open(sys.argv[2]))):
                print('/'.join(map(str, e.path)) + ': ' + e.message)
            """
        let executable = try ODCSSchemaTests().python()
        let run = try runProcess(
            executable, (executable == "/usr/bin/env" ? ["python3"] : []) + ["-c", script, schema, path])
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout.split(separator: "\n").map(String.init)
    }

    func xmlSchemaErrors(_ document: String) throws -> [String] {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") else {
            Issue.record("xmllint is not installed (scripts/install-packages.sh installs libxml2-utils)")
            throw CancellationError()
        }
        let path = NSTemporaryDirectory() + "cw-review-" + UUID().uuidString + ".xml"
        try document.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try runProcess("/usr/bin/xmllint", ["--noout", "--schema", Self.review + "/junit-10.xsd", path])
        return run.status == 0
            ? [] : run.stderr.split(separator: "\n").map(String.init).filter { !$0.hasSuffix("validates") }
    }

    /// `::error file=…,line=…,col=…,title=…::message`: no raw line breaks, `%`, `:` and `,`
    /// escaped in properties.
    static func isWorkflowCommand(_ line: String) -> Bool {
        line.wholeMatch(
            of: #/::(error|warning|notice) file=[^,:\r\n]+(,line=[0-9]+)?(,col=[0-9]+)?,title=[^,:\r\n]*::[^\r\n]+/#)
            != nil
    }

    @Test func checkInEveryReviewFormatIsValid() throws {
        let (dsn, contracts) = try setUp()
        func check(_ format: String, environment: [String: String] = [:]) throws -> String {
            let run = try runBinary(
                ["check", "--dsn", dsn, "--contracts", contracts.path, "--format", format], environment: environment)
            #expect(run.status == 1, "\(format): \(run.stderr)")
            return run.stdout
        }
        let sarif = try check("sarif")
        #expect(try jsonSchemaErrors(sarif, schema: Self.review + "/sarif-schema-2.1.0.json") == [])
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        let missing = try #require(results.first { $0["ruleId"] as? String == "column_missing" })
        let place = try #require(
            ((missing["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
        let uri = (place["artifactLocation"] as? [String: Any])?["uri"] as? String
        #expect(uri?.hasSuffix("/object_images_contract_spec.json") == true, "\(place)")
        // The column's own line in the contract file.
        let text = try String(contentsOfFile: contracts.path + "/object_images_contract_spec.json", encoding: .utf8)
        let line =
            (text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
                $0.contains("\"primary_image\"")
            } ?? -2) + 1
        #expect((place["region"] as? [String: Any])?["startLine"] as? Int == line, "\(place)")
        let rules = try #require(
            ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        #expect(Set(rules.compactMap { $0["id"] as? String }).isSuperset(of: ["column_missing", "contract_error"]))

        let gitlab = try check("gitlab")
        #expect(try jsonSchemaErrors(gitlab, schema: Self.review + "/gitlab-code-quality.schema.json") == [])
        let issues = try #require(try JSONSerialization.jsonObject(with: Data(gitlab.utf8)) as? [[String: Any]])
        let fingerprints = issues.compactMap { $0["fingerprint"] as? String }
        #expect(Set(fingerprints).count == issues.count, "fingerprints are unique")
        #expect(try check("gitlab") == gitlab, "and stable from run to run")

        #expect(try xmlSchemaErrors(try check("junit")) == [])

        let summary = NSTemporaryDirectory() + "cw-summary-" + UUID().uuidString + ".md"
        defer { try? FileManager.default.removeItem(atPath: summary) }
        let github = try check("github", environment: ["GITHUB_STEP_SUMMARY": summary])
        let lines = github.split(separator: "\n").map(String.init)
        #expect(lines.last?.hasPrefix("contractwatch check: ") == true)
        for line in lines.dropLast() {
            #expect(Self.isWorkflowCommand(line), "not a workflow command: \(line)")
        }
        #expect(lines.contains { $0.hasPrefix("::error file=") && $0.contains(",line=\(line),title=column_missing ") })
        let written = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(written.hasPrefix("<!-- contractwatch:check -->\n### ❌ contractwatch: contracts broken"), "\(written)")
    }

    @Test func previewOfAMigrationFolderPointsAtTheMigrationLines() throws {
        let (dsn, contracts) = try setUp()
        let migrations = try ContractDirectory([
            "V1__safe.sql": "SET lock_timeout = '1s';\nCREATE TABLE extra (id int);\n",
            "V2__drop.sql":
                "-- drops a promised column\nSET lock_timeout = '1s';\n"
                + "ALTER TABLE object_images DROP COLUMN additional_images;\n",
        ])
        func preview(_ format: String) throws -> String {
            let run = try runBinary([
                "preview", migrations.path, "--in-place", "--dsn", dsn, "--contracts", contracts.path, "--format",
                format,
            ])
            #expect(run.status == 1, "\(format): \(run.stderr)")
            return run.stdout
        }
        let sarif = try preview("sarif")
        #expect(try jsonSchemaErrors(sarif, schema: Self.review + "/sarif-schema-2.1.0.json") == [])
        #expect(sarif.contains("\"uri\": \"") && sarif.contains("V2__drop.sql\""))
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        let broken = try #require(results.first { $0["ruleId"] as? String == "column_missing" })
        let region =
            (((broken["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"])
            as? [String: Any]
        #expect(region?["startLine"] as? Int == 3, "\(broken)")
        #expect((broken["relatedLocations"] as? [Any])?.count == 1, "the contract is the second place")
        #expect(results.contains { $0["ruleId"] as? String == "CW105" })
        #expect(
            try jsonSchemaErrors(try preview("gitlab"), schema: Self.review + "/gitlab-code-quality.schema.json") == [])
        #expect(try xmlSchemaErrors(try preview("junit")) == [])
        let github = try preview("github")
        #expect(github.contains("V2__drop.sql,line=3,title=CW105 public.object_images::"), "\(github)")
        let markdown = try preview("markdown")
        #expect(markdown.hasPrefix("<!-- contractwatch:preview -->\n"), "\(markdown)")
        #expect(markdown.contains("Ask "), "the owners to ask are named")
    }

    /// The validators do reject: a failing case for each, so the tests above can fail.
    @Test func theValidatorsRejectWhatIsNotValid() throws {
        let badSarif =
            #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "#
            + #""results": [{"message": {"text": "m"}, "level": "fatal"}]}]}"#
        #expect(try !jsonSchemaErrors(badSarif, schema: Self.review + "/sarif-schema-2.1.0.json").isEmpty)
        let badGitLab =
            #"[{"description": "d", "check_name": "c", "fingerprint": "f", "severity": "high", "#
            + #""location": {"path": "p"}}]"#
        let gitLabErrors = try jsonSchemaErrors(badGitLab, schema: Self.review + "/gitlab-code-quality.schema.json")
        #expect(gitLabErrors.count == 2, "a severity GitLab does not know, and no line: \(gitLabErrors)")
        let badJUnit = """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites><testsuite name="s" tests="1" failures="0" errors="0">
            <testcase name="c" file="x.json"/></testsuite></testsuites>
            """
        #expect(try !xmlSchemaErrors(badJUnit).isEmpty, "the file attribute contractwatch used to write is refused")
        #expect(!Self.isWorkflowCommand("::error file=a,b.json,title=x::m"))
    }
}
