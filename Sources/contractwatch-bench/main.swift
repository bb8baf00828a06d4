// contractwatch-bench: timings as ratios against baselines measured in the same run.
// Run: swift build -c release && .build/release/contractwatch-bench [--sizes 1000,10000] [--dsn DSN --contracts DIR]
//      [--check-only [--rounds N]]: with --dsn, only `check`, its floors and its two halves (the
//      contracts alone, the catalog alone), N interleaved rounds (default 31)
//
// 1. The dashboard's Violations screen with 10,000 findings on the in-memory canvas, against the
//    floor of filling an empty frame.
// 2. Without --dsn: for each size, a synthetic catalog in a throwaway cluster (schemas, types,
//    arrays, composite keys, views, partitions, comments) with contracts for a tenth of the tables:
//    `check` end to end vs the information_schema approach; snapshot vs its raw query; the
//    background checker's idle poll and poll after one DDL vs the floor of their queries; DDL →
//    finding latency at --interval 1; peak RSS. With --dsn: the poll pipeline on that database.
// Nothing in the test suite asserts a time; this prints them.

import Catalog
import CatalogReader
import Checks
import ContractFiles
import Contracts
import Dashboard
import Foundation
import Postgres
import Watch
import WatchModel

func median(_ samples: [Double]) -> Double {
    let sorted = samples.sorted()
    return sorted[sorted.count / 2]
}

/// The 95th percentile (nearest rank); nan without samples.
func percentile95(_ samples: [Double]) -> Double {
    guard !samples.isEmpty else { return .nan }
    let sorted = samples.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)]
}

/// Wall time of one run of `body` in milliseconds.
func elapsedMilliseconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

/// Median wall time of `body` in milliseconds over `repetitions` runs (after one warm-up).
func measure(_ repetitions: Int = 31, _ body: () -> Void) -> Double {
    body()
    return median((0..<repetitions).map { _ in elapsedMilliseconds(body) })
}

/// 1,000 contracts × 10 columns, every column missing from its (existing) table: 10,000 findings;
/// the contracts are shared among `teams` owners.
func statusWithFindings(_ count: Int, teams: Int = 37) -> WatchStatus {
    let perContract = 10
    var contracts: [Contract] = []
    var relations: [Relation] = []
    for index in 0..<(count / perContract) {
        let table = String(format: "t%05d", index)
        contracts.append(
            Contract(
                name: "contract-\(table)", file: "contracts/\(table).json",
                owner: Owner(name: "Team \(index % teams)", email: "team\(index % teams)@example.com"),
                table: ContractTable(catalog: nil, schema: "public", name: table),
                columns: (0..<perContract).map {
                    ContractColumn(name: "c\($0)", expectation: ColumnExpectation(dataType: "integer"))
                }))
        relations.append(
            Relation(
                name: QualifiedName(schema: "public", name: table), kind: .table,
                columns: [
                    CatalogColumn(name: "id", position: 1, dataType: "integer", formattedType: "integer")
                ]))
    }
    let set = ContractSet(contracts: contracts, errors: [], fileCount: contracts.count)
    let snapshot = CatalogSnapshot(database: DatabaseIdentity(name: "bench", serverVersion: "15"), relations: relations)
    var status = WatchStatus(target: "bench", interval: 2)
    status.contracts = set
    status.snapshot = snapshot
    status.result = Checker.check(set, against: snapshot)
    status.state = .connected
    status.lastPollAt = Date()
    status.generation = 1
    return status
}

/// The flags this bench takes; `--help` prints them, anything else is refused before a run
/// that takes minutes starts.
let usage = """
    usage: contractwatch-bench [--sizes N,N…] [--dsn DSN --contracts DIR [--writable | --check-only [--rounds N]]]
                               [--emit-sql N] [--help]
      --sizes N,N…     synthetic catalog sizes (default 1000,10000)
      --dsn DSN        measure the poll pipeline on this database instead (with --contracts DIR)
      --writable       with --dsn: also measure DDL → finding, writing to the database (only one made
                       from --emit-sql: it drops and restores `payload` columns, alters other tables)
      --check-only     with --dsn: only `check`, its floors and halves, --rounds N times (default 31)
      --emit-sql N     print the synthetic catalog of N tables as SQL and stop
    Every timing is printed beside a floor measured in the same run; the targets are checked at
    the end (✓ met, ✗ missed, – not measured) with the machine's load average.
    """
do {
    let valued: Set<String> = ["--sizes", "--dsn", "--contracts", "--rounds", "--emit-sql"]
    var index = 1
    let given = CommandLine.arguments
    while index < given.count {
        let flag = given[index]
        if flag == "--help" || flag == "-h" {
            print(usage)
            exit(0)
        } else if valued.contains(flag) {
            guard index + 1 < given.count else {
                FileHandle.standardError.write(Data("contractwatch-bench: \(flag) needs a value\n\(usage)\n".utf8))
                exit(2)
            }
            index += 2
        } else if flag == "--check-only" || flag == "--writable" {
            index += 1
        } else {
            FileHandle.standardError.write(Data("contractwatch-bench: unknown argument \(flag)\n\(usage)\n".utf8))
            exit(2)
        }
    }
}

