import Foundation
import Synchronization

/// A private, throwaway PostgreSQL server for tests and `contractwatch demo`.
///
/// `initdb` into a fresh temp folder, unix socket only (no TCP port is opened), durability off.
/// When run as root the server runs as the `postgres` user, because PostgreSQL refuses root.
/// `stop()` stops the server and removes the folder; clusters still running when the process
/// exits normally (including through `exit()` from a signal handler) are stopped by an
/// `atexit` hook. A process killed outright leaves its cluster behind: the next `start()` in
/// any process stops it and removes its folder (`sweepAbandoned`).
public final class LocalCluster: Sendable {
    /// The temp folder holding data, socket and logs.
    public let directory: String
    public let socketDirectory: String
    public let port: Int
    public let superuser: String
    private let binDirectory: String
    private let runAsUser: String?
    private let stopped = Mutex(false)

    private var dataDirectory: String { directory + "/data" }
    public var serverLogPath: String { directory + "/server.log" }

    private init(directory: String, binDirectory: String, runAsUser: String?, port: Int) {
        self.directory = directory
        self.socketDirectory = directory + "/run"
        self.binDirectory = binDirectory
        self.runAsUser = runAsUser
        self.port = port
        self.superuser = "postgres"
    }

    /// A conninfo string for `database` on this cluster, as the superuser.
    public func connectionString(database: String = "postgres") -> String {
        "host=\(socketDirectory) port=\(port) user=\(superuser) dbname=\(Self.conninfoQuote(database))"
    }

    /// The psql command a person can paste into another terminal (short enough for 80 columns).
    public func psqlCommand(database: String = "postgres") -> String {
        var command = "psql -h \(socketDirectory) -U \(superuser)"
        if port != 5432 { command += " -p \(port)" }
        if database != superuser { command += " -d \(database)" }
        return command
    }

    /// A client program (pg_dump, psql) of this cluster's PostgreSQL version.
    public func clientTool(_ name: String) -> String { binDirectory + "/" + name }

