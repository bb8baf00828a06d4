import Authoring
import Catalog
import CatalogReader
import Checks
import ContractFiles
import Contracts
import Foundation
import Postgres
import Reports
import Synchronization
import Watch
import WatchModel

/// The poll pipeline and `check` on a real database, each beside its baseline from the same run.
enum PipelineBench {
    struct Report {
        var summary: String
        /// What this database's figures are held to, in the order printed.
        var targets: [Target] = []
        /// `check` (JSON contracts) over psql sending its query.
        var checkOverPsql = Double.nan
    }

    /// The private tmux servers running a dashboard right now, killed if the bench is interrupted.
    static let tmuxServers = Mutex<[String: String]>([:]) // socket name → tmux binary

    /// Kills every dashboard the bench started; the throwaway cluster goes with `exit` (its hook).
    static func killDashboards() {
        for (socket, tmux) in tmuxServers.withLock({ $0 }) {
            _ = try? ChildProcess.run([tmux, "-L", socket, "kill-server"], environment: [:], stdoutPath: "/dev/null")
        }
    }

    /// Builds a synthetic catalog of `tables` tables, writes contracts for a tenth of them, measures.
    static func synthetic(cluster: LocalCluster, tables: Int) throws -> Report {
        let database = "bench_\(tables)"
        print("\nbuilding a synthetic catalog of \(tables) tables in \(database)…")
        let dsn = try cluster.createDatabase(database)
        let build = Date()
        for chunk in SyntheticCatalog.sql(tables: tables) { try cluster.execute(chunk, in: database) }
        // Vacuumed as well as analyzed: autovacuum would otherwise work through the new catalog
        // during the measurements (the idle minute's WAL would move, and each poll probe).
        try cluster.execute("VACUUM (ANALYZE)", in: database)
        print(String(format: "  created in %.1f s", Date().timeIntervalSince(build)))

        // Contracts for every tenth table, written by `init`'s generator from the live catalog.
        let folder = NSTemporaryDirectory() + "cw-bench-contracts-\(tables)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let snapshot = try CatalogReader.snapshot(Connection(ConnectionSettings(dsn: dsn)))
        // The same contracts as ODCS too, to compare the two formats' paths.
        let odcsFolder = folder + "-odcs"
        try FileManager.default.createDirectory(atPath: odcsFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: odcsFolder) }
        var written = 0
        for index in stride(from: 0, to: tables, by: 10) {
            let (schema, table) = SyntheticCatalog.qualified(index)
            guard let relation = snapshot.relation(QualifiedName(schema: schema, name: table)) else { continue }
            for (format, target) in [(ContractTemplate.Format.seed, folder), (.odcs, odcsFolder)] {
                let text = ContractTemplate.render(
                    relation, server: ContractTemplate.Server(database: database, host: "localhost", port: 5432),
                    owner: Owner(name: "Bench", email: "bench@example.com"), format: format)
                try text.write(
                    toFile: target + "/" + ContractTemplate.fileName(for: relation.name, format: format),
                    atomically: true, encoding: .utf8)
            }
            written += 1
        }
        print("  \(snapshot.relations.count) relations, \(written) contracts")
        var report = try run(dsn: dsn, contractsFolder: folder, label: "\(tables) tables", allowWrites: true)
        let binary = checkBinary()
        if FileManager.default.isExecutableFile(atPath: binary) {
            // Interleaved, so drift on the machine hits both formats alike.
            var json: [Double] = []
            var odcs: [Double] = []
            for _ in 0..<9 {
                for (target, into) in [(folder, 0), (odcsFolder, 1)] {
                    let ms = elapsedMilliseconds {
                        _ = try? ChildProcess.run(
                            [binary, "check", "--dsn", dsn, "--contracts", target, "--format", "json"],
                            environment: ProcessInfo.processInfo.environment, stdoutPath: "/dev/null",
                            stderrPath: "/dev/null")
                    }
                    if into == 0 { json.append(ms) } else { odcs.append(ms) }
                }
            }
            let ratio = median(odcs) / median(json)
            print(
                String(
                    format: "check, the same %d contracts as ODCS YAML      %10.2f ms   %6.2f× as JSON (%.2f ms)",
                    written, median(odcs), ratio, median(json)))
            report.summary += String(format: ", ODCS %.2f× JSON", ratio)
            report.targets.append(Target("check of ODCS ≤ 1.2× JSON", ratio, atMost: 1.2, format: "%.2f×"))
            // Both formats against psql: ODCS over JSON (this comparison) times JSON over psql.
            report.targets.append(
                Target(
                    "check of ODCS ≤ 1.3× psql (ODCS/JSON × JSON/psql)", ratio * report.checkOverPsql, atMost: 1.3,
                    format: "%.2f×"))
            let (initSummary, initRatio) = initLine(binary: binary, dsn: dsn)
            report.summary += initSummary
            report.targets.append(Target("init ≤ 2× check of the same tables", initRatio, atMost: 2, format: "%.2f×"))
            report.summary += previewOnScratchCopy(binary: binary, dsn: dsn, contractsFolder: folder, tables: tables)
        }
        return report
    }

    /// `init` of every table of the synthetic catalog (a contract per table, ODCS) against
    /// `check` of the contracts it wrote, and the floor of writing the same files (creating
    /// thousands of files is the file system's work, and costs what it costs on the disk).
    static func initLine(binary: String, dsn: String) -> (summary: String, ratio: Double) {
        let environment = ProcessInfo.processInfo.environment
        let base = NSTemporaryDirectory() + "cw-bench-init-" + UUID().uuidString
        let written = base + "-written"
        defer {
            for folder in [base, written, base + "-copy"] { try? FileManager.default.removeItem(atPath: folder) }
        }
        // Each timed init says how long its own file writes took (CONTRACTWATCH_TIMINGS).
        var ownWrites: [Double] = []
        let timingsPath = base + "-timings"
        defer { try? FileManager.default.removeItem(atPath: timingsPath) }
        var timed = environment
        timed["CONTRACTWATCH_TIMINGS"] = "1"
        func initialize(_ folder: String) {
            try? FileManager.default.removeItem(atPath: folder)
            _ = try? ChildProcess.run(
                [binary, "init", "--dsn", dsn, "--contracts", folder, "--format", "odcs", "--owner", "Bench <b@x.org>"]
                    + SyntheticCatalog.schemas.flatMap { ["--schema", $0] },
                environment: timed, stdoutPath: "/dev/null", stderrPath: timingsPath)
            let said = (try? String(contentsOfFile: timingsPath, encoding: .utf8)) ?? ""
            if let range = said.range(of: "writing the files "),
                let ms = Double(said[range.upperBound...].prefix { $0.isNumber || $0 == "." })
            {
                ownWrites.append(ms)
            }
        }
        initialize(written)
        ownWrites = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: written)) ?? []
        guard !names.isEmpty else { return ("", .nan) }
        let files = names.compactMap { name in
            (try? Data(contentsOf: URL(fileURLWithPath: written + "/" + name))).map { (name, [UInt8]($0)) }
        }
        let medians = measureInterleaved(
            names.count > 2_000 ? 1 : 3,
            [
                ("init", { initialize(base) }),
                (
                    "check",
                    {
                        _ = try? ChildProcess.run(
                            [binary, "check", "--dsn", dsn, "--contracts", written, "--format", "json"],
                            environment: environment, stdoutPath: "/dev/null", stderrPath: "/dev/null")
                    }
                ),
                (
                    "writing the files",
                    {
                        let copy = base + "-copy"
                        try? FileManager.default.removeItem(atPath: copy)
                        try? FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
                        for (name, bytes) in files { try? ContractFolder.writeFile(copy + "/" + name, bytes) }
                    }
                ),
            ])
        let initMs = medians["init"] ?? .nan
        let check = medians["check"] ?? .nan
        let writing = medians["writing the files"] ?? .nan
        // The writes as init itself timed them (the same files, on the disk as it was then).
        let ownWriting = ownWrites.isEmpty ? Double.nan : median(ownWrites)
        print(
            "init of \(names.count) tables (ODCS)".padding(toLength: 46, withPad: " ", startingAt: 0)
                + String(
                    format: "%10.2f ms   %6.2f× check of them (%.2f ms); %.2f× without writing the files (%.2f ms); "
                        + "%.2f× without its own writes as it timed them (%.2f ms)",
                    initMs, initMs / check, check, (initMs - writing) / check, writing, (initMs - ownWriting) / check,
                    ownWriting))
        return (
            String(
                format: ", init %.2f× check (%.2f× without the file writes, %.2f× without its own as it timed them)",
                initMs / check, (initMs - writing) / check, (initMs - ownWriting) / check),
            initMs / check
        )
    }

    /// A 20-statement migration (a column and an index on each of ten tables): `preview` on a
    /// schema copy (the default) and `--in-place`, against the floor of running the same
    /// statements directly in a transaction that is rolled back.
    static func previewOnScratchCopy(binary: String, dsn: String, contractsFolder: String, tables: Int) -> String {
        let names = (0..<10).map { SyntheticCatalog.qualified($0 * (tables / 10)) }.map {
            "\(SyntheticCatalog.quote($0.schema)).\(SyntheticCatalog.quote($0.table))"
        }
        let statements = names.flatMap {
            ["ALTER TABLE \($0) ADD COLUMN note text;", "CREATE INDEX ON \($0) (region);"]
        }
        let path = NSTemporaryDirectory() + "cw-bench-migration-\(UUID().uuidString).sql"
        guard (try? statements.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)) != nil,
            let session = try? Connection(ConnectionSettings(dsn: dsn, readOnly: false))
        else { return "" }
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A preview that could not run (exit 2 or 3) has no time worth printing: its reason is.
        var failures: [String: String] = [:]
        let errors = path + ".err"
        defer { try? FileManager.default.removeItem(atPath: errors) }
        func preview(_ name: String, _ extra: [String]) {
            let status = try? ChildProcess.run(
                [binary, "preview", path, "--dsn", dsn, "--contracts", contractsFolder] + extra,
                environment: ProcessInfo.processInfo.environment, stdoutPath: "/dev/null", stderrPath: errors)
            if status.map({ $0 >= 2 }) ?? true {
                failures[name] =
                    (try? String(contentsOfFile: errors, encoding: .utf8))?.split(separator: "\n").last.map(String.init)
                    ?? "did not start"
            }
        }
        let medians = measureInterleaved(
            tables > 2_000 ? 1 : 3,
            [
                (
                    "direct",
                    { try? session.execute(script: "BEGIN; " + statements.joined(separator: " ") + " ROLLBACK;") }
                ),
                ("in place", { preview("in place", ["--in-place"]) }),
                ("scratch copy", { preview("scratch copy", []) }),
            ])
        let direct = medians["direct"] ?? .nan
        for name in ["direct", "in place", "scratch copy"] {
            let label = "preview of 20 statements, \(name)".padding(toLength: 47, withPad: " ", startingAt: 0)
            if let failure = failures[name] {
                print(label + "     failed: " + failure)
                continue
            }
            let ms = medians[name] ?? .nan
            print(label + String(format: "%10.2f ms   %6.2f× direct", ms, ms / direct))
        }
        if failures["scratch copy"] != nil { return ", scratch preview failed" }
        return String(format: ", scratch preview %.1f× direct", (medians["scratch copy"] ?? .nan) / direct)
    }

    /// `allowWrites`: the synthetic databases this bench creates, or a database given with --dsn
    /// and `--writable` (one made from `--emit-sql`). Otherwise nothing is written and the
    /// DDL → finding measurements are skipped.
    static func run(dsn: String, contractsFolder: String, label: String, allowWrites: Bool = false) throws -> Report {
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        let contracts = try ContractFolder.load(contractsFolder)
        let names = Set(contracts.contracts.map(\.table.name))
        print("\npoll pipeline and check on \(label), \(contracts.contracts.count) contracts (medians)")

        // check end to end (the real binary) vs the information_schema approach.
        let binary = checkBinary()
        let sink = NSTemporaryDirectory() + "cw-bench-out"
        let haveBinary = FileManager.default.isExecutableFile(atPath: binary)
        // The same work as `check`, for a fair comparison: read the contract files, connect,
        // query, compare. Only the process start is left out (in `check`'s favour it is not).
        let informationSchema = measure(3) {
            guard let contracts = try? ContractFolder.load(contractsFolder) else { return }
            _ = try? informationSchemaCheck(dsn: dsn, contracts: contracts)
        }
        let medians = measureCheck(dsn: dsn, contractsFolder: contractsFolder, names: names, rounds: 11)
        let checkSeconds = medians["check"]
        let processFloor = medians["psql"]
        let checkInProcess = medians["in-process"] ?? .nan
        let checkFloor = medians["floor"] ?? .nan
        var breakdown: String?
        if haveBinary {
            var environment = ProcessInfo.processInfo.environment
            environment["CONTRACTWATCH_TIMINGS"] = "1"
            let errors = NSTemporaryDirectory() + "cw-bench-err"
            _ = try? ChildProcess.run(
                [binary, "check", "--dsn", dsn, "--contracts", contractsFolder, "--format", "json"],
                environment: environment, stdoutPath: sink, stderrPath: errors)
            breakdown = (try? String(contentsOfFile: errors, encoding: .utf8))?
                .split(separator: "\n").first { $0.hasPrefix("contractwatch timings:") }
                .map { String($0.dropFirst("contractwatch timings: ".count)) }
        }
        let checkRSS = breakdown.flatMap(peakRSS(in:))
        let dashboard =
            haveBinary
            ? dashboardIdle(binary: binary, dsn: dsn, contractsFolder: contractsFolder) : nil
        let dashboardRSS = dashboard?.peakMegabytes
        let select1 = measure(51) { _ = try? connection.query("SELECT 1") }
        let snapshotRaw = measure(5) { _ = try? connection.query(CatalogReader.snapshotQuery) }
        let snapshotDecoded = measure(5) { _ = try? CatalogReader.snapshot(connection) }
        let marksRaw = measure(51) { _ = CatalogFingerprint.writeMarks(connection) }
        let scopedFingerprintRaw = measure(11) { _ = try? CatalogFingerprint.fingerprint(connection, names: names) }
        let scopedSnapshotRaw = measure(11) { _ = try? CatalogReader.snapshot(connection, names: names) }

        // The background checker for real: idle polls, then DDL → finding at --interval 1.
        let watcher = Watcher(
            Watcher.Configuration(
                settings: ConnectionSettings(dsn: dsn), contractsFolder: contractsFolder, interval: 0.25,
                fullRefreshSeconds: 3600))
        watcher.start()
        var idle: [Double] = []
        var seen = -1
        let idleDeadline = Date().addingTimeInterval(8)
        while idle.count < 20, Date() < idleDeadline {
            let status = watcher.latest
            if status.pollCount != seen {
                seen = status.pollCount
                if status.lastPollKind == .unchanged, let seconds = status.lastPollSeconds {
                    idle.append(seconds * 1000)
                }
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        watcher.setInterval(1)
        Thread.sleep(forTimeInterval: 1.2)
        let writer = allowWrites ? try Connection(ConnectionSettings(dsn: dsn, readOnly: false)) : nil
        if !allowWrites { print("(DDL → finding not measured: a database given with --dsn is never written to)") }
        // The DDL drops and restores `payload` (the synthetic layout's): only contracted tables
        // that have one and are not partitions (a partition's columns are its parent's).
        let droppable = try writer.map { _ in
            let live = try CatalogReader.snapshot(connection, names: names)
            return contracts.contracts.filter { contract in
                live.relations.contains {
                    $0.name == QualifiedName(schema: contract.table.schema, name: contract.table.name)
                        && $0.kind == .table && !$0.isPartition && $0.columns.contains { $0.name == "payload" }
                }
            }
        }
        let quiet = try writer.map {
            try ddlLatencies(watcher: watcher, writer: $0, targets: (droppable ?? []).prefix(10))
        }
        watcher.stop()
        let latencies = quiet?.latencies ?? []
        let afterDDL = quiet?.pollMilliseconds ?? []
        // The same under a steady stream of DDL: another session alters an uncontracted table
        // every second, and the checker runs as the dashboard runs it (default full-read cadence).
        var underLoad: [Double] = []
        if let writer {
            let load = DDLLoad(dsn: dsn, tables: tableCount(contracts), contracted: names)
            let loaded = Watcher(
                Watcher.Configuration(
                    settings: ConnectionSettings(dsn: dsn), contractsFolder: contractsFolder, interval: 1))
            loaded.start()
            let ready = Date()
            // Started as the dashboard starts: the whole catalog is read first.
            while loaded.latest.result == nil || !loaded.latest.catalogComplete, Date().timeIntervalSince(ready) < 120 {
                Thread.sleep(forTimeInterval: 0.01)
            }
            underLoad = try ddlLatencies(
                watcher: loaded, writer: writer, targets: (droppable ?? []).dropFirst(10).prefix(20)
            )
            .latencies
            loaded.stop()
            load.stop()
            print("  (\(load.statements) DDL statements by the other session meanwhile)")
        }

        let idleMedian = idle.isEmpty ? .nan : median(idle)
        let afterMedian = afterDDL.isEmpty ? .nan : median(afterDDL)
        let p50 = latencies.isEmpty ? .nan : median(latencies)
        let p95 = percentile95(latencies)
        let rss = peakRSSMegabytes()

        func line(_ name: String, _ ms: Double, _ baselineName: String, _ baseline: Double) {
            let label = name.padding(toLength: 46, withPad: " ", startingAt: 0)
            guard ms.isFinite else { return print(label + "   not measured") }
            print(label + String(format: "%10.2f ms   %6.2f× %@ (%.2f ms)", ms, ms / baseline, baselineName, baseline))
        }
        if let checkSeconds {
            line("check, end to end (process)", checkSeconds, "information_schema approach", informationSchema)
            line("check, end to end (process)", checkSeconds, "raw query floor", checkFloor)
        } else {
            print("check binary not found next to the bench (make release builds both)")
        }
        if let checkSeconds, let processFloor {
            line("check, end to end (process)", checkSeconds, "psql sending its query", processFloor)
        } else if processFloor == nil {
            print("psql not found: no process floor (install postgresql-client)")
        }
        line("check in this process (no process start)", checkInProcess, "raw query floor", checkFloor)
        line("information_schema approach (same checks)", informationSchema, "check", checkSeconds ?? .nan)
        line("raw query floor: connect + catalog query", checkFloor, "SELECT 1", select1)
        if let breakdown { print("  one check, by phase: " + breakdown) }
        line("full snapshot, decoded", snapshotDecoded, "its raw query", snapshotRaw)
        line("idle poll (background checker)", idleMedian, "write marks query", marksRaw)
        line(
            "poll after one DDL (scoped)", afterMedian, "its raw queries",
            scopedFingerprintRaw + scopedSnapshotRaw + marksRaw)
        line("DDL → finding p50 at --interval 1", p50, "interval", 1000)
        line("DDL → finding p95 at --interval 1", p95, "interval", 1000)
        let loadedP95 = underLoad.isEmpty ? .nan : percentile95(underLoad)
        if !underLoad.isEmpty {
            line("DDL → finding p50, a DDL/s elsewhere", median(underLoad), "interval", 1000)
            line("DDL → finding p95, a DDL/s elsewhere", loadedP95, "interval", 1000)
        }
        print(String(format: "floor: SELECT 1 round trip %.3f ms", select1))
        func megabytes(_ value: Double?) -> String { value.map { String(format: "%.0f MB", $0) } ?? "n/a" }
        print(
            "peak RSS: check \(megabytes(checkRSS)); dashboard \(megabytes(dashboardRSS))"
                + " (tmux, after start, the Tables screen and a poll now); this bench process \(megabytes(rss))")
        if let dashboard {
            print(
                String(
                    format:
                        "dashboard idle for a minute: %.2f %% of a core (its server session %@; WAL moved %@), "
                        + "RSS %@ → %@; connected %.2f s after start, whole catalog on the Tables screen after %.2f s",
                    dashboard.idleCPUPercent,
                    dashboard.backendCPUPercent.map { String(format: "%.2f %%", $0) } ?? "not readable here",
                    dashboard.walBytesDuringIdle.map { "\($0) bytes" } ?? "?",
                    megabytes(dashboard.rssBeforeIdle), megabytes(dashboard.rssAfterIdle),
                    dashboard.connectedSeconds, dashboard.catalogSeconds))
        }
        let checkOverPsql = (checkSeconds ?? .nan) / (processFloor ?? .nan)
        let idleCPU = dashboard.map { $0.idleCPUPercent + ($0.backendCPUPercent ?? .nan) } ?? .nan
        let rssGrowth = dashboard.flatMap { idle in
            idle.rssAfterIdle.flatMap { after in idle.rssBeforeIdle.map { after - $0 } }
        }
        let targets = [
            Target(
                "check ≤ 1.3× psql sending its query", checkOverPsql, atMost: 1.3,
                format: "%.2f×"),
            Target(
                "contracts and violations on screen ≤ 1 s", dashboard?.connectedSeconds ?? .nan, atMost: 1,
                format: "%.2f s"),
            Target("idle CPU, dashboard + its session ≤ 0.5 %", idleCPU, atMost: 0.5, format: "%.2f %%"),
            Target("idle RSS ≤ 150 MB", dashboard?.rssAfterIdle ?? .nan, atMost: 150, format: "%.0f MB"),
            Target("idle RSS flat (≤ 5 MB growth over the minute)", rssGrowth ?? .nan, atMost: 5, format: "%+.0f MB"),
            Target(
                "DDL → finding p95 ≤ interval + 200 ms, a DDL/s elsewhere", loadedP95, atMost: 1200, format: "%.0f ms"),
        ]
        let checkRatio = checkSeconds.map { informationSchema / $0 } ?? .nan
        /// A figure for the summary; "n/a" for what was not measured.
        func shown(_ value: Double, _ format: String) -> String {
            value.isFinite ? String(format: format, value) : "n/a"
        }
        let summary =
            "\(label): check \(shown(checkSeconds ?? .nan, "%.0f ms")) (\(shown(checkRatio, "%.1f×")) faster than "
            + "information_schema, \(shown(checkOverPsql, "%.2f×")) psql sending its "
            + "query, in-process \(shown(checkInProcess / checkFloor, "%.2f×")) its raw query), idle poll "
            + "\(shown(idleMedian, "%.2f ms")), DDL poll \(shown(afterMedian, "%.1f ms")) ("
            + "\(shown(afterMedian / (scopedFingerprintRaw + scopedSnapshotRaw + marksRaw), "%.2f×")) raw), "
            + "DDL→finding p95 \(shown(p95, "%.0f ms")) (\(shown(loadedP95, "%.0f ms")) under a DDL/s), "
            + "RSS check \(megabytes(checkRSS)) / dashboard \(megabytes(dashboardRSS))"
        return Report(
            summary: summary, targets: targets, checkOverPsql: checkOverPsql)
    }

    /// How many tables the synthetic catalog has: the contracts cover every tenth.
    static func tableCount(_ contracts: ContractSet) -> Int { contracts.contracts.count * 10 }

    /// DDL → finding for each target: at a random moment, drop its `payload` column, wait for the
    /// violation (its latency, and the duration of the poll that found it), put the column back
    /// and wait for the violation to go.
    static func ddlLatencies(watcher: Watcher, writer: Connection, targets: some Collection<Contract>) throws
        -> (latencies: [Double], pollMilliseconds: [Double])
    {
        var latencies: [Double] = []
        var polls: [Double] = []
        var generator = SystemRandomNumberGenerator()
        for contract in targets {
            let table =
                "\(SyntheticCatalog.quote(contract.table.schema)).\(SyntheticCatalog.quote(contract.table.name))"
            // At a random moment of the poll cycle (right after a poll would flatter the result:
            // the DDL would wait exactly one interval, whatever the poll itself costs).
            Thread.sleep(forTimeInterval: Double.random(in: 0..<watcher.latest.interval, using: &generator))
            let start = Date()
            try writer.execute(script: "ALTER TABLE \(table) DROP COLUMN payload")
            var found: WatchStatus?
            while found == nil, Date().timeIntervalSince(start) < 10 {
                let status = watcher.latest
                if status.result?.violations.contains(where: {
                    $0.table == contract.table.name && $0.column == "payload"
                }) == true {
                    found = status
                } else {
                    Thread.sleep(forTimeInterval: 0.002)
                }
            }
            latencies.append(Date().timeIntervalSince(start) * 1000)
            if let seconds = found?.lastPollSeconds { polls.append(seconds * 1000) }
            try writer.execute(script: "ALTER TABLE \(table) ADD COLUMN payload jsonb")
            let revert = Date()
            while Date().timeIntervalSince(revert) < 10,
                watcher.latest.result?.violations.contains(where: { $0.table == contract.table.name }) == true
            {
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
        return (latencies, polls)
    }

    /// Another session altering an uncontracted table of the synthetic catalog every second
    /// (adding a column, then dropping it), until stopped.
    final class DDLLoad: Sendable {
        private let stopping = Atomic<Bool>(false)
        private let count = Atomic<Int>(0)
        private let done = DispatchSemaphore(value: 0)

        var statements: Int { count.load(ordering: .relaxed) }

        /// `contracted`: table names the load leaves alone (a database made with --emit-sql may
        /// carry contracts for any of its tables).
        init(dsn: String, tables: Int, contracted: Set<String>) {
            Thread.detachNewThread { [self] in
                defer { done.signal() }
                guard let session = try? Connection(ConnectionSettings(dsn: dsn, readOnly: false)) else { return }
                // Indexes ending in 5 are never partitioned or partitions, nor contracted by the
                // synthetic runs (every tenth table from 0).
                let candidates = stride(from: 5, to: max(10, tables), by: 10).map(SyntheticCatalog.qualified)
                    .filter { !contracted.contains($0.table) }
                guard !candidates.isEmpty else { return }
                var step = 0
                while !stopping.load(ordering: .relaxed) {
                    let (schema, table) = candidates[step / 2 % candidates.count]
                    let name = "\(SyntheticCatalog.quote(schema)).\(SyntheticCatalog.quote(table))"
                    let statement =
                        step % 2 == 0
                        ? "ALTER TABLE \(name) ADD COLUMN IF NOT EXISTS load_note text"
                        : "ALTER TABLE \(name) DROP COLUMN IF EXISTS load_note"
                    if (try? session.execute(script: statement)) != nil { count.add(1, ordering: .relaxed) }
                    step += 1
                    Thread.sleep(forTimeInterval: 1)
                }
            }
        }

        func stop() {
            stopping.store(true, ordering: .relaxed)
            done.wait()
        }
    }

    /// The `contractwatch` binary built beside this bench.
    static func checkBinary() -> String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "contractwatch"
        ).path
    }

    /// Medians of `check` and its floors, measured in interleaved rounds so that a drift of the
    /// machine's load moves a measurement and its baseline together: "check" (the binary, if
    /// built), "psql" (psql sending the same catalog query, if installed), "in-process" (`check`'s
    /// phases in this process) and "floor" (a fresh session and the catalog query, no decoding).
    /// `parts`: also "contracts only" (the folder read and parsed) and "catalog only" (a fresh
    /// session's snapshot of the contracted tables, names known, decoded): where the time goes.
    static func measureCheck(dsn: String, contractsFolder: String, names: Set<String>, rounds: Int, parts: Bool = false)
        -> [String: Double]
    {
        let binary = checkBinary()
        let sink = NSTemporaryDirectory() + "cw-bench-out"
        let scoped = CatalogReader.scopedSnapshotQuery(names: names, detail: .checks)
        var contenders: [(name: String, run: () -> Void)] = []
        if FileManager.default.isExecutableFile(atPath: binary) {
            contenders.append(
                (
                    "check",
                    {
                        _ = try? ChildProcess.run(
                            [binary, "check", "--dsn", dsn, "--contracts", contractsFolder, "--format", "json"],
                            environment: ProcessInfo.processInfo.environment, stdoutPath: sink)
                    }
                ))
        }
        // The floor of `check` as a process: psql (C, libpq, the same session options) sending the
        // same catalog query; its parameter written as a literal, as psql has no way to bind one.
        if let psql = psqlPath() {
            var environment = ProcessInfo.processInfo.environment
            environment["PGOPTIONS"] = ConnectionSettings(dsn: dsn).sessionOptions(
                appendingTo: environment["PGOPTIONS"])
            let sql = scoped.sql.replacingOccurrences(of: "$1::text[]", with: literal(scoped.parameter) + "::text[]")
            contenders.append(
                (
                    "psql",
                    {
                        _ = try? ChildProcess.run(
                            [psql, "-X", "-q", "-A", "-t", "-o", "/dev/null", "-d", dsn, "-c", sql],
                            environment: environment, stdoutPath: sink)
                    }
                ))
        }
        // `check` in this process: the same phases without the process start. Like the binary, it
        // leaves its values to be freed after it is done (the binary exits without freeing them).
        let kept = Mutex<[any Sendable]>([])
        contenders.append(
            (
                "in-process",
                {
                    let loading = ContractFolderLoad(contractsFolder)
                    guard let fresh = try? Connection(ConnectionSettings(dsn: dsn)),
                        let snapshot = try? CatalogReader.snapshot(
                            fresh, nameBatches: loading.nextTableNames, detail: .checks),
                        let contracts = try? loading.wait()
                    else { return }
                    let report = CheckReport(result: Checker.check(contracts, against: snapshot), checkedAt: Date())
                    let rendered = report.render(.json)
                    kept.withLock { $0 += [snapshot, contracts, report, rendered] as [any Sendable] }
                }
            ))
        if parts {
            contenders.append(("contracts only", { _ = try? ContractFolderLoad(contractsFolder).wait() }))
            contenders.append(
                (
                    "catalog only",
                    {
                        guard let fresh = try? Connection(ConnectionSettings(dsn: dsn)) else { return }
                        _ = try? CatalogReader.snapshot(fresh, names: names, detail: .checks)
                    }
                ))
        }
        // The floor of `check`: a fresh session and its catalog query sent raw, no decoding.
        contenders.append(
            (
                "floor",
                {
                    guard let fresh = try? Connection(ConnectionSettings(dsn: dsn)) else { return }
                    _ = try? fresh.query(scoped.sql, [scoped.parameter])
                }
            ))
        return measureInterleaved(rounds, contenders, between: { kept.withLock { $0.removeAll() } })
    }

    /// The usual approach (the book's): information_schema.columns for every table, primary keys
    /// from table_constraints ⋈ key_column_usage, compared in memory. Returns the violation count.
    static func informationSchemaCheck(dsn: String, contracts: ContractSet) throws -> Int {
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        let columns = try connection.query(
            """
            SELECT table_schema, table_name, column_name, data_type, character_maximum_length, numeric_precision,
                   numeric_scale, datetime_precision, is_nullable, is_updatable
            FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
            """)
        let keys = try connection.query(
            """
            SELECT kcu.table_schema, kcu.table_name, kcu.column_name
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage kcu
              ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name AND
                  kcu.table_name = tc.table_name
            WHERE tc.constraint_type = 'PRIMARY KEY'
            """)
        var catalog: [String: (String, Int?, Int?, Int?, Int?, Bool, Bool)] = [:]
        for row in 0..<columns.rowCount {
            let key = "\(columns.string(row, 0) ?? "")|\(columns.string(row, 1) ?? "")|\(columns.string(row, 2) ?? "")"
            catalog[key] = (
                columns.string(row, 3) ?? "", columns.int(row, 4), columns.int(row, 5), columns.int(row, 6),
                columns.int(row, 7),
                columns.string(row, 8) == "YES", columns.string(row, 9) == "YES"
            )
        }
        var primary: Set<String> = []
        for row in 0..<keys.rowCount {
            primary.insert("\(keys.string(row, 0) ?? "")|\(keys.string(row, 1) ?? "")|\(keys.string(row, 2) ?? "")")
        }
        var violations = 0
        for contract in contracts.contracts {
            for column in contract.columns {
                let key = "\(contract.table.schema)|\(contract.table.name)|\(column.name)"
                guard let actual = catalog[key] else {
                    violations += 1
                    continue
                }
                let e = column.expectation
                if let type = e.dataType, type != actual.0 { violations += 1 }
                if let n = e.modifiers.characterMaximumLength, n.value != actual.1 { violations += 1 }
                if let n = e.modifiers.numericPrecision, n.value != actual.2 { violations += 1 }
                if let n = e.modifiers.numericScale, n.value != actual.3 { violations += 1 }
                if let n = e.modifiers.datetimePrecision, n != actual.4 { violations += 1 }
                if let nullable = e.isNullable, nullable != actual.5 { violations += 1 }
                if let updatable = e.isUpdatable, updatable != actual.6 { violations += 1 }
                if let pk = e.primaryKey, pk != primary.contains(key) { violations += 1 }
            }
        }
        return violations
    }

    /// The real psql binary (Debian's `psql` on PATH is a Perl wrapper that costs ~20 ms).
    static func psqlPath() -> String? {
        guard let folder = try? LocalCluster.findBinDirectory() else { return nil }
        let path = folder + "/psql"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// A SQL string literal.
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// "…; peak RSS 40 MB" from `CONTRACTWATCH_TIMINGS=1`'s line.
    static func peakRSS(in timings: String) -> Double? {
        guard let range = timings.range(of: "peak RSS ") else { return nil }
        return Double(timings[range.upperBound...].prefix { $0.isNumber || $0 == "." })
    }

    struct DashboardIdle {
        var peakMegabytes: Double?
        var rssBeforeIdle: Double?
        var rssAfterIdle: Double?
        var idleCPUPercent: Double
        /// The dashboard's server sessions over the same minute; nil when their processes cannot
        /// be read (a server on another machine).
        var backendCPUPercent: Double?
        /// How far the database's WAL moved during the minute (0: nothing was written).
        var walBytesDuringIdle: Int?
        var connectedSeconds: Double
        var catalogSeconds: Double
    }

    /// The real binary in a private tmux server: how soon it is connected and shows the whole
    /// catalog, its peak RSS after the Tables screen and a poll on request, then a minute left
    /// alone (CPU from /proc/PID/stat, RSS before and after). nil without tmux.
    static func dashboardIdle(binary: String, dsn: String, contractsFolder: String) -> DashboardIdle? {
        guard
            let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else {
            return nil
        }
        let socket = "cw-bench-" + UUID().uuidString.prefix(8)
        let screen = NSTemporaryDirectory() + "cw-bench-screen-" + socket
        let state = NSTemporaryDirectory() + "cw-bench-state-" + socket
        func run(_ arguments: [String]) -> Bool {
            (try? ChildProcess.run(
                [tmux, "-L", socket] + arguments, environment: ProcessInfo.processInfo.environment, stdoutPath: screen))
                == 0
        }
        func shown() -> String { (try? String(contentsOfFile: screen, encoding: .utf8)) ?? "" }
        func waitFor(_ text: String, seconds: Double) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if run(["capture-pane", "-p", "-t", "cw"]), shown().contains(text) { return true }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }
        tmuxServers.withLock { $0[socket] = tmux }
        defer {
            _ = run(["kill-server"])
            _ = tmuxServers.withLock { $0.removeValue(forKey: socket) }
            try? FileManager.default.removeItem(atPath: screen)
            try? FileManager.default.removeItem(atPath: state)
        }
        let command =
            "exec env XDG_STATE_HOME=\(shellQuote(state)) TERM=xterm-256color \(shellQuote(binary)) watch --dsn "
            + "\(shellQuote(dsn)) --contracts \(shellQuote(contractsFolder))"
        // The dashboard's sessions are the ones named `contractwatch` that were not there before.
        let observer = try? Connection(ConnectionSettings(dsn: dsn, applicationName: "contractwatch-bench"))
        func sessions() -> Set<Int> {
            guard
                let result = try? observer?.query(
                    "SELECT pid FROM pg_catalog.pg_stat_activity WHERE application_name = 'contractwatch'")
            else { return [] }
            return Set((0..<result.rowCount).compactMap { result.int($0, 0) })
        }
        let earlier = sessions()
        let started = Date()
        guard run(["new-session", "-d", "-s", "cw", "-x", "160", "-y", "50", command]),
            waitFor("● connected", seconds: 30)
        else {
            return nil
        }
        let connected = Date().timeIntervalSince(started)
        guard run(["list-panes", "-t", "cw", "-F", "#{pane_pid}"]),
            let pid = Int(shown().trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            return nil
        }
        _ = run(["send-keys", "-t", "cw", "2"])
        _ = waitFor("Tables", seconds: 5)
        // The whole catalog is there once the reading note is gone.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            // (Before the first poll is published the screen waits for a snapshot: not done yet.)
            if run(["capture-pane", "-p", "-t", "cw"]), !shown().contains("reading the whole catalog"),
                !shown().contains("Waiting for the first catalog snapshot")
            {
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let catalog = Date().timeIntervalSince(started)
        _ = run(["send-keys", "-t", "cw", "R"])
        Thread.sleep(forTimeInterval: 3)
        func cpuTicks(_ process: Int = pid) -> Double? {
            guard let stat = try? String(contentsOfFile: "/proc/\(process)/stat", encoding: .utf8),
                let end = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: end)...].split(separator: " ")
            // After the command name: state is field 3, utime 14 and stime 15 (1-based, of the line).
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
            return user + system
        }
        func rss() -> Double? {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
            else { return nil }
            return Double(line.split(separator: " ")[1]).map { $0 / 1024 }
        }
        // The full read R asked for takes seconds on a large catalog: wait until the process has
        // been quiet for two seconds (at most a minute), so the idle minute is idle.
        var quiet = 0
        var last = cpuTicks() ?? 0
        for _ in 0..<120 where quiet < 4 {
            Thread.sleep(forTimeInterval: 0.5)
            let now = cpuTicks() ?? 0
            quiet = now - last <= 1 ? quiet + 1 : 0
            last = now
        }
        // An idle dashboard on an idle database: a catalog just built is still being vacuumed and
        // analyzed, and every commit makes the next poll probe the contracted relations (WAL
        // written without one, by VACUUM or page pruning, does not). Wait until the WAL stands
        // still for 5 s (at most 90 s) and say how far it moved during the minute.
        func walPosition() -> String? { observer.flatMap { CatalogFingerprint.writeMarks($0).wal } }
        var still = 0
        var position = walPosition()
        for _ in 0..<180 where still < 10 {
            Thread.sleep(forTimeInterval: 0.5)
            let now = walPosition()
            still = now == position ? still + 1 : 0
            position = now
        }
        let peak = ChildProcess.peakResidentMegabytes(pid: String(pid))
        let before = rss()
        let backends = sessions().subtracting(earlier)
        func backendTicks() -> Double? {
            let each = backends.map { cpuTicks($0) }
            return backends.isEmpty || each.contains(nil) ? nil : each.compactMap { $0 }.reduce(0, +)
        }
        let ticksBefore = cpuTicks() ?? 0
        let backendBefore = backendTicks()
        let idleStarted = Date()
        Thread.sleep(forTimeInterval: 60)
        let ticks = (cpuTicks() ?? 0) - ticksBefore
        let backendAfter = backendTicks()
        let seconds = Date().timeIntervalSince(idleStarted)
        let walMoved = walPosition().flatMap { end in
            position.flatMap { start in
                try? observer?.query("SELECT pg_catalog.pg_wal_lsn_diff($1, $2)::bigint", [end, start]).int(0, 0)
            }
        }
        let hertz = Double(sysconf(Int32(_SC_CLK_TCK)))
        return DashboardIdle(
            peakMegabytes: peak, rssBeforeIdle: before, rssAfterIdle: rss(),
            idleCPUPercent: ticks / hertz / seconds * 100,
            backendCPUPercent: backendBefore.flatMap { start in
                backendAfter.map { ($0 - start) / hertz / seconds * 100 }
            },
            walBytesDuringIdle: walMoved,
            connectedSeconds: connected, catalogSeconds: catalog)
    }

    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024 // kilobytes on Linux
    }
}
