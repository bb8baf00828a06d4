import ArgumentParser
import Catalog
import ContractFiles
import Contracts
import Foundation
import Reports

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Validate contract files without a database.",
        discussion: """
            Reports parse errors (file:line:column), unknown type spellings with a suggestion, \
            duplicate contract names, two contracts for one table, missing or malformed owners, and \
            role or consumer references that owners.yaml does not resolve. \
            Exit codes: 0 clean, 1 findings, 2 usage error.
            """
    )

    @Argument(help: ArgumentHelp("Folder of contract files (default: ./contracts).", valueName: "DIR"))
    var directory: String?

    /// The spelling every other command uses, so `lint --contracts DIR` works too.
    @Option(name: .long, help: ArgumentHelp("Folder of contract files (same as DIR).", valueName: "DIR"))
    var contracts: String?

    func validate() throws {
        if let directory, let contracts, directory != contracts {
            throw ValidationError("give the folder once: either DIR or --contracts DIR")
        }
    }

    @Option(name: .long, help: "Output format: text or json.")
    var format: LintFormat = .text

    enum LintFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() throws {
        let set: ContractSet
        do {
            set = try ContractFolder.load(directory ?? contracts ?? "./contracts")
        } catch {
            throw CommandFailure.usage(error.description)
        }
        let findings = ContractLint.lint(set)
        let report = LintReport(findings: findings, set: set)
        Output.write(format == .text ? report.text() : report.json())
        if !findings.isEmpty {
            throw CommandFailure(
                status: ExitStatus.violations, message: "\(findings.count) lint finding\(plural(findings.count))")
        }
    }
}
