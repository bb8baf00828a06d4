import ArgumentParser
import Catalog
import CatalogReader
import Checks
import ContractFiles
import Contracts
import Foundation
import Postgres
import Reports
import Synchronization

extension CheckReport.Format: ExpressibleByArgument {
    /// The `--format` help of every command that reports findings.
    static let help = ArgumentHelp(
        "Output format: text, json, junit, markdown, github, sarif or gitlab.",
        discussion:
            "github: workflow commands that annotate the pull request, and the Markdown report in the step "
            + "summary when GITHUB_STEP_SUMMARY is set; sarif: SARIF 2.1.0 (code scanning); gitlab: Code Quality.")
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every contract once against the database (the CI gate).",
        discussion:
            "Exit codes: 0 clean (notices and, by default, non-breaking warnings allowed), 1 breaking violations "
            + "(any with --fail-on warning) or contract errors, 2 usage error, 3 could not check."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var contractOptions: ContractOptions

    @Option(name: .long, help: CheckReport.Format.help)
    var format: CheckReport.Format = .text

    @Option(
        name: .customLong("fail-on"),
        help: "Fail on violations of this severity or worse: error (breaking, default) or warning (any).")
    var failOn: FailOn = .error

    @Option(
        name: .customLong("changed-since"),
        help: ArgumentHelp(
            "Check only the contracts whose files differ from this git revision (committed, staged, edited or new).",
            valueName: "REF"))
    var changedSince: String?

    func run() throws {
        var timings = PhaseTimings()
        let report: CheckReport
        if let changedSince {
            let changed = try GitContracts.changed(folder: contractOptions.contracts, since: changedSince)
            var contracts = try contractOptions.load()
            // A changed owners registry can change any contract's findings: then all are checked.
            if !changed.contains(where: { ($0 as NSString).lastPathComponent == "owners.yaml" }) {
                contracts.contracts = contracts.contracts.filter { changed.contains($0.file) }
                contracts.errors = contracts.errors.filter { changed.contains($0.file) }
            }
            Output.error(
                "contractwatch check: \(contracts.contracts.count + Set(contracts.errors.map(\.file)).count) contract "
                    + "file(s) changed since \(changedSince)")
            report = try CheckRun.run(settings: connection.settings(), contracts: contracts)
        } else {
            report = try CheckRun.run(settings: connection.settings(), contracts: contractOptions, timings: &timings)
        }
        let rendered = report.render(format)
        Output.write(rendered)
        if format == .github { Output.stepSummary { report.render(.markdown) } }
        timings.mark("report (\(format.rawValue))")
        timings.finish()
        UntilExit.keep(report, rendered)
        if failOn.fails(report.result) {
            throw CommandFailure(status: ExitStatus.violations, message: "contracts broken")
        }
    }
}

/// Connect → snapshot → check, with failures mapped to exit statuses.
enum CheckRun {
    static func run(settings: ConnectionSettings, contracts: ContractSet) throws -> CheckReport {
        do {
            let connection = try Connection(settings)
            return check(
                contracts,
                against: try CatalogReader.snapshot(
                    connection, names: Set(contracts.contracts.map(\.table.name)), detail: .checks))
        } catch {
            throw CommandFailure.couldNotCheck(error.description)
        }
    }

    /// Reads the contract files on other threads while this one opens the session and reads the
    /// catalog: the server's login and the first tables' rows overlap with the parsing (each
    /// parsed file's table joins the next batch the catalog reader sends). A contracts problem
    /// (a usage error) is reported before a database problem, as if they had run in order.
    static func run(settings: ConnectionSettings, contracts options: ContractOptions, timings: inout PhaseTimings)
        throws -> CheckReport
    {
        let loading = ContractFolderLoad(options.contracts)
        func contracts() throws -> ContractSet {
            do { return try loading.wait() } catch { throw CommandFailure.usage(error.description) }
        }
        let snapshot: CatalogSnapshot
        do {
            let connection = try Connection(settings)
            timings.mark("connect")
            // Only the contracted tables (and, for missing ones, their case variants): the cost
            // follows the contracts, not the size of the catalog.
            snapshot = try CatalogReader.snapshot(connection, nameBatches: loading.nextTableNames, detail: .checks)
        } catch {
            _ = try contracts()
            throw CommandFailure.couldNotCheck(error.description)
        }
        let contractSet = try contracts()
        timings.mark(
            "catalog (\(snapshot.relations.count) relations) beside the contracts (\(contractSet.fileCount) files)")
        let report = check(contractSet, against: snapshot)
        timings.mark("checks")
        UntilExit.keep(snapshot, contractSet)
        return report
    }

    private static func check(_ contracts: ContractSet, against snapshot: CatalogSnapshot) -> CheckReport {
        CheckReport(result: Checker.check(contracts, against: snapshot), checkedAt: Date())
    }
}

/// Values that live until the process exits. `check` ends right after its report: freeing the
/// catalog snapshot, the contracts and the findings object by object first would only delay the
/// exit that returns their memory at once (~7 ms of a 1,000-contract check).
enum UntilExit {
    private static let values = Mutex<[any Sendable]>([])

    static func keep(_ kept: any Sendable...) {
        values.withLock { $0 += kept }
    }
}

/// `CONTRACTWATCH_TIMINGS=1`: one stderr line with the wall time of each phase, for profiling
/// and for `contractwatch-bench`'s breakdown of `check`. Off, it costs one clock read per mark.
struct PhaseTimings {
    private let enabled: Bool
    private var last = DispatchTime.now().uptimeNanoseconds
    private let start: UInt64
    private var phases: [(String, Double)] = []

    init(enabled: Bool = ProcessInfo.processInfo.environment["CONTRACTWATCH_TIMINGS"] == "1") {
        self.enabled = enabled
        start = last
    }

    mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        phases.append((phase, Double(now - last) / 1e6))
        last = now
    }

    /// Phases that alternate (rendering and writing each file): their summed durations, measured
    /// by the caller since the last mark, which they end.
    mutating func mark(_ parts: [(String, UInt64)]) {
        guard enabled else { return }
        for (phase, nanoseconds) in parts { phases.append((phase, Double(nanoseconds) / 1e6)) }
        last = DispatchTime.now().uptimeNanoseconds
    }

    func finish() {
        guard enabled else { return }
        let total = Double(last - start) / 1e6
        let parts = phases.map { String(format: "%@ %.2f ms", $0.0, $0.1) }
        Output.error(
            "contractwatch timings: " + parts.joined(separator: ", ") + String(format: "; total %.2f ms", total)
                + (ChildProcess.peakResidentMegabytes().map { String(format: "; peak RSS %.0f MB", $0) } ?? ""))
    }

}
