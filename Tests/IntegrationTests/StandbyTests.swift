import Catalog
import CatalogReader
import Foundation
import Postgres
import Testing
import Watch
import WatchModel

/// A streaming standby of a throwaway primary (`pg_basebackup -R`), with a socket folder of its
/// own; `stop()` shuts it down and removes it.
final class Standby {
    let directory: String
    private let runAs: [String]
    private let primary: LocalCluster
    private var dataDirectory: String { directory + "/data" }
    private var socketDirectory: String { directory + "/run" }

    init(of primary: LocalCluster) throws {
        self.primary = primary
        var template = Array((NSTemporaryDirectory() + "cw-standby-XXXXXX").utf8CString)
        let directory = String(cString: try #require(mkdtemp(&template)))
        self.directory = directory
        let socketDirectory = directory + "/run"
        chmod(directory, 0o755)
        mkdir(socketDirectory, 0o700)
        // PostgreSQL refuses to run as root: then the postgres user owns and runs it.
        if geteuid() == 0, let account = getpwnam("postgres") {
            for folder in [directory, socketDirectory] { chown(folder, account.pointee.pw_uid, account.pointee.pw_gid) }
            let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first {
                FileManager.default.isExecutableFile(atPath: $0)
            }
            runAs = [try #require(runuser), "-u", "postgres", "--"]
        } else {
            runAs = []
        }
        try run(
            "pg_basebackup",
            [
                "-D", dataDirectory, "-R", "-X", "stream", "-h", primary.socketDirectory, "-p", String(primary.port),
                "-U", primary.superuser,
            ])
        let handle = try #require(FileHandle(forWritingAtPath: dataDirectory + "/postgresql.conf"))
        handle.seekToEndOfFile()
        handle.write(Data("\nunix_socket_directories = '\(socketDirectory)'\nhot_standby = on\n".utf8))
        handle.closeFile()
        try run("pg_ctl", ["-D", dataDirectory, "-l", directory + "/server.log", "-w", "-t", "60", "start"])
    }

    func connectionString() -> String {
        "host=\(socketDirectory) port=\(primary.port) user=\(primary.superuser) dbname=postgres"
    }

    func stop() {
        try? run("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func run(_ tool: String, _ arguments: [String]) throws {
        let output = directory + "/\(tool).out"
        let status = try ChildProcess.run(
            runAs + [primary.clientTool(tool)] + arguments, environment: ProcessInfo.processInfo.environment,
            stdoutPath: output)
        let said = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        try #require(status == 0, "\(tool) exited with \(status): \(said)")
    }
}

/// The background checker on a read replica: it sees the primary's DDL only by replaying WAL, so
/// the replay position tells a poll whether anything can have changed, and the server's
/// statistics (which count only the standby's own sessions) must never let a probe wait.
struct StandbyTests {
    @Test func aStandbyIsPolledByItsReplayPositionAndShowsThePrimarysDDL() throws {
        let primary = try LocalCluster.start()
        defer { primary.stop() }
        try primary.execute("CREATE TABLE t (a integer, b text); CREATE TABLE other (n integer);", in: "postgres")
        let standby = try Standby(of: primary)
        defer { standby.stop() }
        let replica = try Connection(ConnectionSettings(dsn: standby.connectionString()))

        let marks = CatalogFingerprint.writeMarks(replica)
        #expect(marks.wal != nil, "a standby's replay position")
        #expect(marks.transactions == nil, "a standby's snapshot is not used")
        #expect(CatalogFingerprint.catalogActivity(replica) == nil, "a standby's statistics miss the DDL it replays")

        let logPath = NSTemporaryDirectory() + "cw-standby-" + UUID().uuidString + ".log"
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        let folder = try ContractDirectory([
            "t.json": seedContract(name: "t", table: "t", columns: [("a", "{}"), ("b", "{}")])
        ])
        let watcher = Watcher(
            Watcher.Configuration(
                settings: ConnectionSettings(dsn: standby.connectionString()), contractsFolder: folder.path,
                interval: 0.2, debug: true),
            log: EventLog(path: logPath))
        watcher.start()
        defer { watcher.stop() }
        let settled = try #require(
            waitFor(watcher, seconds: 15) { $0.pollCount >= 5 && $0.result != nil })
        #expect(settled.result?.violations.isEmpty == true)
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        #expect(log.contains("(WAL still)"), "idle polls on a standby stop at its replay position: \(log)")

        // The primary's migration reaches the standby's findings by replay.
        try primary.execute("ALTER TABLE t DROP COLUMN b", in: "postgres")
        let broken = try #require(
            waitFor(watcher, seconds: 15) { $0.result?.violations.isEmpty == false })
        #expect(summarize(broken.result!.violations) == ["column_missing t.b present→absent error"])
    }
}
