import Checks
import Contracts

extension CheckReport {
    /// The JSON shape of README.md, "Output formats".
    public func json() -> JSONText {
        .object([
            (
                "database",
                .object([
                    ("name", .string(result.database.name)),
                    ("server_version", .string(result.database.serverVersion)),
                ])
            ),
            ("checked_at", .string(timestamp)),
            (
                "contracts",
                .array(
                    result.contracts.map { outcome in
                        .object([
                            ("name", .string(outcome.name)),
                            ("file", .string(outcome.file)),
                            ("format", .string(outcome.format.rawValue)),
                            ("schema", .optional(outcome.schema)),
                            ("table", .optional(outcome.table)),
                            ("status", .string(outcome.status.rawValue)),
                        ])
                    })
            ),
            (
                "contract_errors",
                .array(
                    result.contractErrors.map { error in
                        .object([
                            ("file", .string(error.file)),
                            ("line", error.line.map(JSONText.int) ?? .null),
                            ("column", error.column.map(JSONText.int) ?? .null),
                            ("message", .string(error.message)),
                        ])
                    })
            ),
            (
                "violations",
                .array(
                    result.violations.map { violation in
                        .object([
                            ("contract", .string(violation.contract)),
                            ("file", .string(violation.file)),
                            ("schema", .string(violation.schema)),
                            ("table", .string(violation.table)),
                            ("column", .optional(violation.column)),
                            ("kind", .string(violation.kind.rawValue)),
                            ("severity", .string(violation.severity.rawValue)),
                            ("breaking", .bool(violation.breaking)),
                            ("critical", .bool(violation.critical)),
                            ("expected", Self.json(violation.expected)),
                            ("actual", Self.json(violation.actual)),
                            ("message", .string(violation.message)),
                            ("docs", .string(ReviewRule.docs(violation.kind.rawValue))),
                            (
                                "owner",
                                violation.owner.map { owner in
                                    .object([("name", .optional(owner.name)), ("email", .optional(owner.email))])
                                } ?? .null
                            ),
                            (
                                "consumers",
                                .array(
                                    violation.consumers.map { consumer in
                                        .object([
                                            ("name", .string(consumer.name)), ("kind", .optional(consumer.kind)),
                                            ("owner", .optional(consumer.owner)),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
            (
                "notices",
                .array(
                    result.notices.map { notice in
                        .object([
                            ("contract", .optional(notice.contract)),
                            ("schema", .optional(notice.schema)),
                            ("table", .optional(notice.table)),
                            ("column", .optional(notice.column)),
                            ("kind", .string(notice.kind.rawValue)),
                            ("detail", .string(notice.detail)),
                            ("docs", .string(ReviewRule.docs("notice." + notice.kind.rawValue))),
                        ])
                    })
            ),
            (
                "summary",
                .object([
                    ("contracts", .int(result.contracts.count)),
                    ("violations", .int(result.violations.count)),
                    ("breaking", .int(result.violations.filter(\.breaking).count)),
                    ("critical", .int(result.violations.filter(\.critical).count)),
                    ("contract_errors", .int(result.contractErrors.count)),
                    ("notices", .int(result.notices.count)),
                ])
            ),
        ])
    }

    static func json(_ value: FindingValue) -> JSONText {
        switch value {
        case .present: .string("present")
        case .absent: .string("absent")
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .text(let text): .string(text)
        case .null: .null
        }
    }
}
