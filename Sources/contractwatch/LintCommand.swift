import ArgumentParser
import ContractFiles
import Contracts
import Foundation

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
        switch format {
        case .text:
            var lines = findings.map(\.description)
            let files = set.fileCount + (set.registry.file == nil ? 0 : 1)
            lines.append((findings.isEmpty ? "OK: " : "FAILED: ")
                + "\(files) file\(files == 1 ? "" : "s"), \(set.contracts.count) contract\(set.contracts.count == 1 ? "" : "s"), "
                + "\(set.registry.people.count) registry entr\(set.registry.people.count == 1 ? "y" : "ies"), \(findings.count) finding\(findings.count == 1 ? "" : "s")")
            Output.write(lines.joined(separator: "\n") + "\n")
        case .json:
            let json = JSONText.object([
                ("contracts", .int(set.contracts.count)),
                ("files", .int(set.fileCount)),
                ("registry", .optional(set.registry.file)),
                ("findings", .array(findings.map { finding in
                    .object([
                        ("file", .string(finding.file)),
                        ("line", finding.line.map(JSONText.int) ?? .null),
                        ("column", finding.column.map(JSONText.int) ?? .null),
                        ("rule", .string(finding.rule.rawValue)),
                        ("message", .string(finding.message)),
                    ])
                })),
                ("summary", .object([("findings", .int(findings.count))])),
            ])
            Output.write(json.rendered() + "\n")
        }
        if !findings.isEmpty { throw CommandFailure(status: ExitStatus.violations, message: "\(findings.count) lint finding\(findings.count == 1 ? "" : "s")") }
    }
}
