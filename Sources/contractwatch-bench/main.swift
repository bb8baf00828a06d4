// contractwatch-bench: timings as ratios against a floor measured in the same run.
// Run: swift run -c release contractwatch-bench [--dsn DSN --contracts DIR]
//
// Always: the dashboard's Violations screen with 10,000 findings on the in-memory canvas, against
// the floor of filling an empty frame. With --dsn: the poll pipeline on that database (idle poll
// gate, catalog fingerprint, full snapshot + checks) beside the raw queries sent through libpq
// with no decoding. Nothing in the test suite asserts a time; this prints them.

import Catalog
import CatalogReader
import ContractFiles
import Postgres
import Checks
import Contracts
import Dashboard
import Foundation
import Watch

func median(_ samples: [Double]) -> Double {
    let sorted = samples.sorted()
    return sorted[sorted.count / 2]
}

/// Median wall time of `body` in milliseconds over `repetitions` runs (after one warm-up).
func measure(_ repetitions: Int = 31, _ body: () -> Void) -> Double {
    body()
    var samples: [Double] = []
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return median(samples)
}

/// 1,000 contracts × 10 columns, every column missing from its (existing) table: 10,000 findings.
func statusWithFindings(_ count: Int) -> WatchStatus {
    let perContract = 10
    var contracts: [Contract] = []
    var relations: [Relation] = []
    for index in 0..<(count / perContract) {
        let table = String(format: "t%05d", index)
        contracts.append(Contract(
            name: "contract-\(table)", file: "contracts/\(table).json",
            owner: Owner(name: "Team \(index % 37)", email: "team\(index % 37)@example.com"),
            table: ContractTable(catalog: nil, schema: "public", name: table),
            columns: (0..<perContract).map { ContractColumn(name: "c\($0)", expectation: ColumnExpectation(dataType: "integer")) }))
        relations.append(Relation(name: QualifiedName(schema: "public", name: table), kind: .table, columns: [
            CatalogColumn(name: "id", position: 1, dataType: "integer", formattedType: "integer"),
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

let width = 120, height = 40
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
    model.update(next)
    var frame = Frame(width: width, height: height)
    Renderer.draw(&model, on: &frame, now: now)
}

func row(_ name: String, _ ms: Double, floor: Double = floor) -> String {
    name.padding(toLength: 58, withPad: " ", startingAt: 0) + String(format: "%9.3f ms  %7.1f× floor", ms, ms / floor)
}
print("contractwatch-bench — Violations screen, 10,000 findings, \(width)×\(height), medians")
print(row("floor: fill an empty frame", floor))
print(row("redraw, nothing changed (the 1 s tick)", warm))
print(row("key (↓) + redraw", keyAndRedraw))
print(row("new poll published: rebuild 10,000 rows + redraw", newPoll))
print(String(format: "summary: redraw %.3f ms (%.1f× floor), key %.3f ms, new poll %.1f ms", warm, warm / floor, keyAndRedraw, newPoll))

// MARK: - Database (optional)

let arguments = CommandLine.arguments
if let dsnIndex = arguments.firstIndex(of: "--dsn"), dsnIndex + 1 < arguments.count {
    let dsn = arguments[dsnIndex + 1]
    let folder = arguments.firstIndex(of: "--contracts").map { arguments[$0 + 1] } ?? "contracts"
    do {
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        let contracts = try ContractFolder.load(folder)
        let tables = try connection.query("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'").int(0, 0) ?? 0
        let wal = measure(51) { _ = CatalogFingerprint.walPosition(connection) }
        let select1 = measure(51) { _ = try? connection.query("SELECT 1") }
        let fingerprintRaw = measure(7) { _ = try? connection.query(CatalogFingerprint.query) }
        let snapshotRaw = measure(7) { _ = try? connection.query(CatalogReader.snapshotQuery) }
        let snapshot = measure(7) { _ = try? CatalogReader.snapshot(connection) }
        let full = measure(7) {
            if let snap = try? CatalogReader.snapshot(connection) { _ = Checker.check(contracts, against: snap) }
        }
        let names = Set(contracts.contracts.map(\.table.name))
        let scopedFingerprint = measure(11) { _ = try? CatalogFingerprint.fingerprint(connection, names: names) }
        let scopedPoll = measure(11) {
            if let snap = try? CatalogReader.snapshot(connection, names: names) { _ = Checker.check(contracts, against: snap) }
        }
        print("")
        print("poll pipeline on \(tables) tables, \(contracts.contracts.count) contracts, medians")
        print(row("floor: SELECT 1 round trip", select1, floor: select1))
        print(row("idle poll gate: pg_current_wal_insert_lsn()", wal, floor: select1))
        print(row("catalog fingerprint (raw query)", fingerprintRaw, floor: select1))
        print(row("full snapshot query, raw (no decoding)", snapshotRaw, floor: select1))
        print(row("full snapshot, decoded", snapshot, floor: select1))
        print(row("full poll: snapshot + checks", full, floor: select1))
        print(row("scoped fingerprint (contracted tables)", scopedFingerprint, floor: select1))
        print(row("scoped poll: contracted tables + checks", scopedPoll, floor: select1))
        print(String(format: "summary: idle poll %.2f ms (%.1f× SELECT 1), scoped fingerprint %.1f ms, scoped poll %.1f ms, full poll %.1f ms (%.2f× raw snapshot query)",
                     wal, wal / select1, scopedFingerprint, scopedPoll, full, full / snapshotRaw))
    } catch {
        print("database measurements skipped: \(error)")
    }
}
