import Catalog
import Checks
import Contracts

extension CheckReport {
    /// The hidden first line of the comment: a CI step finds the comment it posted before by it
    /// and updates that one instead of adding another.
    public static let commentMarker = "<!-- contractwatch:check -->"

    /// A pull-request comment: a summary line, then one table per owner so each team sees
    /// what is theirs (and whom to ask), then contract errors and (folded) notices. Every kind
    /// links to its README section.
    public func markdown(marker: Bool = true) -> String {
        var out = marker ? Self.commentMarker + "\n" : ""
        let icon = result.isClean ? "✅" : "❌"
        out += "### \(icon) contractwatch: \(result.isClean ? "all contracts hold" : "contracts broken")\n\n"
        out += "\(summaryLine), database `\(result.database.name)` (PostgreSQL \(result.database.serverVersion)).\n\n"

        let byOwner = Dictionary(grouping: result.violations) { $0.owner?.display ?? "(no owner)" }
        for owner in byOwner.keys.sorted() {
            let violations = byOwner[owner] ?? []
            out += "#### Owner: \(Self.cell(owner))\n\n"
            let contracts = Set(violations.map(\.contract)).sorted().map(Self.cell).joined(separator: ", ")
            out += "Ask \(Self.cell(owner)) about \(contracts).\n\n"
            out += "| Severity | Contract | Where | Kind | Expected | Actual | Message |\n"
            out += "|---|---|---|---|---|---|---|\n"
            for violation in violations {
                let severity =
                    violation.critical
                    ? "🔥 critical (breaking, \(violation.consumers.count) "
                        + "consumer\(plural(violation.consumers.count)) at risk)"
                    : violation.breaking
                        ? "🔴 \(violation.severity.rawValue) (breaking)" : "🟡 \(violation.severity.rawValue)"
                out +=
                    "| \(severity) | \(Self.cell(violation.contract)) | `\(Self.cell(violation.location))` | "
                    + "[`\(violation.kind.rawValue)`](\(ReviewRule.docs(violation.kind.rawValue))) | "
                    + "`\(Self.cell(violation.expected.description))` | "
                    + "`\(Self.cell(violation.actual.description))` | \(Self.cell(violation.message)) |\n"
            }
            out += "\n"
        }
        if !result.contractErrors.isEmpty {
            out += "#### Contract errors\n\n"
            for error in result.contractErrors {
                out +=
                    "- `\(Self.cell(error.file))`" + (error.line.map { ":\($0)" } ?? "")
                    + (error.column.map { ":\($0)" } ?? "") + ": \(Self.cell(error.message))\n"
            }
            out += "\n"
        }
        if !result.notices.isEmpty {
            out += "<details><summary>\(result.notices.count) notice\(plural(result.notices.count))</summary>\n\n"
            for notice in result.notices {
                out += "- [`\(notice.kind.rawValue)`](README.md#notices): \(Self.cell(notice.detail))\n"
            }
            out += "\n</details>\n"
        }
        return out
    }

    /// Keeps a value inside its table cell.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