    /// Starts a new cluster. Takes a few seconds (initdb dominates). `major`: the server
    /// version it must be (a scratch copy of a PostgreSQL 15 database needs a 15 server).
    /// `cancellation` stops initdb and the server's start (the cluster is then removed).
    public static func start(port: Int = 5432, major: Int? = nil, cancellation: Cancellation? = nil)
        throws(PostgresError) -> LocalCluster
    {
        let binDirectory = try findBinDirectory(major: major)
        let runAsUser: String? = geteuid() == 0 ? "postgres" : nil
        sweepAbandoned()
        var template = Array((NSTemporaryDirectory() + "contractwatch-pg-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw PostgresError(
                kind: .localCluster, message: "could not create a temp folder: \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: made)
        _ = FileManager.default.createFile(
            atPath: directory + "/" + ownerFile, contents: Data(ownerLine(getpid()).utf8))
        let cluster = LocalCluster(directory: directory, binDirectory: binDirectory, runAsUser: runAsUser, port: port)
        do {
            try cluster.create(cancellation: cancellation)
            register(cluster)
            try cluster.launch(cancellation: cancellation)
        } catch {
            cluster.stop()
            throw error
        }
        return cluster
    }

    private func create(cancellation: Cancellation?) throws(PostgresError) {
        // mkdtemp makes a 0700 folder, which the postgres user could not enter.
        chmod(directory, 0o755)
        for folder in [dataDirectory, socketDirectory] {
            mkdir(folder, 0o700)
        }
        if let runAsUser {
            guard let account = getpwnam(runAsUser) else {
                throw PostgresError(
                    kind: .localCluster,
                    message:
                        "running as root, but there is no `\(runAsUser)` user to run PostgreSQL as (install "
                        + "postgresql, or run as a normal user)"
                )
            }
            for folder in [dataDirectory, socketDirectory] {
                chown(folder, account.pointee.pw_uid, account.pointee.pw_gid)
            }
            _ = FileManager.default.createFile(atPath: serverLogPath, contents: nil)
            chown(serverLogPath, account.pointee.pw_uid, account.pointee.pw_gid)
        }
        try run(
            "initdb", ["-D", dataDirectory, "-U", superuser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"],
            cancellation: cancellation)
        let settings = """

            # contractwatch throwaway cluster: unix socket only, durability off.
            listen_addresses = ''
            unix_socket_directories = '\(socketDirectory)'
            port = \(port)
            fsync = off
            full_page_writes = off
            synchronous_commit = off
            max_connections = 100
            shared_buffers = 128MB
            jit = off
            """
        guard let handle = FileHandle(forWritingAtPath: dataDirectory + "/postgresql.conf") else {
            throw PostgresError(kind: .localCluster, message: "initdb wrote no postgresql.conf in \(dataDirectory)")
        }
        handle.seekToEndOfFile()
        handle.write(Data(settings.utf8))
        handle.closeFile()
    }

    private func launch(cancellation: Cancellation? = nil) throws(PostgresError) {
        try run(
            "pg_ctl", ["-D", dataDirectory, "-l", serverLogPath, "-w", "-t", "60", "start"], cancellation: cancellation)
    }

    /// Stops the server (immediate shutdown: nothing here needs to survive) and removes the folder.
    /// Safe to call more than once.
    public func stop() {
        let wasStopped = stopped.withLock { value in
            defer { value = true }
            return value
        }
        if wasStopped { return }
        if FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid") {
            try? run("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"])
        }
        try? FileManager.default.removeItem(atPath: directory)
        Self.unregister(self)
    }

    /// Stops the server but keeps its data (to simulate an outage); `startServer()` brings it back.
    public func stopServer() throws(PostgresError) {
        try run("pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "-t", "30", "stop"])
    }

    public func startServer() throws(PostgresError) {
        try launch()
    }

    /// Creates a database (owned by the superuser) and returns its conninfo string.
    public func createDatabase(_ name: String) throws(PostgresError) -> String {
        let admin = try Connection(ConnectionSettings(dsn: connectionString(), readOnly: false))
        _ = try admin.query("CREATE DATABASE \(Connection.quoteIdentifier(name)) TEMPLATE template0")
        return connectionString(database: name)
    }

    /// Runs a SQL script in `database` over a writable session.
    public func execute(_ script: String, in database: String) throws(PostgresError) {
        let connection = try Connection(ConnectionSettings(dsn: connectionString(database: database), readOnly: false))
        try connection.execute(script: script)
    }

    // MARK: - Processes

    private func run(_ tool: String, _ arguments: [String], cancellation: Cancellation? = nil) throws(PostgresError) {
        let executable = binDirectory + "/" + tool
        let argv: [String] = runAsUser.map { [Self.runuserPath(), "-u", $0, "--", executable] } ?? [executable]
        // Output goes to a file, not a pipe: the postmaster started by pg_ctl must not inherit
        // a pipe we would wait on.
        let outputPath = directory + "/\(tool).out"
        let status: Int32
        do {
            status = try ChildProcess.run(
                argv + arguments, environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"],
                stdoutPath: outputPath, cancellation: cancellation)
        } catch {
            try cancellation?.check()
            throw PostgresError(kind: .localCluster, message: error.description)
        }
        try cancellation?.check()
        guard status == 0 else {
            let said = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            let log = (try? String(contentsOfFile: serverLogPath, encoding: .utf8)) ?? ""
            let tail = (said + "\n" + log).split(separator: "\n").suffix(6).joined(separator: " | ")
            throw PostgresError(kind: .localCluster, message: "\(tool) failed (exit \(status)): \(tail)")
        }
    }

    private static func runuserPath() -> String {
        ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        } ?? "runuser"
    }

    /// `CONTRACTWATCH_PG_BINDIR`, else the newest `/usr/lib/postgresql/*/bin` (Debian), else PATH.
    /// With `major`, only `/usr/lib/postgresql/<major>/bin` or the configured folder will do.
    public static func findBinDirectory(major: Int? = nil) throws(PostgresError) -> String {
        let fileManager = FileManager.default
        if let configured = ProcessInfo.processInfo.environment["CONTRACTWATCH_PG_BINDIR"] {
            return configured
        }
        let debianRoot = "/usr/lib/postgresql"
        let versions = ((try? fileManager.contentsOfDirectory(atPath: debianRoot)) ?? [])
            .compactMap { Int($0) }
            .filter { major == nil || $0 == major }
            .sorted(by: >)
        if let major, versions.isEmpty {
            throw PostgresError(
                kind: .localCluster,
                message:
                    "no PostgreSQL \(major) server programs in \(debianRoot)/\(major)/bin for the scratch copy "
                    + "(Debian: apt-get install postgresql-\(major); or set CONTRACTWATCH_PG_BINDIR)")
        }
        for version in versions where fileManager.isExecutableFile(atPath: "\(debianRoot)/\(version)/bin/initdb") {
            return "\(debianRoot)/\(version)/bin"
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where fileManager.isExecutableFile(atPath: "\(folder)/initdb") {
            return String(folder)
        }
        throw PostgresError(
            kind: .localCluster,
            message:
                "PostgreSQL server programs (initdb, pg_ctl) not found; install `postgresql` (Debian: apt-get "
                + "install postgresql) or set CONTRACTWATCH_PG_BINDIR"
        )
    }

    private static func conninfoQuote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    // MARK: - Clean-up at exit

    private static let running = Mutex<[ObjectIdentifier: LocalCluster]>([:])
    private static let exitHookInstalled = Mutex(false)

    private static func register(_ cluster: LocalCluster) {
        running.withLock { $0[ObjectIdentifier(cluster)] = cluster }
        let install = exitHookInstalled.withLock { installed in
            defer { installed = true }
            return !installed
        }
        if install {
            atexit { LocalCluster.stopAll() }
        }
    }

    private static func unregister(_ cluster: LocalCluster) {
        _ = running.withLock { $0.removeValue(forKey: ObjectIdentifier(cluster)) }
    }

    /// Stops every cluster this process started. Called at exit; also for signal handlers.
    public static func stopAll() {
        let clusters = running.withLock { Array($0.values) }
        for cluster in clusters { cluster.stop() }
    }

    // MARK: - Clusters left behind

    /// In each cluster folder: "pid start-time" of the process that made it (the start time tells
    /// a reused pid apart).
    static let ownerFile = "owner"

    /// A process's start time (clock ticks since boot, from /proc); nil when it is gone.
    static func startTime(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return nil }
        // After the command name: the state is field 3 of the line and the start time field 22.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        return fields.count > 19 ? String(fields[19]) : nil
    }

    static func ownerLine(_ pid: Int32) -> String { "\(pid) \(startTime(of: pid) ?? "?")" }

    /// Whether the process an owner line names still runs (the same process, not a reused pid).
    static func ownerIsRunning(_ line: String) -> Bool {
        let parts = line.split(separator: " ")
        guard parts.count == 2, let pid = Int32(parts[0]), pid > 0 else { return false }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard parts[1] != "?", let now = startTime(of: pid) else { return true }
        return now == parts[1]
    }

    /// Stops the servers of cluster folders whose process is gone (killed, crashed) and removes
    /// the folders; returns their paths. A folder without an owner line (made by an older
    /// version) goes only when no server runs in it and it is more than an hour old.
    @discardableResult
    public static func sweepAbandoned(in temporary: String = NSTemporaryDirectory()) -> [String] {
        let fileManager = FileManager.default
        let names = ((try? fileManager.contentsOfDirectory(atPath: temporary)) ?? []).filter {
            $0.hasPrefix("contractwatch-pg-")
        }
        var removed: [String] = []
        for name in names {
            let directory = (temporary as NSString).appendingPathComponent(name)
            let data = directory + "/data"
            if let owner = try? String(contentsOfFile: directory + "/" + ownerFile, encoding: .utf8) {
                if ownerIsRunning(owner) { continue }
                stopPostmaster(dataDirectory: data)
            } else {
                let modified = (try? fileManager.attributesOfItem(atPath: directory))?[.modificationDate] as? Date
                guard let modified, Date().timeIntervalSince(modified) > 3600, postmaster(dataDirectory: data) == nil
                else { continue }
            }
            if (try? fileManager.removeItem(atPath: directory)) != nil { removed.append(directory) }
        }
        return removed
    }

    /// The pid of the server running in `dataDirectory`, if one does (checked by its working
    /// folder, so a pid reused by another process is not taken for it).
    static func postmaster(dataDirectory: String) -> Int32? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first, let pid = Int32(first), pid > 0,
            let folder = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd"),
            folder == dataDirectory
        else { return nil }
        return pid
    }

    /// Immediate shutdown (SIGQUIT, as `pg_ctl -m immediate`), waiting up to 10 s for the server to go.
    static func stopPostmaster(dataDirectory: String) {
        guard let pid = postmaster(dataDirectory: dataDirectory) else { return }
        kill(pid, SIGQUIT)
        // Gone once it has no working folder (an exited process awaiting its parent's wait has none).
        for _ in 0..<200 where postmaster(dataDirectory: dataDirectory) == pid {
            usleep(50_000)
        }
    }
}
