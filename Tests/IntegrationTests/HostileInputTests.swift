import Contracts
import Foundation
import Testing

/// Files an attacker or an unlucky operator puts in the contracts folder: nothing hangs, nothing
/// explodes, each one is reported with a clear reason and every other contract is still checked.
struct HostileInputTests {
    /// The binary under `timeout`, so a regression shows as a failure (status 124), not a hang.
    func bounded(_ arguments: [String]) throws -> BinaryRun {
        try runProcess("/usr/bin/timeout", ["60", try binaryPath()] + arguments)
    }

    static let good = seedContract(
        name: "t", table: "t", columns: [("a", #"{"constraints": {"data_type": "integer"}}"#)])

    @Test func pipesSocketsAndDevicesAreReportedNotRead() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer);")
        let folder = try ContractDirectory(["t.json": Self.good])
        #expect(mkfifo(folder.path + "/pipe.json", 0o644) == 0)
        #expect(mkfifo(folder.path + "/owners.yaml", 0o644) == 0)
        #expect(symlink("/dev/zero", folder.path + "/zero.yaml") == 0)
        let socketPath = folder.path + "/socket.yml"
        let bound = try runProcess(
            "/usr/bin/env",
            ["python3", "-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", socketPath])
        #expect(bound.status == 0, "\(bound.stderr)")

        let lint = try bounded(["lint", folder.path])
        #expect(lint.status == 1, "\(lint.stdout)\(lint.stderr)")
        for (name, reason) in [
            ("pipe.json", "named pipe"), ("owners.yaml", "named pipe"), ("zero.yaml", "device"),
            ("socket.yml", "socket"),
        ] {
            #expect(
                lint.stdout.contains("\(name): invalid-file: cannot be read: is a \(reason)"), "\(name): \(lint.stdout)"
            )
        }
        let check = try bounded(["check", "--dsn", dsn, "--contracts", folder.path, "--format", "json"])
        #expect(check.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        #expect((json["contract_errors"] as? [Any])?.count == 4)
        #expect(
            (json["contracts"] as? [[String: Any]])?.first { $0["name"] as? String == "t" }?["status"] as? String
                == "ok")
    }

    @Test func yamlBombsDeepNestingHugeFilesAndFloodsAreBounded() throws {
        let bomb = """
            a: &a ["x","x","x","x","x","x","x","x","x"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
            h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
            i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
            apiVersion: v3.1.0
            schema: *i
            """
        let columns = (0..<20_000).map { "\"c\($0)\": {\"constraints\": {\"data_type\": 5}}" }.joined(separator: ",")
        let folder = try ContractDirectory([
            "t.json": Self.good,
            "bomb.yaml": bomb,
            "owners.yaml": bomb,
            "flow.yaml": String(repeating: "[", count: 100_000),
            // A value the fast YAML path reads (it bounds its own recursion, then libyaml's guard).
            "inline.yaml": "apiVersion: v3.0.0\nk: " + String(repeating: "[", count: 100_000) + "\n",
            "block.yaml": String(repeating: "- ", count: 100_000) + "x\n",
            "indented.yaml": (0..<2_000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n"),
            "flood.json": #"{"name": "f", "schema": {"table_name": "f", "properties": {"# + columns + "}}}",
        ])
        try Data(count: 9 << 20).write(to: URL(fileURLWithPath: folder.path + "/huge.json"))
        let lint = try bounded(["lint", folder.path, "--format", "json"])
        #expect(lint.status == 1, "\(lint.stderr)")
        let findings =
            try #require(try JSONSerialization.jsonObject(with: Data(lint.stdout.utf8)) as? [String: Any])["findings"]
            as? [[String: Any]]
        func messages(_ file: String) -> [String] {
            (findings ?? []).filter { ($0["file"] as? String)?.hasSuffix("/" + file) == true }.compactMap {
                $0["message"] as? String
            }
        }
        #expect(
            messages("bomb.yaml").first?.contains("the YAML expands to more than") == true, "\(messages("bomb.yaml"))")
        #expect(
            messages("owners.yaml").first?.contains("the YAML expands to more than") == true,
            "\(messages("owners.yaml"))")
        #expect(messages("flow.yaml") == ["nesting is deeper than 256 levels"])
        #expect(messages("inline.yaml") == ["nesting is deeper than 256 levels"])
        #expect(messages("block.yaml") == ["nesting is deeper than 256 levels"])
        #expect(messages("indented.yaml") == ["nesting is deeper than 256 levels"])
        #expect(
            messages("huge.json").first?.contains("is 9 MB, more than the 8 MB contractwatch reads") == true,
            "\(messages("huge.json"))")
        let flood = messages("flood.json")
        #expect(flood.count == 101)
        #expect(flood.contains("… and 19900 more problems in this file (the first 100 are listed)"))
    }
}

/// Names are data: escape sequences in them reach no terminal.
struct TerminalInjectionTests {
    static let osc52 = "\u{1B}]52;c;cHduZWQ=\u{07}" // writes the clipboard
    static let red = "\u{1B}[31m"

    @Test func escapeSequencesInNamesArePrintedAsText() throws {
        let table = "evil" + Self.osc52
        let column = "col" + Self.red + "\u{9B}2J" // and a C1 CSI that clears the screen
        let dsn = try freshDatabase("CREATE TABLE \(quoteIdentifier(table)) (\(quoteIdentifier(column)) integer);")
        // JSON strings cannot hold raw control characters: the contract writes them as \u escapes.
        func json(_ text: String) -> String {
            text.unicodeScalars.map {
                $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? String(format: "\\u%04x", $0.value) : String($0)
            }.joined()
        }
        let contract = """
            {"spec-version": "1.0.0", "name": "\(json("owned" + Self.red))",
             "owner": {"name": "\(json("Mallory\u{1B}[2J"))", "email": "m@example.com"},
             "schema": {"table_name": "\(json(table))", "properties": {"\(json(column))": {"constraints":
                 {"data_type": "text"}}}}}
            """
        let folder = try ContractDirectory(["evil.json": contract])
        var outputs: [String: BinaryRun] = [:]
        for format in ["text", "markdown", "junit"] {
            outputs["check " + format] = try runBinary([
                "check", "--dsn", dsn, "--contracts", folder.path, "--format", format,
            ])
        }
        outputs["owners"] = try runBinary(["owners", "--contracts", folder.path])
        outputs["owners broken"] = try runBinary(["owners", "--broken", "--dsn", dsn, "--contracts", folder.path])
        outputs["lint"] = try runBinary(["lint", folder.path])
        let initFolder = try ContractDirectory([:])
        outputs["init"] = try runBinary([
            "init", "--dsn", dsn, "--contracts", initFolder.path, "--schema", "public", "--owner", "a@b.org",
        ])
        for (name, run) in outputs {
            #expect(
                !run.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x07 },
                "\(name) printed a raw control character")
            #expect(
                !run.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x07 },
                "\(name) printed a raw control character on stderr")
        }
        #expect(
            outputs["check text"]?.stdout.contains("evil\\x1B]52;c;cHduZWQ=\\x07") == true,
            "\(outputs["check text"]?.stdout ?? "")")
        // JSON keeps the exact name, escaped the JSON way.
        let json = try runBinary(["check", "--dsn", dsn, "--contracts", folder.path, "--format", "json"])
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((decoded["violations"] as? [[String: Any]])?.first?["table"] as? String == table)
        // init's file name carries no control character.
        let files = try FileManager.default.contentsOfDirectory(atPath: initFolder.path)
        #expect(
            files.count == 1
                && !files[0].unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(files)"
        )
    }

    func quoteIdentifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
