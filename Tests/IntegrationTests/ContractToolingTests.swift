import Foundation
import Testing

/// `init`, `lint` and `owners` through the real binary against a real PostgreSQL.
struct ContractToolingTests {
    static let zoo = #"""
        CREATE TYPE mood AS ENUM ('sad', 'happy');
        CREATE DOMAIN short_text AS varchar(30);
        CREATE SCHEMA "Ventes";
        CREATE TABLE "Ventes"."Café 表" (
            "ID" integer, region text, "价格" numeric(8,2) NOT NULL, tags varchar(20)[], ints integer[],
            at timestamptz(3), at0 timestamp(0), t time(2), iv interval(3), m mood, moods mood[], s short_text,
            code char(4) UNIQUE, "quote""d" text, PRIMARY KEY (region, "ID"));
        COMMENT ON COLUMN "Ventes"."Café 表"."价格" IS 'prix TTC';
        CREATE TABLE plain (id bigserial PRIMARY KEY, b bit(5), vb varbit(9), x jsonb, d date, f real, n numeric);
        CREATE TABLE parted (k int PRIMARY KEY) PARTITION BY RANGE (k);
        CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (10);
        """#

    /// `--schema` repeats: every table of each schema once (partitions are their parent's), a
    /// table also named with `--table` written once.
    @Test func initTakesSeveralSchemas() throws {
        let dsn = try freshDatabase(Self.zoo)
        let folder = try ContractDirectory([:])
        let written = try runBinary([
            "init", "--dsn", dsn, "--contracts", folder.path, "--schema", "Ventes", "--schema", "public", "--table",
            "public.plain",
        ])
        #expect(written.status == 0, "\(written.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == ["Ventes.Café_表.json", "parted.json", "plain.json"], "\(files)")
        let missing = try runBinary(["init", "--dsn", dsn, "--contracts", folder.path, "--schema", "nowhere"])
        #expect(missing.status == 2 && missing.stderr.contains("schema nowhere has no tables"), "\(missing.stderr)")
    }

    @Test(arguments: ["seed", "odcs"])
    func initThenCheckIsClean(format: String) throws {
        let dsn = try freshDatabase(Self.zoo)
        let folder = try ContractDirectory([:])
        let written = try runBinary([
            "init", "--dsn", dsn, "--contracts", folder.path, "--schema", "Ventes", "--table", "public.plain",
            "--table", "parted", "--format", format, "--owner", "Ventes Team <ventes@example.com>",
        ])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.split(separator: "\n").count == 3)
        let check = try runBinary(["check", "--dsn", dsn, "--contracts", folder.path, "--format", "json"])
        #expect(check.status == 0, "\(check.stdout)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        #expect((json["violations"] as? [Any])?.isEmpty == true)
        #expect((json["contracts"] as? [[String: Any]])?.count == 3)
        #expect((json["notices"] as? [Any])?.isEmpty == true)
        // The generated contracts lint clean too: lint never flags what init writes (an enum or
        // domain named by its own name is a type name, not a typo).
        let lint = try runBinary(["lint", folder.path])
        #expect(lint.status == 0, "\(lint.stdout)")

        // A change after init is caught, in either format.
        try migrate(
            dsn,
            #"ALTER TABLE "Ventes"."Café 表" ALTER COLUMN tags TYPE varchar(20); "#
                + "ALTER TABLE plain ALTER COLUMN n TYPE numeric(5,1);"
        )
        let after = try runBinary(["check", "--dsn", dsn, "--contracts", folder.path])
        #expect(after.status == 1)
        #expect(after.stdout.contains("data_type") && after.stdout.contains("tags"))
        // numeric (no limit) → numeric(5,1) narrows: init wrote "unlimited", so it is caught.
        #expect(
            after.stdout.contains("numeric_precision")
                && after.stdout.contains("n: expected numeric_precision no limit, found 5"))
    }

    @Test func initNeverWritesOverAFileThatDiffersOnlyInCase() throws {
        let dsn = try freshDatabase(#"CREATE TABLE "Orders" (id int);"#)
        let folder = try ContractDirectory(["orders.json": "{}"])
        let run = try runBinary([
            "init", "--dsn", dsn, "--contracts", folder.path, "--table", #""Orders""#, "--owner", "a@b.org",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Orders-2.json") && run.stdout.contains("Orders.json is taken by another table"))
        #expect(try String(contentsOfFile: folder.path + "/orders.json", encoding: .utf8) == "{}")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [
                "Orders-2.json", "orders.json",
            ])
    }

    @Test func initNeverOverwritesWithoutForce() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a int);")
        let folder = try ContractDirectory(["t.json": "{}"])
        let refused = try runBinary(["init", "--dsn", dsn, "--contracts", folder.path, "--table", "t"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("not overwriting") && refused.stderr.contains("--force"))
        #expect(try String(contentsOfFile: folder.path + "/t.json", encoding: .utf8) == "{}")
        #expect(
            try runBinary([
                "init", "--dsn", dsn, "--contracts", folder.path, "--table", "t", "--force", "--owner", "a@b.org",
            ]).status == 0)
        #expect(try runBinary(["check", "--dsn", dsn, "--contracts", folder.path]).status == 0)
        let missing = try runBinary(["init", "--dsn", dsn, "--contracts", folder.path, "--table", "T"])
        #expect(missing.status == 2 && missing.stderr.contains("did you mean public.t"))
    }

    @Test func lintExitCodes() throws {
        let clean = try ContractDirectory([
            "a.json":
                #"{"name": "a", "owner": {"name": "A", "email": "a@x.org"}, "schema": {"table_name": "a", "#
                + #""properties": {}}}"#
        ])
        #expect(try runBinary(["lint", clean.path]).status == 0)
        #expect(try runBinary(["lint", "--contracts", clean.path]).status == 0) // the spelling of the other commands
        #expect(try runBinary(["lint", clean.path, "--contracts", "/elsewhere"]).status == 2)
        try clean.write("b.json", #"{"name": "a", "schema": {"table_name": "b", "properties": {}}}"#)
        let found = try runBinary(["lint", clean.path, "--format", "json"])
        #expect(found.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any])
        let rules = (json["findings"] as? [[String: Any]])?.compactMap { $0["rule"] as? String }
        #expect(rules == ["duplicate-name", "missing-owner", "duplicate-name"]) // by file, then line
        #expect(try runBinary(["lint", clean.path + "/nope"]).status == 2)
    }

    @Test func ownersCommandAnswersWhomToCall() throws {
        let dsn = try freshDatabase("CREATE TABLE orders (id int PRIMARY KEY, total numeric(10,2));")
        let folder = try ContractDirectory([
            "owners.yaml": """
            teams:
              - id: sales-data
                name: Sales Data
                email: sales-data@x.org
                channel: "#sales-data"
                tool: slack
                escalation: "PagerDuty: sales-data"
            people:
              - id: ana
                name: Ana Lima
                email: ana@x.org
                team: sales-data
            """,
            "orders.json": """
            {"name": "orders", "owner": {"name": "Sales Data", "email": "sales-data@x.org"},
             "roles": {"business_owner": "ana", "support_lead": "nobody"},
             "consumers": [{"name": "revenue dashboard", "kind": "dashboard", "owner": "ana"}],
             "schema": {"table_name": "orders", "properties": {"id": {}, "total": {"constraints": {"numeric_scale":
                 2}}}}}
            """,
        ])
        let text = try runBinary(["owners", "--contracts", folder.path, "--table", "public.orders"])
        #expect(text.status == 0)
        #expect(
            text.stdout.contains(
                "Owner                Sales Data <sales-data@x.org> · #sales-data (slack) · escalation: "
                    + "PagerDuty: sales-data"
            ))
        #expect(text.stdout.contains("Business owner       Ana Lima <ana@x.org> · team Sales Data"))
        #expect(text.stdout.contains("Support lead         nobody  (not in owners.yaml)"))
        let json = try runBinary(["owners", "--contracts", folder.path, "--contract", "orders", "--format", "json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let roles = try #require(list.first?["roles"] as? [[String: Any]])
        #expect(roles.map { $0["role"] as? String } == ["owner", "business_owner", "support_lead"])
        #expect(roles.map { $0["email"] as? String } == ["sales-data@x.org", "ana@x.org", nil])

        // --broken checks first: nothing broken, nobody to call; then break it.
        #expect(
            try runBinary(["owners", "--dsn", dsn, "--contracts", folder.path, "--broken"]).stdout.contains(
                "nobody to call"))
        try migrate(dsn, "ALTER TABLE orders ALTER COLUMN total TYPE numeric(10,0);")
        let broken = try runBinary(["owners", "--dsn", dsn, "--contracts", folder.path, "--broken"])
        #expect(broken.stdout.contains("✗ error numeric_scale public.orders.total"))
        #expect(broken.stdout.contains("consumers: revenue dashboard (dashboard)"))
        let check = try runBinary(["check", "--dsn", dsn, "--contracts", folder.path, "--format", "json"])
        let violations = try #require(
            (try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])?["violations"]
                as? [[String: Any]])
        #expect(violations.first?["critical"] as? Bool == true)
    }
}

/// What `init --format odcs` writes is valid ODCS for other tools: it validates against the
/// official ODCS v3.1.0 JSON schema (vendored in Fixtures/odcs), checked by Python's jsonschema.
struct ODCSSchemaTests {
    /// A Python with jsonschema and PyYAML (scripts/install-packages.sh installs Debian's).
    func python() throws -> String {
        for candidate in ["/usr/bin/env", "/usr/bin/python3"] {
            let arguments =
                candidate == "/usr/bin/env"
                ? ["python3", "-c", "import jsonschema, yaml"] : ["-c", "import jsonschema, yaml"]
            if let run = try? runProcess(candidate, arguments), run.status == 0 {
                return candidate
            }
        }
        Issue.record("no python3 with jsonschema and yaml; run scripts/install-packages.sh")
        throw CancellationError()
    }

    /// One line per file: `name: OK` or `name: path: message` per schema error.
    func validate(_ folder: String) throws -> [String] {
        let script = """
            import glob, json, os, sys, jsonschema, yaml
            schema = json.load(open(sys.argv[1]))
            validator = jsonschema.validators.validator_for(schema)(schema)
            for path in sorted(glob.glob(os.path.join(sys.argv[2], '*.yaml'))):
                errors = list(validator.iter_errors(yaml.safe_load(open(path))))
                name = os.path.basename(path)
                print(name + ': OK' if not errors else '\\n'.join(name + ': ' + '/'.join(map(str, e.path)) + ': ' +
                    e.message for e in errors))
            """
        let executable = try python()
        let schema = Fixtures.directory + "/odcs/odcs-json-schema-v3.1.0.json"
        let arguments = (executable == "/usr/bin/env" ? ["python3"] : []) + ["-c", script, schema, folder]
        let run = try runProcess(executable, arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout.split(separator: "\n").map(String.init)
    }

    @Test func initWritesFilesTheOfficialSchemaAccepts() throws {
        let dsn = try freshDatabase(ContractToolingTests.zoo + "CREATE TABLE empty ();")
        let folder = try ContractDirectory([:])
        let written = try runBinary([
            "init", "--dsn", dsn, "--contracts", folder.path, "--schema", "Ventes", "--table", "public.plain",
            "--table", "empty", "--format", "odcs", "--owner", "Ventes Team <ventes@example.com>",
        ])
        #expect(written.status == 0, "\(written.stderr)")
        let valid = try validate(folder.path)
        #expect(valid == ["Ventes.Café_表.odcs.yaml: OK", "empty.odcs.yaml: OK", "plain.odcs.yaml: OK"])

        // The validator does reject: a postgres server without its host is not valid ODCS.
        let plain = folder.path + "/plain.odcs.yaml"
        let text = try String(contentsOfFile: plain, encoding: .utf8)
        try text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("    host:") }
            .joined(separator: "\n").write(toFile: plain, atomically: true, encoding: .utf8)
        let rejected = try validate(folder.path)
        #expect(
            rejected.contains { $0.hasPrefix("plain.odcs.yaml: servers/0: 'host' is a required property") },
            "\(rejected)")
    }
}