// `--emit-sql N`: print the synthetic catalog of N tables and stop (to profile by hand with psql,
// `contractwatch init` and perf on a catalog that outlives the bench).
if let index = CommandLine.arguments.firstIndex(of: "--emit-sql"), index + 1 < CommandLine.arguments.count,
    let tables = Int(CommandLine.arguments[index + 1])
{
    for chunk in SyntheticCatalog.sql(tables: tables) { print(chunk) }
    exit(0)
}

// Interrupted (Ctrl-C, `timeout`, a closed terminal): no dashboard or server is left running.
let interruptions = [SIGINT, SIGTERM, SIGHUP].map { number in
    signal(number, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
    source.setEventHandler {
        PipelineBench.killDashboards()
        exit(128 + number)
    }
    source.resume()
    return source
}

let width = 120
let height = 40
let status = statusWithFindings(10_000)
precondition(status.result?.violations.count == 10_000)
let now = Date()

let floor = measure {
    var frame = Frame(width: width, height: height)
    for y in 0..<height { frame.fill(x: 0, y: y, width: width, role: .row) }
}

var model = DashboardModel(status: status)
_ = model.handle(.character("3"))
let warm = measure {
    var frame = Frame(width: width, height: height)
    Renderer.draw(&model, on: &frame, now: now)
}

let keyAndRedraw = measure {
    _ = model.handle(.down)
    var frame = Frame(width: width, height: height)
    Renderer.draw(&model, on: &frame, now: now)
}

var generation = 1
let newPoll = measure(11) {
    generation += 1
    var next = status
    next.generation = generation
    next.contentVersion = generation
    model.update(next)
    var frame = Frame(width: width, height: height)
    Renderer.draw(&model, on: &frame, now: now)
}

/// Medians in milliseconds of several bodies run in turn, `rounds` times (after one warm-up
/// round): each sample of one is taken beside a sample of the others. `between` runs after each
/// body, untimed.
func measureInterleaved(_ rounds: Int, _ bodies: [(name: String, run: () -> Void)], between: () -> Void = {})
    -> [String: Double]
{
    var samples: [String: [Double]] = [:]
    for round in 0...rounds {
        for body in bodies {
            let milliseconds = elapsedMilliseconds(body.run)
            between()
            if round > 0 { samples[body.name, default: []].append(milliseconds) }
        }
    }
    return samples.mapValues(median)
}

func row(_ name: String, _ ms: Double, floor: Double = floor) -> String {
    name.padding(toLength: 58, withPad: " ", startingAt: 0) + String(format: "%9.3f ms  %7.1f× floor", ms, ms / floor)
}
print("contractwatch-bench — Violations screen, 10,000 findings, \(width)×\(height), medians")
print(row("floor: fill an empty frame", floor))
print(row("redraw, nothing changed (the 1 s tick)", warm))
print(row("key (↓) + redraw", keyAndRedraw))
print(row("new poll published: rebuild 10,000 rows + redraw", newPoll))
print(
    String(
        format: "summary: redraw %.3f ms (%.1f× floor), key %.3f ms, new poll %.1f ms", warm, warm / floor,
        keyAndRedraw, newPoll))

var tablesScreenTarget: Target?
let loadAtStart = loadAverage()

/// The Tables screen on a 50,000-table catalog (1,000 of them contracted): opened right after a
/// new catalog arrived, so its rows are built; p95 over 21 openings.
do {
    var big = statusWithFindings(10_000)
    let extra = (0..<49_000).map { index in
        Relation(
            name: QualifiedName(schema: "s\(index % 7)", name: String(format: "u%05d", index)), kind: .table,
            columns: [CatalogColumn(name: "id", position: 1, dataType: "integer", formattedType: "integer")])
    }
    big.snapshot = CatalogSnapshot(
        database: DatabaseIdentity(name: "bench", serverVersion: "15"),
        relations: (big.snapshot?.relations ?? []) + extra)
    var tables = DashboardModel(status: big)
    var version = 10
    var samples: [Double] = []
    for _ in 0..<22 {
        version += 1
        var next = big
        next.generation = version
        next.contentVersion = version
        tables.update(next)
        _ = tables.handle(.character("1"))
        samples.append(
            elapsedMilliseconds {
                _ = tables.handle(.character("2"))
                var frame = Frame(width: width, height: height)
                Renderer.draw(&tables, on: &frame, now: now)
            })
    }
    samples.removeFirst()
    let p95 = percentile95(samples)
    var building: [Double] = []
    for _ in 0..<11 { building.append(elapsedMilliseconds { _ = Screens(status: big).content(for: .tables) }) }
    print(row("  of which building its 50,000 rows (median)", median(building)))
    print(row("open the Tables screen, 50,000 tables (median)", median(samples)))
    print(row("open the Tables screen, 50,000 tables (p95)", p95))
    // A scoped poll after one DDL folds the changed relation into the catalog in memory: its
    // cost should follow the change, not the 50,000 relations.
    if let catalog = big.snapshot, let changed = catalog.relations.dropFirst(25_000).first {
        let scoped = CatalogSnapshot(database: catalog.database, relations: [changed])
        // Each result is looked at, so the optimizer cannot drop the work.
        var found = 0
        let merge = measure(11) {
            found += catalog.merging(scoped, names: [changed.name.name]).relation(changed.name) == nil ? 0 : 1
        }
        let build = measure(11) {
            found += CatalogSnapshot(database: catalog.database, relations: catalog.relations).relations.count
        }
        precondition(found > 0)
        print(row("fold one changed relation into 50,000 (scoped poll)", merge))
        print(row("  beside: rebuilding all 50,000 (the fold's old way)", build))
    }
    tablesScreenTarget = Target(
        "open the Tables screen at 50,000 rows, p95 ≤ 50 ms", p95, atMost: 50, format: "%.1f ms")
}

/// A first status of 2,000 contracts that one team owns (the dashboard's start on a real
/// estate): taking it and drawing the Contracts screen, against the 37-team status of the
/// same size. The owner summary was once quadratic in one owner's contracts (300 ms here).
do {
    func firstStatus(teams: Int) -> Double {
        var status = statusWithFindings(20_000, teams: teams)
        status.contentVersion = 1
        return measure(11) {
            var model = DashboardModel(status: WatchStatus(target: "bench", interval: 2))
            model.update(status)
            var frame = Frame(width: width, height: height)
            Renderer.draw(&model, on: &frame, now: now)
        }
    }
    let spread = firstStatus(teams: 37)
    let oneTeam = firstStatus(teams: 1)
    print(row("first status, 2,000 contracts of 37 teams, drawn", spread))
    print(row("first status, 2,000 contracts of one team, drawn", oneTeam))
    print(String(format: "  one team / 37 teams: %.2f×", oneTeam / spread))
}

// MARK: - Database measurements

let arguments = CommandLine.arguments
func argument(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}

var summary = [String(format: "redraw 10k findings %.2f ms (%.1f× floor)", warm, warm / floor)]
/// Each database's targets, under its label.
var targets: [(label: String, targets: [Target])] = []
do {
    if let dsn = argument("--dsn"), arguments.contains("--check-only") {
        // Only `check` and its floors, in more rounds: for profiling `check` by hand.
        let folder = argument("--contracts") ?? "contracts"
        let names = Set(try ContractFolder.load(folder).contracts.map(\.table.name))
        let rounds = argument("--rounds").flatMap { Int($0) } ?? 31
        let medians = PipelineBench.measureCheck(
            dsn: dsn, contractsFolder: folder, names: names, rounds: rounds, parts: true)
        let floor = medians["floor"] ?? .nan
        for name in ["check", "psql", "in-process", "floor", "contracts only", "catalog only"] {
            guard let ms = medians[name] else { continue }
            print(
                name.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(format: "%9.2f ms  %5.2f× floor", ms, ms / floor))
        }
        summary.append(
            String(
                format: "check %.2f× psql, in-process %.2f× floor",
                (medians["check"] ?? .nan) / (medians["psql"] ?? .nan), (medians["in-process"] ?? .nan) / floor))
    } else if let dsn = argument("--dsn") {
        let report = try PipelineBench.run(
            dsn: dsn, contractsFolder: argument("--contracts") ?? "contracts", label: "given database",
            allowWrites: arguments.contains("--writable"))
        summary.append(report.summary)
        targets.append(("given database", report.targets))
    } else {
        let sizes = (argument("--sizes") ?? "1000,10000").split(separator: ",").compactMap { Int($0) }
        print("\nstarting a throwaway PostgreSQL…")
        let cluster = try LocalCluster.start()
        defer { cluster.stop() }
        // The scratch-copy preview's pg_dump locks every table: past ~6,000 tables the default
        // lock table (64 × 100 connections) is too small, as `preview` itself would say.
        if let largest = sizes.max(), largest > 5_000 {
            try cluster.execute("ALTER SYSTEM SET max_locks_per_transaction = \(largest / 80 + 64)", in: "postgres")
            try cluster.stopServer()
            try cluster.startServer()
        }
        for size in sizes {
            let report = try PipelineBench.synthetic(cluster: cluster, tables: size)
            summary.append(report.summary)
            targets.append(("\(size) tables", report.targets))
        }
    }
} catch {
    print("database measurements failed: \(error)")
}
print("")
print("targets (load average \(loadAtStart) at the start, \(loadAverage()) at the end):")
if let tablesScreenTarget { print("  " + tablesScreenTarget.line) }
for (label, list) in targets {
    print("  \(label):")
    for target in list { print("    " + target.line) }
}
let verdicts =
    (tablesScreenTarget.map { ["Tables screen \($0.mark) \($0.figure)"] } ?? [])
    + targets.map { "\($0.label) \(Target.verdict($0.targets))" }
summary.append("targets: " + verdicts.joined(separator: ", ") + " (load \(loadAtStart) → \(loadAverage()))")
print("")
print("SUMMARY: " + summary.joined(separator: " | "))
