import ArgumentParser
import CatalogReader
import Checks
import ContractFiles
import Contracts
import Foundation
import Postgres
import Reports

extension CheckReport.Format: ExpressibleByArgument {}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every contract once against the database (the CI gate).",
        discussion: "Exit codes: 0 clean (notices and, by default, non-breaking warnings allowed), 1 breaking violations (any with --fail-on warning) or contract errors, 2 usage error, 3 could not check."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var contractOptions: ContractOptions

    @Option(name: .long, help: "Output format: text, json, junit or markdown.")
    var format: CheckReport.Format = .text

    @Option(name: .customLong("fail-on"), help: "Fail on violations of this severity or worse: error (breaking, default) or warning (any).")
    var failOn: FailOn = .error

    func run() throws {
        let report = try CheckRun.run(settings: connection.settings(), contracts: contractOptions.load())
        Output.write(report.render(format))
        if failOn.fails(report.result) { throw CommandFailure(status: ExitStatus.violations, message: "contracts broken") }
    }
}

/// Connect → snapshot → check, with failures mapped to exit statuses.
enum CheckRun {
    static func run(settings: ConnectionSettings, contracts: ContractSet) throws -> CheckReport {
        do {
            let connection = try Connection(settings)
            // Only the contracted tables (and, for missing ones, their case variants): the cost
            // follows the contracts, not the size of the catalog.
            let snapshot = try CatalogReader.snapshot(connection, names: Set(contracts.contracts.map(\.table.name)))
            return CheckReport(result: Checker.check(contracts, against: snapshot), checkedAt: Date())
        } catch {
            throw CommandFailure.couldNotCheck(error.description)
        }
    }
}
