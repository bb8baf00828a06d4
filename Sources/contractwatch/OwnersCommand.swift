import ArgumentParser
import Checks
import ContractFiles
import Contracts
import Foundation
import Postgres
import Reports

struct OwnersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "owners",
        abstract: "Who owns this, and whom do I call? Owners and roles per contract.",
        discussion:
            "Without a database unless --broken, which checks first and lists the owners of broken contracts with "
            + "their violations."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var contractOptions: ContractOptions

    @Option(name: .long, help: ArgumentHelp("Only the contract(s) for this table.", valueName: "SCHEMA.TABLE"))
    var table: String?

    @Option(name: .long, help: ArgumentHelp("Only this contract.", valueName: "NAME"))
    var contract: String?

    @Flag(name: .long, help: "Only contracts broken right now (connects and checks).")
    var broken = false

    @Option(name: .long, help: "Output format: text or json.")
    var format: LintCommand.LintFormat = .text

    func run() throws {
        let set = try contractOptions.load()
        let result = broken ? try CheckRun.run(settings: connection.settings(), contracts: set).result : nil
        var contracts = set.contracts
        if let table {
            let name = InitCommand.parseTable(table)
            contracts = contracts.filter { $0.qualifiedTable == name }
            if contracts.isEmpty { throw CommandFailure.usage("no contract describes \(name)") }
        }
        if let contract {
            contracts = contracts.filter { $0.name == contract }
            if contracts.isEmpty { throw CommandFailure.usage("no contract named \"\(contract)\"") }
        }
        if let result {
            let brokenFiles = Set(result.violations.map(\.file))
            contracts = contracts.filter { brokenFiles.contains($0.file) }
        }
        let report = OwnersReport(contracts: contracts, registry: set.registry, violations: result?.violations)
        Output.write(format == .text ? report.text() : report.json())
    }
}
