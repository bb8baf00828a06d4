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

    static let good = seedContract(name: "t", table: "t", columns: [("a", #"{"constraints": {"data_type": "integer"}}"#)])

    @Test func pipesSocketsAndDevicesAreReportedNotRead() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a integer);")
        let folder = try ContractDirectory(["t.json": Self.good])
        #expect(mkfifo(folder.path + "/pipe.json", 0o644) == 0)
        #expect(mkfifo(folder.path + "/owners.yaml", 0o644) == 0)
        #expect(symlink("/dev/zero", folder.path + "/zero.yaml") == 0)
        let socketPath = folder.path + "/socket.yml"
        let bound = try runProcess("/usr/bin/env", ["python3", "-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", socketPath])
        #expect(bound.status == 0, "\(bound.stderr)")

        let lint = try bounded(["lint", folder.path])
        #expect(lint.status == 1, "\(lint.stdout)\(lint.stderr)")
        for (name, reason) in [("pipe.json", "named pipe"), ("owners.yaml", "named pipe"), ("zero.yaml", "device"), ("socket.yml", "socket")] {
            #expect(lint.stdout.contains("\(name): invalid-file: cannot be read: is a \(reason)"), "\(name): \(lint.stdout)")
        }
        let check = try bounded(["check", "--dsn", dsn, "--contracts", folder.path, "--format", "json"])
        #expect(check.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        #expect((json["contract_errors"] as? [Any])?.count == 4)
        #expect((json["contracts"] as? [[String: Any]])?.first { $0["name"] as? String == "t" }?["status"] as? String == "ok")
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
            "block.yaml": String(repeating: "- ", count: 100_000) + "x\n",
            "indented.yaml": (0..<2_000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n"),
            "flood.json": #"{"name": "f", "schema": {"table_name": "f", "properties": {"# + columns + "}}}",
        ])
        try Data(count: 9 << 20).write(to: URL(fileURLWithPath: folder.path + "/huge.json"))
        let lint = try bounded(["lint", folder.path, "--format", "json"])
        #expect(lint.status == 1, "\(lint.stderr)")
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(lint.stdout.utf8)) as? [String: Any])["findings"] as? [[String: Any]]
        func messages(_ file: String) -> [String] {
            (findings ?? []).filter { ($0["file"] as? String)?.hasSuffix("/" + file) == true }.compactMap { $0["message"] as? String }
        }
        #expect(messages("bomb.yaml").first?.contains("the YAML expands to more than") == true, "\(messages("bomb.yaml"))")
        #expect(messages("owners.yaml").first?.contains("the YAML expands to more than") == true, "\(messages("owners.yaml"))")
        #expect(messages("flow.yaml") == ["nesting is deeper than 256 levels"])
        #expect(messages("block.yaml") == ["nesting is deeper than 256 levels"])
        #expect(messages("indented.yaml") == ["nesting is deeper than 256 levels"])
        #expect(messages("huge.json").first?.contains("is 9 MB, more than the 8 MB contractwatch reads") == true, "\(messages("huge.json"))")
        let flood = messages("flood.json")
        #expect(flood.count == 101)
        #expect(flood.contains("… and 19900 more problems in this file (the first 100 are listed)"))
    }
}
