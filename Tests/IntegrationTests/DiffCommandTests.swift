import Foundation
import Testing

/// `contractwatch diff` on folders and against git revisions, and `check --changed-since`, in a
/// real git repository.
struct DiffCommandTests {
    func git(_ repository: String, _ arguments: String...) throws {
        let run = try runProcess(
            "/usr/bin/env",
            ["git", "-C", repository, "-c", "user.name=T", "-c", "user.email=t@example.com"] + arguments)
        #expect(run.status == 0, "git \(arguments): \(run.stderr)")
    }

    @Test func baseReadsTheFolderAtARevisionAndChangedSinceChecksOnlyWhatChanged() throws {
        let repository = try ContractDirectory([:])
        let folder = repository.path + "/contracts"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let a = seedContract(
            name: "a", table: "a",
            columns: [("id", #"{"constraints": {"data_type": "integer", "is_nullable": false}}"#)])
        let b = seedContract(name: "b", table: "b", columns: [("x", #"{"constraints": {"data_type": "text"}}"#)])
        try a.write(toFile: folder + "/a.json", atomically: true, encoding: .utf8)
        try b.write(toFile: folder + "/b.json", atomically: true, encoding: .utf8)
        try git(repository.path, "init", "-q")
        try git(repository.path, "add", ".")
        try git(repository.path, "commit", "-q", "-m", "contracts")

        // Unchanged: nothing to say, exit 0.
        let same = try runBinary(["diff", "--base", "HEAD", "--contracts", folder])
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.contains("0 changes"), "\(same.stdout)")

        // a loses its NOT NULL (breaking); b gains a column (not).
        try a.replacingOccurrences(of: #", "is_nullable": false"#, with: "").write(
            toFile: folder + "/a.json", atomically: true, encoding: .utf8)
        try b.replacingOccurrences(of: #""x": {"#, with: #""y": {}, "x": {"#).write(
            toFile: folder + "/b.json", atomically: true, encoding: .utf8)
        let changed = try runBinary(["diff", "--base", "HEAD", "--contracts", folder, "--format", "json"])
        #expect(changed.status == 1, "\(changed.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(changed.stdout.utf8)) as? [String: Any])
        let kinds = (json["changes"] as? [[String: Any]])?.map { "\($0["kind"] ?? "") \($0["breaking"] ?? "")" }
        #expect(kinds == ["not_null_dropped 1", "column_added 0"], "\(changed.stdout)")
        #expect(changed.stderr.contains("1 breaking change"), "\(changed.stderr)")
        // The work tree is untouched.
        #expect(try String(contentsOfFile: folder + "/b.json", encoding: .utf8).contains("\"y\": {}"))

        // Two folders.
        let old = try ContractDirectory(["a.json": a])
        let folders = try runBinary(["diff", old.path, folder])
        #expect(folders.status == 1 && folders.stdout.contains("BREAKING not_null_dropped"), "\(folders.stdout)")
        #expect(folders.stdout.contains("BREAKING contract_removed") == false)
        #expect(folders.stdout.contains("ok       contract_added public.b"), "\(folders.stdout)")

        // check --changed-since HEAD: a and b changed; after committing, only what changes next.
        let dsn = try freshDatabase("CREATE TABLE a (id integer); CREATE TABLE b (x text, y text);")
        let both = try runBinary([
            "check", "--dsn", dsn, "--contracts", folder, "--changed-since", "HEAD", "--format", "json",
        ])
        #expect(both.stderr.contains("2 contract file(s) changed since HEAD"), "\(both.stderr)")
        try git(repository.path, "commit", "-q", "-am", "loosen")
        try a.write(toFile: folder + "/a.json", atomically: true, encoding: .utf8)
        let one = try runBinary([
            "check", "--dsn", dsn, "--contracts", folder, "--changed-since", "HEAD", "--format", "json",
        ])
        #expect(one.status == 1, "a says NOT NULL again and the column allows NULL: \(one.stderr)")
        #expect(one.stderr.contains("1 contract file(s) changed since HEAD"), "\(one.stderr)")
        let checked = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        #expect((checked["contracts"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["a"])

        let outside = try runBinary(["diff", "--base", "HEAD", "--contracts", NSTemporaryDirectory()])
        #expect(outside.status == 2 && outside.stderr.contains("not in a git repository"), "\(outside.stderr)")
    }
}
