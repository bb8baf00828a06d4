import ArgumentParser
import CatalogReader
import Checks
import ContractFiles
import Contracts
import Foundation
import Postgres
import Preview
import Reports
import Watch

/// Which violations fail the gate: breaking ones (`error`, the default) or any (`warning`).
enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case error, warning

    func fails(_ result: CheckResult, violations: [Violation]? = nil) -> Bool {
        if !result.contractErrors.isEmpty { return true }
        let relevant = violations ?? result.violations
        return self == .warning ? !relevant.isEmpty : relevant.contains { $0.severity == .error }
    }
}

struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Report what a migration would break, without applying it.",
        discussion: """
            Runs MIGRATION.sql inside a transaction on a development database, takes the catalog \
            snapshot inside that transaction, and always rolls back. Reports the violations the \
            migration would introduce and those it would fix, in the formats and with the exit \
            codes of `check`. This is the only command that opens a writable session. Scripts with \
            transaction control (BEGIN, COMMIT…) or commands that cannot run in a transaction \
            (CREATE INDEX CONCURRENTLY, VACUUM…) are refused before anything runs. Note that \
            PostgreSQL never rolls back sequences: nextval() calls in the script stay advanced.
            """
    )

    @Argument(help: ArgumentHelp("The migration script.", valueName: "MIGRATION.sql"))
    var migration: String

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var contractOptions: ContractOptions

    @Option(name: .long, help: "Output format: text, json, junit or markdown.")
    var format: CheckReport.Format = .text

    @Option(
        name: .customLong("fail-on"), help: "Fail on violations of this severity or worse: error (breaking) or warning."
    )
    var failOn: FailOn = .error

    func run() throws {
        let data: [UInt8]
        switch ContractFolder.readFile(migration, limit: MigrationPreview.maximumScriptSize) {
        case .success(let read): data = read
        case .failure(let unreadable): throw CommandFailure.usage("cannot read \(migration): \(unreadable.reason)")
        }
        let sql = String(decoding: data, as: UTF8.self)
        let script: MigrationScript
        do { script = try MigrationPreview.validate(sql) } catch {
            throw CommandFailure.usage("\(migration): \(error.description)")
        }
        let contracts: ContractSet
        contracts = try contractOptions.load()
        let settings = connection.settings()
        let run: MigrationPreview.Run
        do {
            run = try MigrationPreview.run(sql, contracts: contracts, settings: settings)
        } catch {
            if error.rolledBack {
                Output.error("contractwatch preview: rolled back (PostgreSQL confirms the transaction was aborted)")
            }
            throw CommandFailure.couldNotCheck(error.description)
        }
        let (before, after) = (run.before, run.after)
        if run.catalogUnchanged {
            Output.error(
                "contractwatch preview: rolled back; the database is unchanged (PostgreSQL confirms the "
                    + "transaction was aborted)"
            )
        } else {
            Output.error(
                "contractwatch preview: rolled back (PostgreSQL confirms the transaction was aborted), but the "
                    + "catalog changed while it ran: another session, or an effect PostgreSQL does not roll back "
                    + "(dblink, a background worker)"
            )
        }
        if ["nextval", "setval"].contains(where: { sql.range(of: $0, options: .caseInsensitive) != nil })
            || script.statements.contains(where: { $0.keywords.first == "INSERT" })
        {
            Output.error(
                "contractwatch preview: note: sequences moved by the script (nextval, setval, serial columns) are "
                    + "not rolled back by PostgreSQL"
            )
        }

        let impact = MigrationImpact(before: before, after: after)
        let report = PreviewReport(
            migration: migration, statementCount: script.statements.count, introduced: impact.introduced,
            fixed: impact.fixed, violationsBefore: before.violations.count, violationsAfter: after.violations.count,
            after: after, checkedAt: Date(), effects: run.effects, hazards: run.hazards)
        Output.write(report.render(format))
        if failOn.fails(report.check.result, violations: impact.introduced) {
            throw CommandFailure(status: ExitStatus.violations, message: "the migration would break contracts")
        }
    }
}
