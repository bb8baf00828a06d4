import Catalog
import CatalogReader
import Checks
import ContractFiles
import Contracts
import Foundation
import Postgres
import Testing
import Watch
import WatchModel

/// One throwaway cluster for the whole test process (started on first use, stopped at exit by
/// LocalCluster's exit hook). Each test works in its own fresh database.
let sharedCluster: Result<LocalCluster, PostgresError> = Result { () throws(PostgresError) in try LocalCluster.start() }

func cluster() throws -> LocalCluster {
    try sharedCluster.get()
}

/// Waits (polling the checker's mailbox) until `condition` holds or `seconds` pass.
func waitFor(_ watcher: Watcher, seconds: Double, _ condition: (WatchStatus) -> Bool) -> WatchStatus? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        let status = watcher.latest
        if condition(status) { return status }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return nil
}

/// A new, empty database with `sql` applied; returns its conninfo string.
func freshDatabase(_ sql: String = "", name: String? = nil) throws -> String {
    let cluster = try cluster()
    let database = name ?? "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
    let dsn = try cluster.createDatabase(database)
    if !sql.isEmpty { try cluster.execute(sql, in: database) }
    return dsn
}

/// Runs DDL as a migration would, over a writable session.
func migrate(_ dsn: String, _ sql: String) throws {
    let connection = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
    try connection.execute(script: sql)
}

func snapshot(_ dsn: String) throws -> CatalogSnapshot {
    try CatalogReader.snapshot(Connection(ConnectionSettings(dsn: dsn)))
}

/// A temp folder of contract files, removed when the value goes away.
final class ContractDirectory {
    let path: String

    init(_ files: [String: String]) throws {
        path = NSTemporaryDirectory() + "cw-contracts-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try write(name, text) }
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
    }

    func load() throws -> ContractSet { try ContractFolder.load(path) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// SQL scripts the tests hand to `preview`: written into one folder per test process, which is
/// removed when the process exits (a test that fails half-way leaves nothing in /tmp either).
enum ScriptFiles {
    static let folder: String = {
        let path = NSTemporaryDirectory() + "cw-test-scripts-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: ScriptFiles.folder) }
        return path
    }()

    static func write(_ text: String) throws -> String {
        let path = folder + "/" + UUID().uuidString + ".sql"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures"
    ).path

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
    }

    static var bookObjectImages: String { get throws { try text("object_images_contract_spec.json") } }
    static var bookObjectImagesNormalized: String {
        get throws { try text("object_images_normalized_contract_spec.json") }
    }
    static var odcsObjectImages: String { get throws { try text("object_images.odcs.yaml") } }
    static var odcsObjectImagesNormalized: String { get throws { try text("object_images_normalized.odcs.yaml") } }
}

/// The repository root (for the shipped `contracts/`).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A compact, order-preserving description of findings for exact assertions:
/// `kind table.column expected→actual severity`.
func summarize(_ violations: [Violation]) -> [String] {
    violations.map { v in
        "\(v.kind.rawValue) \(v.table)\(v.column.map { "." + $0 } ?? "") \(v.expected)→\(v.actual) "
            + "\(v.severity.rawValue)"
    }
}

func summarize(_ notices: [Notice]) -> [String] {
    notices.map { n in "\(n.kind.rawValue) \(n.table ?? "-")\(n.column.map { "." + $0 } ?? "")" }
}

/// Builds a one-contract seed JSON file.
func seedContract(
    name: String, schema: String = "public", table: String, catalog: String? = nil, columns: [(String, String)]
) -> String {
    let properties = columns.map { "\"\(jsonEscape($0.0))\": \($0.1)" }.joined(separator: ",\n")
    let catalogLine = catalog.map { "\"table_catalog\": \"\(jsonEscape($0))\"," } ?? ""
    return """
        {"spec-version": "1.0.0", "name": "\(jsonEscape(name))",
         "owner": {"name": "Test Owner", "email": "owner@example.com"},
         "schema": {\(catalogLine) "table_schema": "\(jsonEscape(schema))", "table_name": "\(jsonEscape(table))",
                    "properties": {\(properties)}}}
        """
}

/// Builds a one-table ODCS v3 contract file: `schemaKeys` go under the table's `- name:`, each
/// property's keys (`physicalType: integer`) under its own `- name:`.
func odcsContract(id: String, table: String, schemaKeys: [String] = [], properties: [(String, [String])]) -> String {
    var lines = [
        "apiVersion: v3.0.2", "kind: DataContract", "id: \(id)", "name: \(id)", "version: 1.0.0", "status: active",
        "schema:", "  - name: \(table)",
    ]
    lines += schemaKeys.map { "    " + $0 }
    lines.append("    properties:")
    for (name, keys) in properties {
        lines.append("      - name: \(name)")
        lines += keys.map { "        " + $0 }
    }
    return lines.joined(separator: "\n") + "\n"
}

func jsonEscape(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
}

/// Runs the built `contractwatch` binary.
struct BinaryRun {
    var status: Int32
    var stdout: String
    var stderr: String
    var seconds: Double
}

/// The built `contractwatch` executable (next to the test bundle).
func binaryPath() throws -> String {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "contractwatch"
        ).path,
        repositoryRoot + "/.build/debug/contractwatch",
    ]
    guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        Issue.record("contractwatch binary not found; run `swift build` first")
        throw CancellationError()
    }
    return binary
}

func runBinary(_ arguments: [String], environment: [String: String] = [:]) throws -> BinaryRun {
    try runProcess(try binaryPath(), arguments, environment: environment)
}

/// Runs a program to completion (see `ChildProcess`: no pipes, a clean signal mask, so a tmux
/// server it starts neither blocks us nor inherits the test thread's blocked signals).
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> BinaryRun {
    let base = NSTemporaryDirectory() + "cw-run-" + UUID().uuidString
    let outPath = base + ".out"
    let errPath = base + ".err"
    defer {
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    let start = Date()
    let status = try ChildProcess.run(
        [executable] + arguments, environment: env, stdoutPath: outPath, stderrPath: errPath)
    let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    return BinaryRun(status: status, stdout: out, stderr: err, seconds: Date().timeIntervalSince(start))
}
