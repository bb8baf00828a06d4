import Catalog
import Checks
import Contracts

extension CheckReport {
    /// A pull-request comment: a summary line, then one table per owner so each team sees
    /// what is theirs, then contract errors and (folded) notices.
    public func markdown() -> String {
        var out = ""
        let icon = result.isClean ? "✅" : "❌"
        out += "### \(icon) contractwatch: \(result.isClean ? "all contracts hold" : "contracts broken")\n\n"
        out += "\(summaryLine), database `\(result.database.name)` (PostgreSQL \(result.database.serverVersion)).\n\n"

        let byOwner = Dictionary(grouping: result.violations) { $0.owner?.display ?? "(no owner)" }
        for owner in byOwner.keys.sorted() {
            let violations = byOwner[owner] ?? []
            out += "#### Owner: \(Self.cell(owner))\n\n"
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
                    + "`\(violation.kind.rawValue)` | `\(Self.cell(violation.expected.description))` | "
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
                out += "- `\(notice.kind.rawValue)`: \(Self.cell(notice.detail))\n"
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
