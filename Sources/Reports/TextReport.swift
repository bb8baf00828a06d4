import Catalog
import Checks
import Contracts

extension CheckReport {
    /// For people at a terminal or reading a CI log: violations grouped by contract with the
    /// owner to contact, then contract errors (`file:line:column: message`), then notices.
    public func text() -> String {
        var lines: [String] = []
        lines.append(
            "contractwatch check: database \(result.database.name) (PostgreSQL \(result.database.serverVersion)) "
                + "at \(timestamp)"
        )
        lines.append("")
        for (outcome, violations) in violationsByContract {
            let owner = outcome.contract?.owner?.display ?? "(no owner)"
            let table = violations[0].qualifiedTable
            lines.append("✗ \(outcome.name)  \(table)  (\(outcome.file))")
            lines.append("  owner: \(owner)")
            for violation in violations {
                var tag = violation.breaking ? "breaking" : "non-breaking"
                if violation.critical { tag = "CRITICAL, breaking" }
                let severity = violation.critical ? "CRITICAL" : violation.severity.rawValue.uppercased()
                lines.append(
                    "  \(severity.padding(9))\(violation.kind.rawValue.padding(25))\(violation.message) [\(tag)]")
            }
            if let consumers = violations.first(where: \.breaking)?.consumers, !consumers.isEmpty {
                lines.append("  at risk downstream: " + consumers.map(Self.describe).joined(separator: ", "))
            }
            lines.append("")
        }
        if !result.contractErrors.isEmpty {
            lines.append("Contract errors (these files were not checked):")
            for error in result.contractErrors {
                lines.append("  \(error)")
            }
            lines.append("")
        }
        if !result.notices.isEmpty {
            lines.append("Notices:")
            for notice in result.notices {
                let subject = [notice.contract, notice.table.map { t in notice.column.map { "\(t).\($0)" } ?? t }]
                    .compactMap { $0 }.joined(separator: " ")
                lines.append("  \(notice.kind.rawValue)\(subject.isEmpty ? "" : " [\(subject)]"): \(notice.detail)")
            }
            lines.append("")
        }
        let ok = result.contracts.filter { $0.status == .ok }
        if !ok.isEmpty {
            let shown = ok.prefix(10).map(\.name).joined(separator: ", ")
            lines.append(
                "✓ \(ok.count) contract\(plural(ok.count)) \(ok.count == 1 ? "holds" : "hold"): " + shown
                    + (ok.count > 10 ? " and \(ok.count - 10) more" : ""))
        }
        lines.append((result.isClean ? "OK: " : "FAILED: ") + summaryLine)
        let codes = Set(result.violations.map(\.kind.rawValue)).sorted()
        if !codes.isEmpty {
            // Each kind is a stable code; its section explains it and when it breaks consumers.
            lines.append("Codes: " + codes.map { "\($0) (\(ReviewRule.docs($0)))" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension CheckReport {
    static func describe(_ consumer: Consumer) -> String {
        var text = consumer.name
        if let kind = consumer.kind { text += " (\(kind))" }
        if let owner = consumer.owner { text += " owned by \(owner)" }
        return text
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
