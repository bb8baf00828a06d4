import Catalog
import Checks
import Contracts
import Foundation

/// `contractwatch diff`: the changes between two versions of a contracts folder, breaking ones
/// first, in every format `check` has.
public struct DiffReport: Sendable {
    public var old: String
    public var new: String
    public var changes: [ContractChange]
    /// Files of the new version that cannot be read (the old version's are not its problem).
    public var contractErrors: [ContractError]

    public init(old: String, new: String, changes: [ContractChange], contractErrors: [ContractError]) {
        self.old = old
        self.new = new
        self.changes = changes.enumerated().sorted {
            ($0.element.breaking ? 0 : 1, $0.offset) < ($1.element.breaking ? 0 : 1, $1.offset)
        }
        .map(\.element)
        self.contractErrors = contractErrors
    }

    public var breaking: [ContractChange] { changes.filter(\.breaking) }

    var summary: String {
        "\(changes.count) change\(plural(changes.count)) from \(old) to \(new), \(breaking.count) breaking"
            + (contractErrors.isEmpty ? "" : ", \(contractErrors.count) contract error\(plural(contractErrors.count))")
    }

    public func reviewFindings() -> [ReviewFinding] {
        changes.map { change in
            ReviewFinding(
                code: change.kind.rawValue, level: change.breaking ? .error : .note,
                critical: change.breaking && !change.consumers.isEmpty, title: change.location,
                message: change.message + " (contract \(change.contract)"
                    + (change.owner.map { ", ask \($0.display)" } ?? "") + ")",
                file: change.file, line: change.line,
                identity: "\(change.kind.rawValue)|\(change.file)|\(change.location)", owner: change.owner?.display)
        }
            + contractErrors.map { error in
                ReviewFinding(
                    code: "contract_error", level: .error, title: error.file, message: error.message, file: error.file,
                    line: error.line, column: error.column, identity: "contract_error|\(error.file)|\(error.message)")
            }
    }

    public func render(_ format: CheckReport.Format) -> String {
        switch format {
        case .text: text()
        case .json: json().rendered() + "\n"
        case .markdown: markdown()
        case .junit: junit()
        case .github: ReviewFormats.github(reviewFindings(), summary: "contractwatch diff: " + summary)
        case .sarif: ReviewFormats.sarif(reviewFindings(), version: CheckReport.toolVersion)
        case .gitlab: ReviewFormats.gitlab(reviewFindings())
        }
    }

    func text() -> String {
        var out = "contractwatch diff: \(summary)\n"
        for change in changes {
            out +=
                "  \(change.breaking ? "BREAKING" : "ok      ") \(change.kind.rawValue) \(change.location) "
                + "(\(change.contract), \(change.file)\(change.line.map { ":\($0)" } ?? "")): \(change.message)\n"
            if change.breaking, let owner = change.owner {
                let consumers = change.consumers.map(\.name).joined(separator: ", ")
                out += "           ask \(owner.display)" + (consumers.isEmpty ? "" : "; consumers: \(consumers)") + "\n"
            }
        }
        for error in contractErrors { out += "  ERROR \(error.description)\n" }
        return out
    }

    func json() -> JSONText {
        .object([
            ("old", .string(old)), ("new", .string(new)),
            (
                "changes",
                .array(
                    changes.map { change in
                        .object([
                            ("kind", .string(change.kind.rawValue)), ("breaking", .bool(change.breaking)),
                            ("contract", .string(change.contract)), ("file", .string(change.file)),
                            ("line", change.line.map(JSONText.int) ?? .null),
                            ("schema", .optional(change.table.schema)), ("table", .string(change.table.name)),
                            ("column", .optional(change.column)), ("old", .optional(change.old)),
                            ("new", .optional(change.new)), ("message", .string(change.message)),
                            ("owner", .optional(change.owner?.display)),
                            ("consumers", .array(change.consumers.map { .string($0.name) })),
                            ("docs", .string(ReviewRule.docs(change.kind.rawValue))),
                        ])
                    })
            ),
            (
                "contract_errors",
                .array(
                    contractErrors.map {
                        .object([
                            ("file", .string($0.file)), ("line", $0.line.map(JSONText.int) ?? .null),
                            ("message", .string($0.message)),
                        ])
                    })
            ),
            (
                "summary",
                .object([
                    ("changes", .int(changes.count)), ("breaking", .int(breaking.count)),
                    ("contract_errors", .int(contractErrors.count)),
                ])
            ),
        ])
    }

