import Catalog
import Checks
import Contracts

/// A test case of another suite than the contracts' (a preview's hazards).
public struct JUnitCase: Sendable, Hashable {
    public struct Failure: Sendable, Hashable {
        public var type: String
        public var message: String
        public var body: String

        public init(type: String, message: String, body: String) {
            self.type = type
            self.message = message
            self.body = body
        }
    }

    public var classname: String
    public var name: String
    public var file: String
    public var line: Int?
    public var failure: Failure?
    /// Why it was skipped (a suppressed hazard).
    public var skipped: String?

    public init(
        classname: String, name: String, file: String, line: Int? = nil, failure: Failure? = nil,
        skipped: String? = nil
    ) {
        self.classname = classname
        self.name = name
        self.file = file
        self.line = line
        self.failure = failure
        self.skipped = skipped
    }
}

extension CheckReport {
    /// One test case per contract file: a `<failure>` lists its violations, an `<error>` its
    /// contract errors (the file could not be checked). `extraSuite`: a second suite after it.
    public func junit(extraSuite: (name: String, cases: [JUnitCase])? = nil) -> String {
        let failures = result.contracts.filter { $0.status == .violated }.count
        let errors = result.contracts.filter { $0.status == .invalid }.count
        let extraCases = extraSuite?.cases ?? []
        let extraFailures = extraCases.filter { $0.failure != nil }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<testsuites name=\"contractwatch\" tests=\"\(result.contracts.count + extraCases.count)\" "
            + "failures=\"\(failures + extraFailures)\" errors=\"\(errors)\">\n"
        xml +=
            "  <testsuite name=\"contractwatch check \(Self.escape(result.database.name))\" "
            + "tests=\"\(result.contracts.count)\" failures=\"\(failures)\" errors=\"\(errors)\" "
            + "timestamp=\"\(timestamp)\">\n"
        let violations = Dictionary(grouping: result.violations, by: \.file)
        let contractErrors = Dictionary(grouping: result.contractErrors, by: \.file)
        for outcome in result.contracts {
            let table = outcome.schema.map { "\($0).\(outcome.table ?? "")" } ?? outcome.file
            xml +=
                "    <testcase classname=\"contracts.\(Self.escape(outcome.contract?.namespace ?? "default"))\" "
                + "name=\"\(Self.escape(outcome.name)) (\(Self.escape(table)))\""
            switch outcome.status {
            case .ok:
                xml += "/>\n"
            case .violated:
                let found = violations[outcome.file] ?? []
                let owner = outcome.contract?.owner?.display ?? "(no owner)"
                xml +=
                    ">\n      <failure type=\"contract_violation\" message=\"\(found.count) "
                    + "violation\(plural(found.count)); owner: \(Self.escape(owner))\">"
                // The file leads the text: the schema (Jenkins xunit junit-10.xsd, which GitLab
                // and the test-report actions read) has no file attribute on a test case.
                let lines = found.map {
                    "[\($0.critical ? "critical" : $0.severity.rawValue)] \($0.kind.rawValue) \($0.location): "
                        + "expected \($0.expected), actual \($0.actual). \($0.message) "
                        + "(\(ReviewRule.docs($0.kind.rawValue)))"
                }
                xml += Self.escape(([outcome.file] + lines).joined(separator: "\n"))
                xml += "</failure>\n    </testcase>\n"
            case .invalid:
                let found = contractErrors[outcome.file] ?? []
                xml += ">\n      <error type=\"contract_error\" message=\"the contract file could not be read\">"
                xml += Self.escape(found.map(\.description).joined(separator: "\n"))
                xml += "</error>\n    </testcase>\n"
            }
        }
        xml += "  </testsuite>\n"
        if let extraSuite {
            let skipped = extraCases.filter { $0.skipped != nil }.count
            xml +=
                "  <testsuite name=\"\(Self.escape(extraSuite.name))\" tests=\"\(extraCases.count)\" "
                + "failures=\"\(extraFailures)\" errors=\"0\" skipped=\"\(skipped)\" timestamp=\"\(timestamp)\">\n"
            for testCase in extraCases {
                xml +=
                    "    <testcase classname=\"\(Self.escape(testCase.classname))\" "
                    + "name=\"\(Self.escape(testCase.name))\""
                let place = testCase.file + (testCase.line.map { ":\($0)" } ?? "")
                if let failure = testCase.failure {
                    xml +=
                        ">\n      <failure type=\"\(Self.escape(failure.type))\" "
                        + "message=\"\(Self.escape(failure.message))\">" + Self.escape(place + "\n" + failure.body)
                        + "</failure>\n    </testcase>\n"
                } else if let reason = testCase.skipped {
                    xml +=
                        ">\n      <skipped message=\"\(Self.escape(reason))\">\(Self.escape(place))</skipped>\n"
                        + "    </testcase>\n"
                } else {
                    xml += "/>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20: out += "?" // not allowed in XML 1.0
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
