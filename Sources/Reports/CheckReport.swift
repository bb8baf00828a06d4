import Catalog
import Checks
import Contracts
import Foundation

/// One `check` run, ready to render in any output format.
public struct CheckReport: Sendable {
    public var result: CheckResult
    public var checkedAt: Date

    public init(result: CheckResult, checkedAt: Date) {
        self.result = result
        self.checkedAt = checkedAt
    }

    public enum Format: String, Sendable, CaseIterable {
        case text, json, junit, markdown, github, sarif, gitlab
    }

    /// The version the SARIF driver reports.
    public static let toolVersion = "0.1.0"

    public func render(_ format: Format) -> String {
        switch format {
        case .text: text()
        case .json: json().rendered() + "\n"
        case .junit: junit()
        case .markdown: markdown(marker: true)
        case .github: ReviewFormats.github(reviewFindings(), summary: "contractwatch check: " + summaryLine)
        case .sarif: ReviewFormats.sarif(reviewFindings(), version: Self.toolVersion)
        case .gitlab: ReviewFormats.gitlab(reviewFindings())
        }
    }

    var timestamp: String { Self.utcTimestamp(checkedAt) }

    /// `2026-09-21T14:13:20Z`: UTC, whole seconds, from the Unix time with integer arithmetic
    /// (days to civil date as in Howard Hinnant's `civil_from_days`). Foundation's ISO 8601
    /// format style cost ~1 ms on first use, a visible share of a small `check`.
    public static func utcTimestamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let (days, second) = (
            seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400, ((seconds % 86_400) + 86_400) % 86_400
        )
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func digits(_ value: Int, _ count: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, count - text.count)) + text
        }
        let date = "\(digits(year, 4))-\(digits(month, 2))-\(digits(day, 2))"
        return date + "T\(digits(second / 3_600, 2)):\(digits(second / 60 % 60, 2)):\(digits(second % 60, 2))Z"
    }

    /// Violations grouped by contract, in contract order.
    var violationsByContract: [(ContractOutcome, [Violation])] {
        let grouped = Dictionary(grouping: result.violations, by: \.file)
        return result.contracts.compactMap { outcome in
            guard let violations = grouped[outcome.file], !violations.isEmpty else { return nil }
            return (outcome, violations)
        }
    }

    var summaryLine: String {
        let violated = result.contracts.filter { $0.status == .violated }.count
        var parts = ["\(result.contracts.count) contract\(plural(result.contracts.count))"]
        parts.append(
            "\(result.violations.count) violation\(plural(result.violations.count))"
                + (violated > 0 ? " in \(violated) contract\(plural(violated))" : ""))
        let breaking = result.violations.filter(\.breaking).count
        if breaking > 0 { parts.append("\(breaking) breaking") }
        let critical = result.violations.filter(\.critical).count
        if critical > 0 { parts.append("\(critical) critical") }
        parts.append("\(result.contractErrors.count) contract error\(plural(result.contractErrors.count))")
        parts.append("\(result.notices.count) notice\(plural(result.notices.count))")
        return parts.joined(separator: ", ")
    }
}