    public static let commentMarker = "<!-- contractwatch:diff -->"

    func markdown() -> String {
        var out = Self.commentMarker + "\n"
        out +=
            "### \(breaking.isEmpty && contractErrors.isEmpty ? "✅" : "❌") contractwatch diff: "
            + "\(breaking.count) breaking change\(plural(breaking.count))\n\n\(summary).\n\n"
        let byOwner = Dictionary(grouping: changes) { $0.owner?.display ?? "(no owner)" }
        for owner in byOwner.keys.sorted() {
            let owned = byOwner[owner] ?? []
            out += "#### Owner: \(CheckReport.cell(owner))\n\n"
            let consumers = Set(owned.filter(\.breaking).flatMap(\.consumers).map(\.name)).sorted()
            if !consumers.isEmpty {
                out += "Ask \(CheckReport.cell(owner)); consumers at risk: \(consumers.joined(separator: ", ")).\n\n"
            }
            out += "| | Change | Where | Old | New | Why |\n|---|---|---|---|---|---|\n"
            for change in owned {
                out +=
                    "| \(change.breaking ? "🔴 breaking" : "🟢") | [`\(change.kind.rawValue)`]"
                    + "(\(ReviewRule.docs(change.kind.rawValue))) | `\(CheckReport.cell(change.location))` | "
                    + "\(change.old.map { "`\(CheckReport.cell($0))`" } ?? "") | "
                    + "\(change.new.map { "`\(CheckReport.cell($0))`" } ?? "") | "
                    + "\(CheckReport.cell(change.message)) |\n"
            }
            out += "\n"
        }
        for error in contractErrors { out += "- ❗ `\(CheckReport.cell(error.description))`\n" }
        return out
    }

    func junit() -> String {
        let byFile = Dictionary(grouping: changes, by: \.file)
        let files = byFile.keys.sorted()
        let failures = files.filter { (byFile[$0] ?? []).contains(where: \.breaking) }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<testsuites name=\"contractwatch\" tests=\"\(files.count)\" failures=\"\(failures)\" "
            + "errors=\"\(contractErrors.count)\">\n"
        xml +=
            "  <testsuite name=\"contractwatch diff\" tests=\"\(files.count)\" failures=\"\(failures)\" "
            + "errors=\"\(contractErrors.count)\">\n"
        for file in files {
            let found = byFile[file] ?? []
            xml += "    <testcase classname=\"diff\" name=\"\(CheckReport.escape(file))\""
            let breaking = found.filter(\.breaking)
            if breaking.isEmpty {
                xml += "/>\n"
                continue
            }
            xml +=
                ">\n      <failure type=\"breaking_change\" message=\"\(breaking.count) breaking change"
                + "\(plural(breaking.count))\">"
                + CheckReport.escape(
                    ([file]
                        + breaking.map {
                            "\($0.kind.rawValue) \($0.location): \($0.message) (\(ReviewRule.docs($0.kind.rawValue)))"
                        }).joined(
                            separator: "\n"))
                + "</failure>\n    </testcase>\n"
        }
        for error in contractErrors {
            xml +=
                "    <testcase classname=\"diff\" name=\"\(CheckReport.escape(error.file))\">\n"
                + "      <error type=\"contract_error\" message=\"the contract file could not be read\">"
                + CheckReport.escape(error.description) + "</error>\n    </testcase>\n"
        }
        return xml + "  </testsuite>\n</testsuites>\n"
    }
}
