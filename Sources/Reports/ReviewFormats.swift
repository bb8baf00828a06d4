import Catalog
import Checks
import Contracts
import Preview

/// One finding as the review formats (GitHub, SARIF, GitLab) see it: a stable code, a level, a
/// message, where it is (a contract file and line, or a migration's), and who to ask.
public struct ReviewFinding: Sendable, Hashable {
    public enum Level: String, Sendable, Hashable {
        case error, warning, note
    }

    /// The rule: a violation kind (`column_missing`), a hazard code (`CW101`), `contract_error`,
    /// a data check kind, or `notice.<kind>`.
    public var code: String
    public var level: Level
    /// Breaking for consumers that depend on the table (GitLab `critical`).
    public var critical = false
    /// What it is about, short: `public.orders.total`, the contract file, the relation.
    public var title: String
    public var message: String
    /// Relative path, as given to contractwatch.
    public var file: String?
    public var line: Int?
    public var column: Int?
    /// A second place: the contract of a violation a migration would introduce.
    public var related: (file: String, line: Int?)?
    /// What identifies it across runs (not its line: a finding that moves is the same finding).
    public var identity: String
    /// The owner to ask, as `Name <email>`.
    public var owner: String?

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.identity == rhs.identity && lhs.line == rhs.line }
    public func hash(into hasher: inout Hasher) { hasher.combine(identity) }

    /// The README section of the rule.
    public var docs: String { ReviewRule.docs(code) }
}

/// Every rule a finding can name, with the README section that explains it.
public struct ReviewRule: Sendable, Hashable {
    public var id: String
    public var title: String
    public var help: String

    /// README anchors: a violation kind and a data check kind are anchored by their name, a
    /// hazard by its heading, contract errors and notices by their sections.
    public static func docs(_ code: String) -> String {
        if code.hasPrefix("CW"), let hazard = Hazard.Code(rawValue: code) {
            return PreviewReport.docs(hazard)
        }
        if code == "contract_error" { return "README.md#contract-format" }
        if code.hasPrefix("notice.") { return "README.md#notices" }
        return "README.md#" + code
    }

    /// The rules of these findings, in order of first use.
    public static func rules(for findings: [ReviewFinding]) -> [ReviewRule] {
        var seen = Set<String>()
        return findings.compactMap { finding in
            guard seen.insert(finding.code).inserted else { return nil }
            return ReviewRule(id: finding.code, title: title(finding.code), help: help(finding.code))
        }
    }

    /// The rule's name: the hazard's title, or the kind as written.
    static func title(_ code: String) -> String {
        if let hazard = Hazard.Code(rawValue: code) { return hazard.title }
        if code == "contract_error" { return "contract file cannot be read" }
        return code.hasPrefix("notice.") ? String(code.dropFirst("notice.".count)) : code
    }

    static func help(_ code: String) -> String {
        if let hazard = Hazard.Code(rawValue: code) { return "\(hazard.title). Instead: \(hazard.recipe)" }
        if let kind = ViolationKind(rawValue: code) {
            return "The catalog differs from the contract in \(kind.rawValue) (README, \"What is checked\")."
        }
        if let change = ContractChange.Kind(rawValue: code) {
            return "A change between two versions of a contract (README, \"Contract diffs\"): \(change.rawValue)."
        }
        if code == "contract_error" { return "The contract file cannot be read; nothing in it was checked." }
        if code.hasPrefix("notice.") { return "Worth knowing, not a violation." }
        return "What the migration assumes about the target's data (README, \"Data checks\")."
    }
}

