/// Validates contract files without a database: what `contractwatch lint` reports.
public enum ContractLint {
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        public enum Rule: String, Sendable, Hashable, CaseIterable {
            /// The file does not parse or does not validate.
            case invalid = "invalid-file"
            case unknownType = "unknown-type"
            /// A spelling that reads differently from what PostgreSQL would make of it.
            case typeSpelling = "type-spelling"
            /// An ODCS v2 key, or a key of another contract format.
            case otherFormatKey = "other-format-key"
            case duplicateName = "duplicate-name"
            case duplicateTable = "duplicate-table"
            case missingOwner = "missing-owner"
            case unresolvedReference = "unresolved-reference"
        }

        public var file: String
        public var line: Int?
        public var column: Int?
        public var rule: Rule
        public var message: String

        init(file: String, _ location: SourceLocation?, _ rule: Rule, _ message: String) {
            self.file = file
            self.line = location?.line
            self.column = location?.column
            self.rule = rule
            self.message = message
        }

        /// `file:line:column: rule: message`
        public var description: String {
            var text = file
            if let line { text += ":\(line)" }
            if let column { text += ":\(column)" }
            return "\(text): \(rule.rawValue): \(message)"
        }
    }

    public static func lint(_ set: ContractSet) -> [Finding] {
        var findings: [Finding] = set.errors.map { error in
            Finding(
                file: error.file, error.line.map { SourceLocation(line: $0, column: error.column ?? 1) }, .invalid,
                error.message)
        }
        let registry = set.registry
        var byName: [String: [Contract]] = [:]
        var byTable: [String: [Contract]] = [:]
        for contract in set.contracts {
            let file = fileName(contract.file)
            byName[contract.name, default: []].append(contract)
            byTable["\(contract.table.schema).\(contract.table.name)", default: []].append(contract)
            for column in contract.columns {
                guard let written = column.declaredType else { continue }
                let location = column.declaredTypeLocation ?? column.location
                if contract.format == .odcs {
                    let parsed = PhysicalType.parse(written)
                    // A name that is not built in names a domain, enum or composite type, unless
                    // it is a near miss of a built-in (`integr`).
                    let name = parsed.elementTypeName ?? parsed.typeName
                    if parsed.dataType == nil || parsed.arrayElementType == "USER-DEFINED", let name,
                        name.schema == nil, !name.quoted,
                        let suggestion = suggest(name.name)
                    {
                        findings.append(
                            Finding(
                                file: file, location, .unknownType,
                                "\"\(written)\" (column \(column.name)) is not a built-in type; did you mean "
                                    + "\"\(suggestion)\"? (if it is a domain, enum or composite type, ignore this)"
                            ))
                    }
                } else if DataTypeVocabulary.canonical(written) == nil {
                    var message = "\"\(written)\" (column \(column.name)) is not an information_schema data_type"
                    if let suggestion = suggest(written) {
                        message += "; did you mean \"\(suggestion)\"?"
                    } else {
                        message +=
                            "; use the information_schema spelling (integer, character varying, ARRAY, "
                            + "USER-DEFINED…) and name a domain or enum with domain_name/udt_name"
                    }
                    findings.append(Finding(file: file, location, .unknownType, message))
                }
            }
            findings += contract.notes.map { Finding(file: file, $0.location, $0.rule, $0.message) }
            if contract.owner == nil {
                let hint =
                    contract.format == .odcs
                    ? "add team: {name: …, members: [{username: …, role: owner}]}"
                    : "add \"owner\": {\"name\": \"…\", \"email\": \"…\"}"
                findings.append(
                    Finding(
                        file: file, contract.ownerLocation ?? SourceLocation(line: 1, column: 1), .missingOwner,
                        "contract \(contract.name) names no owner, so nobody is told when it breaks; \(hint)"))
            } else if contract.owner?.email == nil {
                findings.append(
                    Finding(
                        file: file, contract.ownerLocation, .missingOwner,
                        "the owner of \(contract.name) has no email; add one so violations can reach them"))
            }
            for role in contract.roles where registry.resolve(role.reference) == nil {
                if registry.people.isEmpty && role.reference.contains("@") { continue }
                let why =
                    registry.people.isEmpty
                    ? "there is no owners.yaml to resolve it"
                    : "it is not an id, email or name in \(registry.file ?? "owners.yaml")"
                findings.append(
                    Finding(
                        file: file, role.location, .unresolvedReference,
                        "\(role.role.rawValue) \"\(role.reference)\": \(why)"))
            }
            for consumer in contract.consumers {
                guard let owner = consumer.owner, !registry.people.isEmpty, registry.resolve(owner) == nil else {
                    continue
                }
                findings.append(
                    Finding(
                        file: file, consumer.location, .unresolvedReference,
                        "consumer \"\(consumer.name)\" names owner \"\(owner)\", who is not in "
                            + "\(registry.file ?? "owners.yaml")"
                    ))
            }
        }
        // Each file of a duplicate points at the others, where they write it.
        func elsewhere(_ group: [Contract], _ contract: Contract, _ location: (Contract) -> SourceLocation?) -> String {
            group.filter { $0.file != contract.file }.map { other in
                fileName(other.file) + (location(other).map { ":\($0.line):\($0.column)" } ?? "")
            }.joined(separator: ", ")
        }
        for (name, group) in byName.sorted(by: { $0.key < $1.key }) where group.count > 1 {
            for contract in group {
                findings.append(
                    Finding(
                        file: fileName(contract.file), contract.nameLocation, .duplicateName,
                        "the contract name \"\(name)\" is also used by " + elsewhere(group, contract, \.nameLocation)))
            }
        }
        for (table, group) in byTable.sorted(by: { $0.key < $1.key }) where group.count > 1 {
            for contract in group {
                findings.append(
                    Finding(
                        file: fileName(contract.file), contract.tableLocation, .duplicateTable,
                        "\(table) is also described by " + elsewhere(group, contract, \.tableLocation)))
            }
        }
        return findings.sorted { ($0.file, $0.line ?? 0, $0.column ?? 0) < ($1.file, $1.line ?? 0, $1.column ?? 0) }
    }

    /// `contracts/x.odcs.yaml#orders` → `contracts/x.odcs.yaml`
    static func fileName(_ file: String) -> String {
        file.split(separator: "#", maxSplits: 1).first.map(String.init) ?? file
    }

    /// The closest built-in type name, if the name is a near miss of it: one edit away, or two
    /// for names of eight letters or more (`integr`, `timestmap`). Farther names are left alone:
    /// `year`, `mood` or `flag` are likely domains and enums, not typos of `real` or `money`.
    public static func suggest(_ written: String) -> String? {
        let lower =
            written.lowercased().split(separator: "(").first.map { String($0).trimmingSpacesString }
            ?? written.lowercased()
        let candidates = Array(DataTypeVocabulary.canonicalNames) + Array(DataTypeVocabulary.aliases.keys)
        let scored = candidates.map { ($0, distance(lower, $0.lowercased())) }.min {
            $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0)
        }
        guard let (best, score) = scored, score > 0, score <= (lower.count >= 8 ? 2 : 1) else { return nil }
        return DataTypeVocabulary.aliases[best] ?? best
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension String {
    var trimmingSpacesString: String { String(trimmingSpaces) }
}
