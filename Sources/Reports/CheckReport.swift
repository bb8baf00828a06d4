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
        case text, json, junit, markdown
    }

    public func render(_ format: Format) -> String {
        switch format {
        case .text: text()
        case .json: json().rendered() + "\n"
        case .junit: junit()
        case .markdown: markdown()
        }
    }

    var timestamp: String {
        checkedAt.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon).timeZone(separator: .omitted))
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
        parts.append("\(result.violations.count) violation\(plural(result.violations.count))" + (violated > 0 ? " in \(violated) contract\(plural(violated))" : ""))
        let breaking = result.violations.filter(\.breaking).count
        if breaking > 0 { parts.append("\(breaking) breaking") }
        let critical = result.violations.filter(\.critical).count
        if critical > 0 { parts.append("\(critical) critical") }
        parts.append("\(result.contractErrors.count) contract error\(plural(result.contractErrors.count))")
        parts.append("\(result.notices.count) notice\(plural(result.notices.count))")
        return parts.joined(separator: ", ")
    }
}

func plural(_ count: Int) -> String { count == 1 ? "" : "s" }