extension CheckReport {
    /// Violations at their contract's column (or table), contract errors at their line, notices
    /// at their contract.
    public func reviewFindings() -> [ReviewFinding] {
        let contracts = Dictionary(
            result.contracts.compactMap { outcome in outcome.contract.map { (outcome.file, $0) } },
            uniquingKeysWith: { first, _ in first })
        let byName = Dictionary(
            result.contracts.compactMap { outcome in outcome.contract.map { (outcome.name, $0) } },
            uniquingKeysWith: { first, _ in first })
        var findings: [ReviewFinding] = []
        for violation in result.violations {
            let contract = contracts[violation.file]
            let line =
                violation.column.flatMap { name in contract?.columns.first { $0.name == name }?.location?.line }
                ?? contract?.tableLocation?.line ?? contract?.nameLocation?.line
            findings.append(
                ReviewFinding(
                    code: violation.kind.rawValue, level: violation.severity == .error ? .error : .warning,
                    critical: violation.critical,
                    title: violation.location,
                    message: "\(violation.message) (expected \(violation.expected), actual \(violation.actual); "
                        + "contract \(violation.contract)"
                        + (violation.owner.map { ", ask \($0.display)" } ?? "") + ")",
                    file: violation.file, line: line,
                    identity: "\(violation.kind.rawValue)|\(violation.file)|\(violation.location)",
                    owner: violation.owner?.display))
        }
        for error in result.contractErrors {
            findings.append(
                ReviewFinding(
                    code: "contract_error", level: .error, title: error.file,
                    message: error.message, file: error.file, line: error.line, column: error.column,
                    identity: "contract_error|\(error.file)|\(error.message)"))
        }
        for notice in result.notices {
            let contract = notice.contract.flatMap { byName[$0] }
            findings.append(
                ReviewFinding(
                    code: "notice." + notice.kind.rawValue, level: .note,
                    title: [notice.schema, notice.table, notice.column].compactMap { $0 }.joined(separator: "."),
                    message: notice.detail, file: contract?.file,
                    line: contract?.tableLocation?.line ?? contract?.nameLocation?.line,
                    identity: "notice|\(notice.kind.rawValue)|\(notice.contract ?? "")|\(notice.schema ?? "")|"
                        + "\(notice.table ?? "")|\(notice.column ?? "")",
                    owner: contract?.owner?.display))
        }
        return findings
    }
}

extension PreviewReport {
    /// The violations the migration introduces (at the statement that does it, with the
    /// contract as a second place), its hazards and the data checks that found something, at
    /// their migration file and line.
    public func reviewFindings() -> [ReviewFinding] {
        let contracts = check.reviewFindings().filter { ViolationKind(rawValue: $0.code) != nil }
        let byIdentity = Dictionary(contracts.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
        var findings: [ReviewFinding] = []
        for violation in introduced {
            let identity = "\(violation.kind.rawValue)|\(violation.file)|\(violation.location)"
            guard var finding = byIdentity[identity] else { continue }
            let contractPlace = (finding.file ?? violation.file, finding.line)
            if let statement = cause(of: violation) {
                finding.file = path(statement.file)
                finding.line = statement.line
                finding.related = contractPlace
                finding.message = "would break: " + finding.message
            }
            findings.append(finding)
        }
        for hazard in hazards {
            findings.append(
                ReviewFinding(
                    code: hazard.code.rawValue, level: hazard.code.severity == .error ? .error : .warning,
                    title: hazard.relation?.description ?? hazard.code.title,
                    message: "\(hazard.detail). Instead: \(hazard.code.recipe)",
                    file: path(hazard.file), line: hazard.line,
                    identity: "\(hazard.code.rawValue)|\(path(hazard.file))|\(hazard.relation?.description ?? "")|"
                        + (statements.indices.contains(hazard.statement - 1)
                            ? statements[hazard.statement - 1].text : "")))
        }
        for check in dataChecks where check.outcome == .found {
            findings.append(
                ReviewFinding(
                    code: check.kind.rawValue, level: check.severity == .error ? .error : .warning,
                    title: check.table.description, message: check.summary, file: path(check.file), line: check.line,
                    identity: "\(check.kind.rawValue)|\(path(check.file))|\(check.table)|\(check.columns)"))
        }
        return findings
    }
}

/// The three review formats, from the same findings.
public enum ReviewFormats {
    /// GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding,
    /// annotated on the file and line of the pull request, then the summary line.
    public static func github(_ findings: [ReviewFinding], summary: String) -> String {
        var out = ""
        for finding in findings {
            let command =
                switch finding.level {
                case .error: "error"
                case .warning: "warning"
                case .note: "notice"
                }
            var properties: [String] = []
            if let file = finding.file { properties.append("file=" + property(file)) }
            if let line = finding.line { properties.append("line=\(line)") }
            if let column = finding.column { properties.append("col=\(column)") }
            properties.append(
                "title="
                    + property(
                        "\(finding.code) \(finding.title.isEmpty ? ReviewRule.title(finding.code) : finding.title)"))
            out +=
                "::\(command) \(properties.joined(separator: ","))::"
                + data("\(finding.message) [\(finding.code)](\(finding.docs))") + "\n"
        }
        return out + summary + "\n"
    }

