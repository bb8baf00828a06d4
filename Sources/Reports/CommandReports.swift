import Catalog
import Checks
import Contracts
import Foundation
import Preview

/// `contractwatch owners`: who owns each contract, whom to call, and (with `--broken`) what broke.
public struct OwnersReport: Sendable {
    public var contracts: [Contract]
    public var registry: OwnersRegistry
    /// The check's violations when it ran (`--broken`), nil otherwise.
    public var violations: [Violation]?

    public init(contracts: [Contract], registry: OwnersRegistry, violations: [Violation]?) {
        self.contracts = contracts
        self.registry = registry
        self.violations = violations
    }

    public func text() -> String {
        var lines: [String] = []
        for contract in contracts {
            lines.append("\(contract.name)  \(contract.qualifiedTable)  (\(contract.file))")
            for role in registry.roles(for: contract) {
                lines.append("  " + Self.describe(role, registry: registry))
            }
            for violation in violations?.filter({ $0.file == contract.file }) ?? [] {
                lines.append(
                    "  ✗ \(violation.severity.rawValue) \(violation.kind.rawValue) \(violation.location): "
                        + "\(violation.message)"
                )
            }
            if !contract.consumers.isEmpty {
                lines.append(
                    "  consumers: "
                        + contract.consumers.map { $0.name + ($0.kind.map { " (\($0))" } ?? "") }.joined(
                            separator: ", "))
            }
            lines.append("")
        }
        if contracts.isEmpty {
            lines.append(violations != nil ? "No broken contracts: nobody to call." : "No contracts.")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() -> String {
        JSONText.array(
            contracts.map { contract in
                .object([
                    ("contract", .string(contract.name)),
                    ("file", .string(contract.file)),
                    ("schema", .string(contract.table.schema)),
                    ("table", .string(contract.table.name)),
                    ("roles", .array(registry.roles(for: contract).map { Self.json($0, registry: registry) })),
                    (
                        "consumers",
                        .array(
                            contract.consumers.map {
                                .object([
                                    ("name", .string($0.name)), ("kind", .optional($0.kind)),
                                    ("owner", .optional($0.owner)),
                                ])
                            })
                    ),
                    ("violations", .int(violations?.filter { $0.file == contract.file }.count ?? 0)),
                ])
            }
        ).rendered() + "\n"
    }

    /// One person in a role: `Business owner       Maya Okafor <…> · team … · #channel (slack)`.
    public static func describe(_ role: ResolvedRole, registry: OwnersRegistry) -> String {
        let label = role.role.label.padding(toLength: 21, withPad: " ", startingAt: 0)
        guard let person = role.person else { return "\(label)\(role.reference)  (not in owners.yaml)" }
        return label + ([person.display] + registry.contactDetails(person)).joined(separator: " · ")
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

/// `contractwatch lint`: every finding with its place, and a summary.
public struct LintReport: Sendable {
    public var findings: [ContractLint.Finding]
    public var set: ContractSet

    public init(findings: [ContractLint.Finding], set: ContractSet) {
        self.findings = findings
        self.set = set
    }

    public func text() -> String {
        var lines = findings.map(\.description)
        let files = set.fileCount + (set.registry.file == nil ? 0 : 1)
        lines.append(
            (findings.isEmpty ? "OK: " : "FAILED: ")
                + "\(files) file\(plural(files)), \(set.contracts.count) contract\(plural(set.contracts.count)), "
                + "\(set.registry.people.count) registry \(set.registry.people.count == 1 ? "entry" : "entries"), "
                + "\(findings.count) finding\(plural(findings.count))"
        )
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() -> String {
        JSONText.object([
            ("contracts", .int(set.contracts.count)),
            ("files", .int(set.fileCount)),
            ("registry", .optional(set.registry.file)),
            (
                "findings",
                .array(
                    findings.map { finding in
                        .object([
                            ("file", .string(finding.file)),
                            ("line", finding.line.map(JSONText.int) ?? .null),
                            ("column", finding.column.map(JSONText.int) ?? .null),
                            ("rule", .string(finding.rule.rawValue)),
                            ("message", .string(finding.message)),
                        ])
                    })
            ),
            ("summary", .object([("findings", .int(findings.count))])),
        ]).rendered() + "\n"
    }
}

/// `contractwatch preview`: what a migration would introduce and fix, around `check`'s report of
/// the introduced violations.
public struct PreviewReport: Sendable {
    public var migration: String
    public var statementCount: Int
    public var introduced: [Violation]
    public var fixed: [Violation]
    public var violationsBefore: Int
    public var violationsAfter: Int
    /// `check`'s report narrowed to what the migration changes: the contracts it breaks or
    /// fixes, and only the violations it introduces. Contracts it does not touch, and files
    /// that were invalid before it, are not its findings (and are no JUnit failures of it).
    public var check: CheckReport
    /// What the statements did and what of it would hurt (README, "Migration hazards").
    public var effects: [StatementEffect]
    public var hazards: [Hazard]
    /// Hazards a `-- contractwatch:ignore` comment accepted, with its reason.
    public var suppressed: [SuppressedHazard]
    /// "on a schema copy" or "in place": where the migration ran.
    public var ranOn: String
    /// The data checks the migration calls for; their outcomes are nil unless `--data-checks`
    /// ran them on the target.
    public var dataChecks: [DataCheck]
    /// The statement (1-based) each introduced violation appears after, and the statements.
    public var introducedBy: [ViolationID: Int]
    public var statements: [MigrationScript.Statement]

    public init(
        migration: String, statementCount: Int, introduced: [Violation], fixed: [Violation],
        violationsBefore: Int, violationsAfter: Int, after: CheckResult, checkedAt: Date,
        effects: [StatementEffect] = [], hazards: [Hazard] = [], suppressed: [SuppressedHazard] = [],
        ranOn: String = "in place", dataChecks: [DataCheck] = [], introducedBy: [ViolationID: Int] = [:],
        statements: [MigrationScript.Statement] = []
    ) {
        self.dataChecks = dataChecks
        self.introducedBy = introducedBy
        self.statements = statements
        self.effects = effects
        self.hazards = hazards
        self.suppressed = suppressed
        self.ranOn = ranOn
        self.migration = migration
        self.statementCount = statementCount
        self.introduced = introduced
        self.fixed = fixed
        self.violationsBefore = violationsBefore
        self.violationsAfter = violationsAfter
        let broken = Set(introduced.map(\.file))
        let touched = broken.union(fixed.map(\.file))
        var focused = after
        focused.contracts = after.contracts.filter { touched.contains($0.file) }.map { outcome in
            var outcome = outcome
            outcome.status = broken.contains(outcome.file) ? .violated : .ok
            return outcome
        }
        focused.violations = introduced
        focused.contractErrors = []
        let names = Set(focused.contracts.map(\.name))
        focused.notices = after.notices.filter { $0.contract.map(names.contains) ?? false }
        check = CheckReport(result: focused, checkedAt: checkedAt)
    }

    public func render(_ format: CheckReport.Format) -> String {
        switch format {
        case .json:
            guard case .object(var members) = check.json() else { return check.render(.json) }
            members.insert(
                (
                    "preview",
                    .object([
                        ("migration", .string(migration)),
                        ("rolled_back", .bool(true)),
                        ("ran_on", .string(ranOn)),
                        ("introduced", .int(introduced.count)),
                        (
                            "introduced_by",
                            .array(
                                introduced.compactMap { violation in
                                    guard let statement = cause(of: violation) else { return nil }
                                    return .object([
                                        ("contract", .string(violation.contract)),
                                        ("schema", .string(violation.schema)), ("table", .string(violation.table)),
                                        ("column", .optional(violation.column)),
                                        ("kind", .string(violation.kind.rawValue)),
                                        ("statement", .int(introducedBy[violation.id] ?? 0)),
                                        ("file", .optional(statement.file)), ("line", .int(statement.line)),
                                    ])
                                })
                        ),
                        (
                            "fixed",
                            .array(
                                fixed.map { violation in
                                    .object([
                                        ("contract", .string(violation.contract)),
                                        ("schema", .string(violation.schema)), ("table", .string(violation.table)),
                                        ("column", .optional(violation.column)),
                                        ("kind", .string(violation.kind.rawValue)),
                                    ])
                                })
                        ),
                        ("violations_before", .int(violationsBefore)),
                        ("violations_after", .int(violationsAfter)),
                        ("hazards", .array(hazards.map(Self.json))),
                        (
                            "suppressed",
                            .array(
                                suppressed.map { entry in
                                    guard case .object(var members) = Self.json(entry.hazard) else { return .null }
                                    members.append(("reason", .string(entry.suppression.reason)))
                                    members.append(("comment_line", .int(entry.suppression.line)))
                                    members.append(("file_wide", .bool(entry.suppression.fileWide)))
                                    return .object(members)
                                })
                        ),
                        ("data_checks", .array(dataChecks.map(Self.json))),
                        (
                            "statements",
                            .array(
                                effects.map { effect in
                                    .object([
                                        ("statement", .int(effect.statement)), ("line", .int(effect.line)),
                                        (
                                            "locks",
                                            .array(
                                                effect.locks.map {
                                                    .object([
                                                        ("relation", .string($0.relation.description)),
                                                        ("mode", .string($0.lock.mode)),
                                                    ])
                                                })
                                        ),
                                        ("rewritten", .array(effect.rewritten.map { .string($0.description) })),
                                        ("scanned", .array(effect.scanned.map { .string($0.description) })),
                                        ("dropped", .array(effect.dropped.map { .string($0.description) })),
                                    ])
                                })
                        ),
                    ])
                ), at: 1)
            return JSONText.object(members).rendered() + "\n"
        case .text:
            var text =
                "contractwatch preview: \(migration) (\(statementCount) statement\(plural(statementCount)), run "
                + "\(ranOn) in a transaction and rolled back)\n"
            text +=
                "would introduce \(introduced.count) violation\(plural(introduced.count)), would fix \(fixed.count)\n"
            for violation in introduced {
                guard let statement = cause(of: violation) else { continue }
                text +=
                    "  breaks: \(violation.kind.rawValue) \(violation.location) (\(violation.contract)), "
                    + "at \(statement.location)\n"
            }
            for violation in fixed {
                text += "  fixed: \(violation.kind.rawValue) \(violation.location) (\(violation.contract))\n"
            }
            text += hazardsText()
            text += dataChecksText()
            return text + "\n" + check.render(.text)
        case .markdown:
            var text = Self.commentMarker + "\n"
            text += "**Preview of `\(migration)`** (\(statementCount) statement\(plural(statementCount)), run "
            text += "\(ranOn) in a transaction and rolled back): would break \(introduced.count), would fix "
            text += "\(fixed.count).\n\n"
            for violation in introduced {
                guard let statement = cause(of: violation) else { continue }
                text +=
                    "- ❌ breaks `\(violation.kind.rawValue)` at `\(violation.location)` (\(violation.contract)), "
                    + "at `\(statement.location)`\n"
            }
            for violation in fixed {
                text +=
                    "- ✅ would fix `\(violation.kind.rawValue)` at `\(violation.location)` (\(violation.contract))\n"
            }
            text += fixed.isEmpty && introducedBy.isEmpty ? "" : "\n"
            if !hazards.isEmpty {
                text += "#### Migration hazards\n\n| Code | Line | What it does | Instead |\n|---|---|---|---|\n"
                for hazard in hazards {
                    func cell(_ value: String) -> String { value.replacingOccurrences(of: "|", with: "\\|") }
                    text +=
                        "| [\(hazard.code.rawValue)](\(Self.docs(hazard.code))) \(cell(hazard.code.title)) | "
                        + "\(Self.line(hazard.file, hazard.line)) | \(cell(hazard.detail)) | "
                        + "\(cell(hazard.code.recipe)) |\n"
                }
                text += "\n"
            }
            if !dataChecks.isEmpty {
                text += "#### Data checks on the target\n\n| Line | Severity | Check | Answer |\n|---|---|---|---|\n"
                for check in dataChecks {
                    func cell(_ value: String) -> String { value.replacingOccurrences(of: "|", with: "\\|") }
                    text +=
                        "| \(Self.line(check.file, check.line)) | \(check.severity.rawValue) | "
                        + "`\(check.kind.rawValue)` | \(Self.answer(check)): \(cell(check.summary)) |\n"
                }
                text += "\n"
            }
            if !suppressed.isEmpty {
                text += "#### Suppressed hazards\n\n| Code | Line | What it does | Why |\n|---|---|---|---|\n"
                for entry in suppressed {
                    func cell(_ value: String) -> String { value.replacingOccurrences(of: "|", with: "\\|") }
                    text +=
                        "| [\(entry.hazard.code.rawValue)](\(Self.docs(entry.hazard.code))) | "
                        + "\(Self.line(entry.hazard.file, entry.hazard.line)) | "
                        + "\(cell(entry.hazard.detail)) | \(cell(entry.suppression.reason)) |\n"
                }
                text += "\n"
            }
            return text + check.markdown(marker: false)
        case .junit:
            return check.junit(extraSuite: ("contractwatch preview hazards \(migration)", junitHazards()))
        case .github:
            return ReviewFormats.github(
                reviewFindings(),
                summary: "contractwatch preview: \(migration): would break \(introduced.count), would fix "
                    + "\(fixed.count), \(hazards.count) hazard\(plural(hazards.count)) (\(ranOn), rolled back)")
        case .sarif: return ReviewFormats.sarif(reviewFindings(), version: CheckReport.toolVersion)
        case .gitlab: return ReviewFormats.gitlab(reviewFindings())
        }
    }

    /// One test case per hazard: a failure, or skipped with the suppression's reason.
    func junitHazards() -> [JUnitCase] {
        let failing = hazards.map { hazard in
            JUnitCase(
                classname: "hazards.\(hazard.code.rawValue)", name: "\(hazard.code.rawValue) \(hazard.location)",
                file: path(hazard.file), line: hazard.line,
                failure: JUnitCase.Failure(
                    type: hazard.code.rawValue, message: "[\(hazard.code.severity.rawValue)] \(hazard.code.title)",
                    body: hazard.detail + "\ninstead: " + hazard.code.recipe + "\n" + Self.docs(hazard.code)))
        }
        let skipped = suppressed.map { entry in
            JUnitCase(
                classname: "hazards.\(entry.hazard.code.rawValue)",
                name: "\(entry.hazard.code.rawValue) \(entry.hazard.location)", file: path(entry.hazard.file),
                line: entry.hazard.line, skipped: "suppressed: \(entry.suppression.reason)")
        }
        let data = dataChecks.compactMap { check -> JUnitCase? in
            guard let outcome = check.outcome else { return nil }
            let testCase = JUnitCase(
                classname: "data_checks.\(check.kind.rawValue)", name: "\(check.kind.rawValue) \(check.location)",
                file: path(check.file), line: check.line)
            switch outcome {
            case .passed: return testCase
            case .found:
                var failed = testCase
                failed.failure = JUnitCase.Failure(
                    type: check.kind.rawValue, message: "[\(check.severity.rawValue)] \(check.summary)",
                    body: check.sql + "\n" + ReviewRule.docs(check.kind.rawValue))
                return failed
            case .unanswered(let reason):
                var skipped = testCase
                skipped.skipped = "not answered: \(reason)"
                return skipped
            }
        }
        return failing + skipped + data
    }

    /// FOUND, ok, or ? for a data check; "not run" before it ran.
    static func answer(_ check: DataCheck) -> String {
        switch check.outcome {
        case .found: "FOUND"
        case .passed: "ok"
        case .unanswered: "?"
        case nil: "not run"
        }
    }

    static func json(_ check: DataCheck) -> JSONText {
        let outcome: String
        var reason: String?
        switch check.outcome {
        case .found: outcome = "found"
        case .passed: outcome = "passed"
        case .unanswered(let why):
            outcome = "unanswered"
            reason = why
        case nil: outcome = "not_run"
        }
        return .object([
            ("kind", .string(check.kind.rawValue)), ("severity", .string(check.severity.rawValue)),
            ("table", .string(check.table.description)), ("columns", .array(check.columns.map { .string($0) })),
            ("statement", .int(check.statement)), ("file", .optional(check.file)), ("line", .int(check.line)),
            ("outcome", .string(outcome)),
            ("reason", .optional(reason)), ("summary", .string(check.summary)),
        ])
    }

    /// The data checks: their answers, or how many apply and how to run them.
    func dataChecksText() -> String {
        guard !dataChecks.isEmpty else { return "" }
        guard dataChecks.contains(where: { $0.outcome != nil }) else {
            let kinds = Set(dataChecks.map(\.kind.rawValue)).sorted().joined(separator: ", ")
            return "\(dataChecks.count) data check\(plural(dataChecks.count)) apply (\(kinds)): --data-checks asks "
                + "the target (read-only)\n"
        }
        var text = "data checks on the target (read-only):\n"
        for check in dataChecks {
            text +=
                "  \(Self.answer(check)) \(check.outcome == .found ? check.severity.rawValue.uppercased() + " " : "")"
                + "\(check.location): \(check.summary)\n"
        }
        return text
    }

    /// The hidden first line of a preview's comment (see `CheckReport.commentMarker`).
    public static let commentMarker = "<!-- contractwatch:preview -->"

    /// The statement an introduced violation appears after, when known.
    func cause(of violation: Violation) -> MigrationScript.Statement? {
        introducedBy[violation.id].flatMap { number in
            statements.indices.contains(number - 1) ? statements[number - 1] : nil
        }
    }

    /// A line cell: `3`, or `V7__split.sql:3` when the statement names its file.
    static func line(_ file: String?, _ line: Int) -> String { file.map { "\($0):\(line)" } ?? "\(line)" }

    /// The path of a migration file inside the previewed folder (or the previewed file).
    func path(_ file: String?) -> String { file.map { migration + "/" + $0 } ?? migration }

    /// The README section of a hazard code.
    static func docs(_ code: Hazard.Code) -> String {
        "README.md#" + code.rawValue.lowercased() + "-"
            + code.title.lowercased()
            .replacingOccurrences(of: " ", with: "-").filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    static func json(_ hazard: Hazard) -> JSONText {
        .object([
            ("code", .string(hazard.code.rawValue)), ("title", .string(hazard.code.title)),
            ("severity", .string(hazard.code.severity.rawValue)),
            ("statement", .int(hazard.statement)), ("file", .optional(hazard.file)), ("line", .int(hazard.line)),
            ("relation", .optional(hazard.relation?.description)), ("detail", .string(hazard.detail)),
            ("instead", .string(hazard.code.recipe)), ("docs", .string(docs(hazard.code))),
        ])
    }

    /// The hazards as text: code, line, what was observed, the safer way.
    func hazardsText() -> String {
        guard !hazards.isEmpty else {
            return
                (effects.isEmpty
                ? "" : "no hazards: no rewrite, full-table read or blocking lock on an existing table\n")
                + suppressedText()
        }
        var text = "\(hazards.count) migration hazard\(plural(hazards.count)):\n"
        for hazard in hazards {
            text +=
                "  \(hazard.code.rawValue) \(hazard.code.severity.rawValue.uppercased()) \(hazard.location): "
                + "\(hazard.detail) [\(hazard.code.title)]\n"
            text += "        instead: \(hazard.code.recipe)\n"
        }
        return text + suppressedText()
    }

    func suppressedText() -> String {
        guard !suppressed.isEmpty else { return "" }
        var text = "\(suppressed.count) suppressed:\n"
        for entry in suppressed {
            text +=
                "  \(entry.hazard.code.rawValue) \(entry.hazard.location): \(entry.hazard.detail) — "
                + "\(entry.suppression.fileWide ? "ignore-file" : "ignore") at line \(entry.suppression.line): "
                + "\(entry.suppression.reason)\n"
        }
        return text
    }
}
