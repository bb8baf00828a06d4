import ArgumentParser
import Checks
import ContractFiles
import Contracts
import Foundation
import Postgres

struct OwnersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "owners",
        abstract: "Who owns this, and whom do I call? Owners and roles per contract.",
        discussion: "Without a database unless --broken, which checks first and lists the owners of broken contracts with their violations."
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
            contracts = contracts.filter { $0.table.schema == name.schema && $0.table.name == name.name }
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
        let registry = set.registry
        switch format {
        case .text:
            var lines: [String] = []
            for contract in contracts {
                lines.append("\(contract.name)  \(contract.table.schema).\(contract.table.name)  (\(contract.file))")
                for role in registry.roles(for: contract) {
                    lines.append("  " + OwnerText.describe(role, registry: registry))
                }
                for violation in result?.violations.filter({ $0.file == contract.file }) ?? [] {
                    lines.append("  ✗ \(violation.severity.rawValue) \(violation.kind.rawValue) \(violation.location): \(violation.message)")
                }
                if !contract.consumers.isEmpty {
                    lines.append("  consumers: " + contract.consumers.map { $0.name + ($0.kind.map { " (\($0))" } ?? "") }.joined(separator: ", "))
                }
                lines.append("")
            }
            if contracts.isEmpty { lines.append(broken ? "No broken contracts: nobody to call." : "No contracts.") }
            Output.write(lines.joined(separator: "\n") + "\n")
        case .json:
            let json = JSONText.array(contracts.map { contract in
                .object([
                    ("contract", .string(contract.name)),
                    ("file", .string(contract.file)),
                    ("schema", .string(contract.table.schema)),
                    ("table", .string(contract.table.name)),
                    ("roles", .array(registry.roles(for: contract).map { OwnerText.json($0, registry: registry) })),
                    ("consumers", .array(contract.consumers.map { .object([("name", .string($0.name)), ("kind", .optional($0.kind)), ("owner", .optional($0.owner))]) })),
                    ("violations", .int(result?.violations.filter { $0.file == contract.file }.count ?? 0)),
                ])
            })
            Output.write(json.rendered() + "\n")
        }
    }
}

/// One person in a role, as the owners command prints it.
enum OwnerText {
    static func describe(_ role: ResolvedRole, registry: OwnersRegistry) -> String {
        let label = role.role.label.padding(toLength: 21, withPad: " ", startingAt: 0)
        guard let person = role.person else { return "\(label)\(role.reference)  (not in owners.yaml)" }
        var parts = [person.display]
        if let team = registry.team(of: person)?.name ?? person.team { parts.append("team \(team)") }
        if let channel = person.channel { parts.append(channel + (person.tool.map { " (\($0))" } ?? "")) }
        if let escalation = person.escalation { parts.append("escalation: \(escalation)") }
        return label + parts.joined(separator: " · ")
    }

    static func json(_ role: ResolvedRole, registry: OwnersRegistry) -> JSONText {
        let person = role.person
        return .object([
            ("role", .string(role.role.rawValue)),
            ("reference", .string(role.reference)),
            ("resolved", .bool(person != nil)),
            ("id", .optional(person?.id)),
            ("name", .optional(person?.name)),
            ("email", .optional(person?.email)),
            ("team", .optional(person.flatMap { registry.team(of: $0)?.name ?? $0.team })),
            ("channel", .optional(person?.channel)),
            ("tool", .optional(person?.tool)),
            ("escalation", .optional(person?.escalation)),
        ])
    }
}
