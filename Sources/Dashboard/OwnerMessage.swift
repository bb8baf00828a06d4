import Checks
import Contracts

extension Screens {
    /// A message to the owners of a violation, ready to paste into mail or chat: who, what
    /// broke and where, what is at risk, the diff, and how to reproduce it.
    public func message(for id: ViolationID) -> String? {
        guard let violation = result?.violations.first(where: { $0.id == id }) else { return nil }
        let contract = contracts.first { $0.file == violation.file }
        let roles = contract.map { registry.roles(for: $0) } ?? []
        let owner = roles.first { $0.role == .owner }?.person
        let others = roles.filter { $0.role != .owner }.compactMap { role in
            role.person.map { "\($0.display) (\(role.role.label.lowercased()))" }
        }
        let database = result?.database.name ?? "the database"
        var lines: [String] = []
        lines.append("To: \(owner?.display ?? violation.owner?.display ?? "(no owner named in the contract)")")
        if !others.isEmpty { lines.append("Cc: " + others.joined(separator: ", ")) }
        let change = violation.breaking ? "breaking change" : "change"
        lines.append(
            "Subject: [contractwatch] \(violation.critical ? "CRITICAL " : "")\(change) to "
                + "\(violation.qualifiedTable): \(violation.kind.rawValue)\(violation.column.map { " \($0)" } ?? "")"
        )
        lines.append("")
        lines.append("Hi \(owner?.name ?? violation.owner?.name ?? "there"),")
        lines.append("")
        lines.append(
            "contractwatch found a \(change) to \(violation.qualifiedTable) in database \(database), covered by "
                + "your contract \(violation.contract) (\(violation.file))."
        )
        lines.append("")
        lines.append("What broke:")
        lines.append(
            "  \(violation.severity.rawValue.uppercased()) \(violation.kind.rawValue) at \(violation.location)")
        lines.append("  \(violation.message)")
        lines.append("  expected: \(violation.expected)   actual: \(violation.actual)")
        if let open = status.openFor(violation.id) {
            lines.append("  open for: \(open.exact ? "" : "at least ")\(Self.duration(open.seconds))")
        }
        if !violation.consumers.isEmpty {
            lines.append("")
            lines.append("At risk downstream:")
            for consumer in violation.consumers {
                lines.append(
                    "  - \(consumer.name)" + (consumer.kind.map { " (\($0))" } ?? "")
                        + (consumer.owner.map { ", owned by \($0)" } ?? "")
                )
            }
        }
        lines.append("")
        lines.append("Diff (- contract, + catalog):")
        let relation = status.snapshot?.relation(violation.qualifiedTable)
        let diff = DDL.diff(
            violation: violation, contract: contract, relation: relation,
            violatedColumns: Set(violations(forFile: violation.file).compactMap(\.column)), database: database)
        lines += diff.map { "  " + $0.text }
        lines.append("")
        lines.append("To reproduce:")
        var dsn = "dbname=\(database)"
        if let info = status.connection {
            dsn = "host=\(info.host) port=\(info.port) dbname=\(info.database) user=\(info.user)"
        }
        lines.append("  contractwatch check --contracts \(status.contractsFolder) --dsn \"\(dsn)\"")
        return lines.joined(separator: "\n") + "\n"
    }
}