    /// A workflow command's message: `%`, CR and LF escaped (GitHub's runner rules).
    static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// A workflow command's property value: as `data`, and `:` and `,` too.
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    /// SARIF 2.1.0: one run, one rule per code (with its help and README section), one result
    /// per finding at its file and line, with a stable fingerprint.
    public static func sarif(_ findings: [ReviewFinding], version: String) -> String {
        let rules = ReviewRule.rules(for: findings)
        let index = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        func location(_ file: String, _ line: Int?, _ column: Int?) -> JSONText {
            var physical: [(String, JSONText)] = [("artifactLocation", .object([("uri", .string(uri(file)))]))]
            if let line {
                var region: [(String, JSONText)] = [("startLine", .int(max(1, line)))]
                if let column { region.append(("startColumn", .int(max(1, column)))) }
                physical.append(("region", .object(region)))
            }
            return .object([("physicalLocation", .object(physical))])
        }
        let results: [JSONText] = findings.map { finding in
            var members: [(String, JSONText)] = [
                ("ruleId", .string(finding.code)), ("ruleIndex", .int(index[finding.code] ?? 0)),
                ("level", .string(finding.level.rawValue)),
                ("message", .object([("text", .string(finding.message))])),
            ]
            if let file = finding.file {
                members.append(("locations", .array([location(file, finding.line, finding.column)])))
            }
            if let related = finding.related {
                var place = location(related.file, related.line, nil)
                if case .object(var fields) = place {
                    fields.insert(("id", .int(1)), at: 0)
                    fields.append(("message", .object([("text", .string("the contract"))])))
                    place = .object(fields)
                }
                members.append(("relatedLocations", .array([place])))
            }
            members.append(
                ("partialFingerprints", .object([("contractwatch/v1", .string(fingerprint(finding.identity)))])))
            var properties: [(String, JSONText)] = [("docs", .string(finding.docs))]
            if let owner = finding.owner { properties.append(("owner", .string(owner))) }
            members.append(("properties", .object(properties)))
            return .object(members)
        }
        let driver: JSONText = .object([
            ("name", .string("contractwatch")), ("version", .string(version)),
            (
                "rules",
                .array(
                    rules.map { rule in
                        .object([
                            ("id", .string(rule.id)), ("name", .string(rule.title)),
                            ("shortDescription", .object([("text", .string(rule.title))])),
                            ("fullDescription", .object([("text", .string(rule.help))])),
                            (
                                "help",
                                .object([
                                    ("text", .string(rule.help + " See " + ReviewRule.docs(rule.id) + ".")),
                                    ("markdown", .string(rule.help + " [More](\(ReviewRule.docs(rule.id)))")),
                                ])
                            ),
                            ("properties", .object([("docs", .string(ReviewRule.docs(rule.id)))])),
                        ])
                    })
            ),
        ])
        let log: JSONText = .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([("tool", .object([("driver", driver)])), ("results", .array(results))])])),
        ])
        return log.rendered() + "\n"
    }

    /// GitLab Code Quality: a JSON array of issues with a stable fingerprint each.
    public static func gitlab(_ findings: [ReviewFinding]) -> String {
        let issues: [JSONText] = findings.map { finding in
            let severity =
                switch finding.level {
                case .error: finding.critical ? "critical" : "major"
                case .warning: "minor"
                case .note: "info"
                }
            return .object([
                ("description", .string("\(finding.code): \(finding.message)")),
                ("check_name", .string(finding.code)),
                ("fingerprint", .string(fingerprint(finding.identity))),
                ("severity", .string(severity)),
                (
                    "location",
                    .object([
                        ("path", .string(finding.file ?? "contracts")),
                        ("lines", .object([("begin", .int(max(1, finding.line ?? 1)))])),
                    ])
                ),
            ])
        }
        return JSONText.array(issues).rendered() + "\n"
    }

    /// A file path as a relative URI reference (spaces and the like percent-encoded).
    static func uri(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let unreserved =
                (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || "/-._~".utf8.contains(byte)
            if unreserved {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// 32 hex digits from two FNV-1a 64-bit hashes of the identity: the same finding gets the
    /// same fingerprint in every run and on every machine (Swift's Hasher is seeded per process).
    public static func fingerprint(_ identity: String) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in identity.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return hash
        }
        return String(fnv(0xcbf2_9ce4_8422_2325), radix: 16).leftPadded(to: 16)
            + String(fnv(0x8422_2325_cbf2_9ce4), radix: 16).leftPadded(to: 16)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
