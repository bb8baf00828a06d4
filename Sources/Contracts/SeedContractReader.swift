import Catalog
import Dispatch
import Synchronization

/// Reads the JSON contract spec v1.0.0 of the Data Contracts book (chapter 7).
///
/// Strict about what it understands (types of known fields), lenient about the rest: unknown
/// keys are kept in the file and ignored. Every problem found is reported with its location,
/// not just the first one.
public enum SeedContractReader {
    public static func read(_ bytes: [UInt8], file: String) -> Result<Contract, ContractErrors> {
        let root: PositionedJSON
        do {
            root = try PositionedJSONParser.parse(bytes)
        } catch {
            return .failure(
                ContractErrors([ContractError(file: file, location: error.location, message: error.message)]))
        }
        var reader = Reader(file: file)
        let contract = reader.contract(root)
        if let contract, reader.errors.isEmpty { return .success(contract) }
        return .failure(ContractErrors(reader.errors))
    }

    public static let supportedMajorVersion = 1

    /// The first plain string written as the value of a `"table_name"` key, found by scanning the
    /// bytes up to it (a seed contract names its table before its columns): a small fraction of
    /// the cost of parsing the file. `check` sends these names to the server while the files are
    /// parsed. Only a hint: it may be a column's value rather than the table, and values with
    /// escapes are skipped; the parsed contracts have the last word.
    public static func tableNameHint(_ bytes: [UInt8]) -> String? {
        let key = Array(#""table_name""#.utf8)
        var hint: String?
        bytes.withUnsafeBufferPointer { buffer in
            func skipSpaces(_ index: inout Int) {
                while index < buffer.count,
                    buffer[index] == 0x20 || buffer[index] == 0x09 || buffer[index] == 0x0A || buffer[index] == 0x0D
                { index += 1 }
            }
            var index = 0
            while hint == nil, index + key.count <= buffer.count {
                guard buffer[index] == key[0], buffer[index + 1] == key[1],
                    key.indices.allSatisfy({ buffer[index + $0] == key[$0] })
                else {
                    index += 1
                    continue
                }
                var cursor = index + key.count
                index = cursor
                skipSpaces(&cursor)
                guard cursor < buffer.count, buffer[cursor] == UInt8(ascii: ":") else { continue }
                cursor += 1
                skipSpaces(&cursor)
                guard cursor < buffer.count, buffer[cursor] == UInt8(ascii: "\"") else { continue }
                let start = cursor + 1
                var end = start
                while end < buffer.count, buffer[end] != UInt8(ascii: "\""), buffer[end] != UInt8(ascii: "\\"),
                    buffer[end] >= 0x20
                { end += 1 }
                guard end < buffer.count, buffer[end] == UInt8(ascii: "\""), end > start else { continue }
                hint = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
            }
        }
        return hint
    }
}

/// All problems found in one file.
public struct ContractErrors: Error, Sendable, Hashable {
    public var errors: [ContractError]
    public init(_ errors: [ContractError]) { self.errors = errors }
}

private struct Reader {
    var fields: FieldReader
    var errors: [ContractError] { fields.errors }

    init(file: String) { fields = FieldReader(file: file) }
    var file: String { fields.file }

    mutating func error(_ location: SourceLocation?, _ message: String) { fields.error(location, message) }
    mutating func string(_ node: PositionedJSON, _ key: String) -> String? { fields.string(node, key) }
    mutating func optionalString(_ parent: PositionedJSON, _ key: String) -> String? {
        fields.optionalString(parent, key)
    }
    mutating func requiredString(_ parent: PositionedJSON, _ key: String, in place: String, hint: String) -> String? {
        fields.requiredString(parent, key, in: place, hint: hint)
    }
    mutating func bool(_ node: PositionedJSON?, _ key: String, column: String) -> Bool? {
        fields.bool(node, key, column: column)
    }
    mutating func yesNo(_ node: PositionedJSON?, _ key: String, column: String) -> Bool? {
        fields.yesNo(node, key, column: column)
    }
    mutating func count(_ node: PositionedJSON?, _ key: String, column: String) -> Int? {
        fields.count(node, key, column: column)
    }
    mutating func dataType(_ node: PositionedJSON, column: String) -> String? { fields.dataType(node, column: column) }

    mutating func contract(_ root: PositionedJSON) -> Contract? {
        guard root.members != nil else {
            error(root.location, "a contract must be a JSON object, found \(root.kindName)")
            return nil
        }
        var specVersion = "1.0.0"
        if let version = root["spec-version"] {
            if let text = string(version, "spec-version") {
                let major = text.split(separator: ".").first.flatMap { Int($0) }
                if major != SeedContractReader.supportedMajorVersion {
                    error(
                        version.location,
                        "unsupported spec-version \"\(text)\"; this version of contractwatch reads spec-version 1.x")
                }
                specVersion = text
            }
        }
        let name = requiredString(
            root, "name", in: "the contract", hint: "every contract needs a name, e.g. \"name\": \"orders-contract\"")
        let namespace = optionalString(root, "namespace")
        let resource = optionalString(root, "dataAssetResourceName")
        let doc = optionalString(root, "doc")
        let owner = self.owner(root["owner"])
        let roles = fields.roles(root["roles"])
        let consumers = fields.consumers(root["consumers"])

        guard let schema = root["schema"] else {
            error(
                root.location, "missing \"schema\": a contract needs \"schema\" with \"table_name\" and \"properties\"")
            return nil
        }
        guard schema.members != nil else {
            error(schema.location, "\"schema\" must be an object, found \(schema.kindName)")
            return nil
        }
        let title = optionalString(schema, "title")
        let catalog = optionalString(schema, "table_catalog")
        let tableSchema = optionalString(schema, "table_schema") ?? "public"
        let tableName = requiredString(
            schema, "table_name", in: "\"schema\"", hint: "name the table the contract describes")
        if tableSchema.isEmpty, let location = schema["table_schema"]?.location {
            error(location, "\"table_schema\" is empty; write the schema name (usually \"public\")")
        }
        let columns = self.columns(schema)
        guard let name, let tableName, let columns else { return nil }
        var contract = Contract(
            name: name, file: file, format: .seedJSON, specVersion: specVersion, namespace: namespace,
            dataAssetResourceName: resource, doc: doc, title: title, owner: owner,
            table: ContractTable(catalog: catalog, schema: tableSchema, name: tableName),
            columns: columns, roles: roles, consumers: consumers, ownerLocation: root["owner"]?.location
        )
        contract.nameLocation = root["name"]?.location
        contract.tableLocation = schema["table_name"]?.location
        return contract
    }

    mutating func owner(_ node: PositionedJSON?) -> Owner? {
        guard let node else { return nil }
        if case .null = node.value { return nil }
        guard node.members != nil else {
            error(
                node.location,
                "\"owner\" must be an object like {\"name\": \"…\", \"email\": \"…\"}, found \(node.kindName)")
            return nil
        }
        let name = optionalString(node, "name")
        let email = optionalString(node, "email")
        if let email, !email.contains("@"), let location = node["email"]?.location {
            error(location, "\"email\" \"\(email)\" is not an email address")
        }
        if name == nil && email == nil {
            error(node.location, "\"owner\" names no one; give it a \"name\" and an \"email\"")
            return nil
        }
        return Owner(name: name, email: email)
    }

    mutating func columns(_ schema: PositionedJSON) -> [ContractColumn]? {
        guard let properties = schema["properties"] else {
            error(
                schema.location,
                "missing \"properties\" in \"schema\": list the table's columns as \"properties\": {\"column\": {…}}")
            return nil
        }
        guard let members = properties.members else {
            error(properties.location, "\"properties\" must be an object of columns, found \(properties.kindName)")
            return nil
        }
        var columns: [ContractColumn] = []
        for member in members {
            if member.key.isEmpty {
                error(member.keyLocation, "a column name cannot be empty")
                continue
            }
            guard let fields = member.value.members else {
                error(
                    member.value.location,
                    "column \"\(member.key)\" must be an object (use {} to only require that it exists), found "
                        + "\(member.value.kindName)"
                )
                continue
            }
            // One pass over the column's keys (the last of a repeated key wins, as with lookups).
            var descriptionNode: PositionedJSON?
            var constraints: PositionedJSON?
            var element: PositionedJSON?
            for field in fields {
                switch field.key {
                case "description": descriptionNode = field.value
                case "constraints": constraints = field.value
                case "array_element": element = field.value
                default: break
                }
            }
            let description = descriptionNode.flatMap { node -> String? in
                if case .null = node.value { return nil }
                return string(node, "description")
            }
            var expectation = ColumnExpectation()
            if let constraints {
                expectation = self.expectation(constraints, column: member.key)
            }
            if let element, case .null = element.value {
                // explicit null: no element expectation
            } else if let element {
                if element.members == nil {
                    error(
                        element.location,
                        "\"array_element\" of \"\(member.key)\" must be an object like {\"data_type\": \"text\"}, "
                            + "found \(element.kindName)"
                    )
                } else {
                    if let type = element["data_type"] {
                        expectation.arrayElementType = dataType(type, column: member.key)
                    }
                    expectation.elementModifiers = modifiers(element, column: member.key + " (array element)")
                }
            }
            let typeNode = constraints?["data_type"]
            columns.append(
                ContractColumn(
                    name: member.key, description: description, expectation: expectation, location: member.keyLocation,
                    declaredType: expectation.dataType, declaredTypeLocation: typeNode?.location))
        }
        return columns
    }

    mutating func expectation(_ node: PositionedJSON, column: String) -> ColumnExpectation {
        var expectation = ColumnExpectation()
        if case .null = node.value { return expectation }
        guard node.members != nil else {
            error(node.location, "\"constraints\" of \"\(column)\" must be an object, found \(node.kindName)")
            return expectation
        }
        // One pass over the keys, then each field in a fixed order (so are the errors).
        var primaryKey: PositionedJSON?
        var dataType: PositionedJSON?
        var nullable: PositionedJSON?
        var updatable: PositionedJSON?
        for member in node.members ?? [] {
            switch member.key {
            case "primaryKey": primaryKey = member.value
            case "data_type": dataType = member.value
            case "is_nullable": nullable = member.value
            case "is_updatable": updatable = member.value
            default: break
            }
        }
        expectation.primaryKey = bool(primaryKey, "primaryKey", column: column)
        if let dataType { expectation.dataType = self.dataType(dataType, column: column) }
        expectation.modifiers = modifiers(node, column: column)
        expectation.isNullable = yesNo(nullable, "is_nullable", column: column)
        expectation.isUpdatable = yesNo(updatable, "is_updatable", column: column)
        expectation.domainName = optionalString(node, "domain_name")
        expectation.udtName = optionalString(node, "udt_name")
        return expectation
    }

    /// The type modifiers of a `constraints` or `array_element` object: numbers, or "unlimited"
    /// where information_schema shows NULL for a type without a modifier.
    mutating func modifiers(_ node: PositionedJSON, column: String) -> ModifierExpectation {
        var length: PositionedJSON?
        var precision: PositionedJSON?
        var scale: PositionedJSON?
        var datetimePrecision: PositionedJSON?
        var interval: PositionedJSON?
        for member in node.members ?? [] {
            switch member.key {
            case "character_maximum_length": length = member.value
            case "numeric_precision": precision = member.value
            case "numeric_scale": scale = member.value
            case "datetime_precision": datetimePrecision = member.value
            case "interval_type": interval = member.value
            default: break
            }
        }
        var modifiers = ModifierExpectation()
        modifiers.characterMaximumLength = fields.limit(length, "character_maximum_length", column: column)
        modifiers.numericPrecision = fields.limit(precision, "numeric_precision", column: column)
        modifiers.numericScale = fields.limit(scale, "numeric_scale", column: column, allowNegative: true)
        modifiers.datetimePrecision = count(datetimePrecision, "datetime_precision", column: column)
        if let interval, let text = fields.optionalText(interval, "interval_type") {
            // As information_schema writes it too: `DAY TO SECOND(2)` (the precision is datetime_precision).
            let names = text.prefix { $0 != "(" }.split(separator: " ").joined(separator: " ").uppercased()
            if names == "UNLIMITED" {
                modifiers.intervalType = .unlimited
            } else if InformationSchemaVocabulary.isIntervalFields(names) {
                modifiers.intervalType = .limited(names)
            } else {
                error(
                    interval.location,
                    "\"interval_type\" of \"\(column)\" must be interval fields such as \"YEAR TO MONTH\" or "
                        + "\"DAY TO SECOND\", or \"unlimited\" (every field)"
                )
            }
        }
        return modifiers
    }
}

/// Reads typed fields out of a positioned tree, collecting every problem with its location.
/// Shared by the seed JSON and ODCS readers (and the owners registry).
struct FieldReader {
    let file: String
    var errors: [ContractError] = []

    init(file: String) { self.file = file }

    /// Problems reported per file; past it, one line says how many more there were (one file of
    /// a fuzz run made 20,000, which drowned every other file's).
    static let maximumErrors = 100
    private var unreported = 0

    mutating func error(_ location: SourceLocation?, _ message: String) {
        if errors.count < Self.maximumErrors {
            errors.append(ContractError(file: file, location: location, message: message))
            return
        }
        unreported += 1
        let summary = ContractError(
            file: file, location: nil,
            message: "… and \(unreported) more problems in this file (the first \(Self.maximumErrors) are listed)")
        if errors.count == Self.maximumErrors { errors.append(summary) } else { errors[errors.count - 1] = summary }
    }

    mutating func dataType(_ node: PositionedJSON, column: String) -> String? {
        if case .null = node.value { return nil }
        guard case .string(let text) = node.value else {
            error(
                node.location,
                "\"data_type\" of \"\(column)\" must be a string such as \"integer\" or \"character varying\", "
                    + "found \(node.kindName)"
            )
            return nil
        }
        if text.trimmingSpaces.isEmpty {
            error(node.location, "\"data_type\" of \"\(column)\" is empty")
            return nil
        }
        return text
    }

    mutating func bool(_ node: PositionedJSON?, _ key: String, column: String) -> Bool? {
        guard let node else { return nil }
        switch node.value {
        case .null: return nil
        case .bool(let value): return value
        default:
            error(node.location, "\"\(key)\" of \"\(column)\" must be true or false, found \(node.kindName)")
            return nil
        }
    }

    /// Booleans, also written the information_schema way ("YES"/"NO").
    mutating func yesNo(_ node: PositionedJSON?, _ key: String, column: String) -> Bool? {
        guard let node else { return nil }
        switch node.value {
        case .null: return nil
        case .bool(let value): return value
        case .string(let text):
            switch text.uppercased() {
            case "YES", "TRUE": return true
            case "NO", "FALSE": return false
            default: break
            }
        default: break
        }
        error(
            node.location, "\"\(key)\" of \"\(column)\" must be true/false (or \"YES\"/\"NO\"), found \(node.kindName)")
        return nil
    }

    /// A whole number, or "unlimited" (no limit, as information_schema's NULL for `varchar`).
    mutating func limit(_ node: PositionedJSON?, _ key: String, column: String, allowNegative: Bool = false) -> Limit<
        Int
    >? {
        guard let node else { return nil }
        if case .string(let text) = node.value {
            if text.lowercased() == "unlimited" { return .unlimited }
            error(node.location, "\"\(key)\" of \"\(column)\" must be a number or \"unlimited\", found \"\(text)\"")
            return nil
        }
        if allowNegative, case .number = node.value {
            guard let value = node.integerValue else {
                error(
                    node.location,
                    "\"\(key)\" of \"\(column)\" must be a whole number (negative is fine: numeric(5,-2))")
                return nil
            }
            return .limited(value)
        }
        return count(node, key, column: column).map { .limited($0) }
    }

    /// Non-negative whole numbers; `32` and `32.0` are the same.
    mutating func count(_ node: PositionedJSON?, _ key: String, column: String) -> Int? {
        guard let node else { return nil }
        if case .null = node.value { return nil }
        guard case .number = node.value else {
            error(node.location, "\"\(key)\" of \"\(column)\" must be a number, found \(node.kindName)")
            return nil
        }
        guard let value = node.integerValue, value >= 0 else {
            error(node.location, "\"\(key)\" of \"\(column)\" must be a whole number ≥ 0 (32 and 32.0 are both fine)")
            return nil
        }
        return value
    }

    mutating func string(_ node: PositionedJSON, _ key: String) -> String? {
        if case .string(let text) = node.value { return text }
        error(node.location, "\"\(key)\" must be a string, found \(node.kindName)")
        return nil
    }

    mutating func optionalString(_ parent: PositionedJSON, _ key: String) -> String? {
        parent[key].flatMap { optionalText($0, key) }
    }

    /// A string, or nil for `null`.
    mutating func optionalText(_ node: PositionedJSON, _ key: String) -> String? {
        if case .null = node.value { return nil }
        return string(node, key)
    }

    mutating func requiredString(_ parent: PositionedJSON, _ key: String, in place: String, hint: String) -> String? {
        guard let node = parent[key] else {
            error(parent.location, "missing \"\(key)\" in \(place): \(hint)")
            return nil
        }
        guard let text = string(node, key) else { return nil }
        if text.trimmingSpaces.isEmpty {
            error(node.location, "\"\(key)\" is empty: \(hint)")
            return nil
        }
        return text
    }

    /// `roles: {business_owner: "dana", it_sme: ["ops@x.org", "kim"]}`
    mutating func roles(_ node: PositionedJSON?) -> [RoleReference] {
        guard let node else { return [] }
        if case .null = node.value { return [] }
        guard let members = node.members else {
            error(
                node.location,
                "\"roles\" must be a mapping of role to people, e.g. {\"business_owner\": \"dana\", \"it_sme\": "
                    + "[\"kim\"]}"
            )
            return []
        }
        var roles: [RoleReference] = []
        for member in members {
            guard let role = OwnerRole(spelling: member.key) else {
                error(
                    member.keyLocation,
                    "unknown role \"\(member.key)\"; use " + OwnerRole.allCases.map(\.rawValue).joined(separator: ", "))
                continue
            }
            let values: [PositionedJSON]
            if case .array(let items) = member.value.value { values = items } else { values = [member.value] }
            for value in values {
                guard case .string(let reference) = value.value, !reference.trimmingSpaces.isEmpty else {
                    error(
                        value.location,
                        "role \"\(member.key)\" must name people by id or email (a string or a list of strings)")
                    continue
                }
                roles.append(RoleReference(role: role, reference: reference, location: value.location))
            }
        }
        return roles
    }

    /// `consumers: [{name: "churn model", kind: model, owner: "ds-team"}]`
    mutating func consumers(_ node: PositionedJSON?) -> [Consumer] {
        guard let node else { return [] }
        if case .null = node.value { return [] }
        guard case .array(let items) = node.value else {
            error(
                node.location,
                "\"consumers\" must be a list like [{\"name\": \"churn model\", \"kind\": \"model\", \"owner\": "
                    + "\"ds-team\"}]"
            )
            return []
        }
        var consumers: [Consumer] = []
        for item in items {
            if case .string(let name) = item.value {
                consumers.append(Consumer(name: name, location: item.location))
                continue
            }
            guard item.members != nil else {
                error(
                    item.location,
                    "a consumer must be an object with \"name\" (and optionally \"kind\", \"owner\"), found "
                        + "\(item.kindName)"
                )
                continue
            }
            guard let name = requiredString(item, "name", in: "the consumer", hint: "name what depends on this table")
            else { continue }
            consumers.append(
                Consumer(
                    name: name, kind: optionalString(item, "kind"), owner: optionalString(item, "owner"),
                    location: item.location))
        }
        return consumers
    }
}

extension String {
    var trimmingSpaces: Substring {
        // Most values start and end with a visible ASCII character: no Character walk needed.
        if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return self[...]
        }
        var view = self[...]
        while view.first?.isWhitespace == true { view.removeFirst() }
        while view.last?.isWhitespace == true { view.removeLast() }
        return view
    }
}

/// Turns a list of (path, bytes) into a `ContractSet`. Reading the folder is the caller's job
/// (see `ContractFolder`), so this stays pure. `*.json` files are seed contracts, `*.yaml` and
/// `*.yml` are ODCS contracts, and `owners.yaml` is the owners registry.
public enum ContractLoader {
    public static let registryNames: Set<String> = ["owners.yaml", "owners.yml"]

    /// A file's contracts and how many files are left to parse (see `load`).
    public typealias ParsedHandler = @Sendable (_ contracts: [Contract], _ filesLeft: Int) -> Void

    public static func isRegistry(_ path: String) -> Bool {
        registryNames.contains(String(path.split(separator: "/").last ?? ""))
    }

    public static func isContractFile(_ name: String) -> Bool {
        !name.hasPrefix(".") && (name.hasSuffix(".json") || name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
    }

    /// `parsed` is called once per contract file as soon as it is read, from any thread, in no
    /// particular order, with its contracts (none if it is invalid) and the number of files
    /// still to parse: `check` starts reading their tables before the last file is parsed.
    public static func load(_ files: [(path: String, bytes: [UInt8])], parsed: ParsedHandler? = nil) -> ContractSet {
        let bytes = Dictionary(files.map { ($0.path, $0.bytes) }, uniquingKeysWith: { first, _ in first })
        return load(
            paths: files.map(\.path),
            read: { path in bytes[path].map { .success($0) } ?? .failure(Unreadable(reason: "not given")) },
            parsed: parsed)
    }

    /// Why a file could not be read ("No such file or directory", "is a folder, not a file").
    public struct Unreadable: Error, Sendable {
        public var reason: String
        public init(reason: String) { self.reason = reason }
    }

    /// The same for files that `read` fetches, each on the thread that parses it: the first
    /// contracts are parsed while the last files are still being read.
    public static func load(
        paths: [String], read: @Sendable (String) -> Result<[UInt8], Unreadable>,
        parsed: ParsedHandler? = nil
    ) -> ContractSet {
        var errors: [ContractError] = []
        var registry = OwnersRegistry.empty
        let sorted = paths.sorted()
        for path in sorted where isRegistry(path) {
            let bytes: [UInt8]
            switch read(path) {
            case .success(let read): bytes = read
            case .failure(let failure):
                errors.append(unreadable(path, failure))
                continue
            }
            let (parsed, problems) = OwnersRegistry.parse(String(decoding: bytes, as: UTF8.self), file: path)
            registry = parsed
            errors.append(contentsOf: problems)
        }
        let contractFiles = sorted.filter { !isRegistry($0) }
        // Files parse independently: spread them over the cores, keep the file order.
        let results = Mutex([Result<[Contract], ContractErrors>?](repeating: nil, count: contractFiles.count))
        let left = Atomic(contractFiles.count)
        DispatchQueue.concurrentPerform(iterations: contractFiles.count) { index in
            let path = contractFiles[index]
            let result: Result<[Contract], ContractErrors> =
                switch read(path) {
                case .success(let bytes): withExcerpts(parse((path, bytes)), bytes)
                case .failure(let failure): .failure(ContractErrors([unreadable(path, failure)]))
                }
            if let parsed {
                let contracts = (try? result.get()) ?? []
                parsed(contracts, left.subtract(1, ordering: .relaxed).newValue)
            }
            results.withLock { $0[index] = result }
        }
        var contracts: [Contract] = []
        for result in results.withLock({ $0 }) {
            switch result {
            case .success(let found)?: contracts.append(contentsOf: found)
            case .failure(let problems)?: errors.append(contentsOf: problems.errors)
            case nil: break
            }
        }
        return ContractSet(contracts: contracts, errors: errors, fileCount: contractFiles.count, registry: registry)
    }

    /// Adds to each error with a line number the lines of the file around it.
    static func withExcerpts(_ result: Result<[Contract], ContractErrors>, _ bytes: [UInt8])
        -> Result<[Contract], ContractErrors>
    {
        guard case .failure(let problems) = result, problems.errors.contains(where: { $0.line != nil }) else {
            return result
        }
        let lines = String(decoding: bytes.prefix(1 << 20), as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        var errors = problems.errors
        for index in errors.indices {
            guard let line = errors[index].line, line >= 1, line <= lines.count else { continue }
            errors[index].excerpt = (max(1, line - 2)...line).map { number in
                var text = String(lines[number - 1].prefix(400))
                if text.hasSuffix("\r") { text.removeLast() }
                return ContractError.SourceLine(number: number, text: text)
            }
        }
        return .failure(ContractErrors(errors))
    }

    static func unreadable(_ path: String, _ failure: Unreadable) -> ContractError {
        ContractError(file: path, location: nil, message: "cannot be read: \(failure.reason)")
    }

    static func parse(_ file: (path: String, bytes: [UInt8])) -> Result<[Contract], ContractErrors> {
        if file.path.hasSuffix(".yaml") || file.path.hasSuffix(".yml") {
            return ODCSContractReader.read(String(decoding: file.bytes, as: UTF8.self), file: file.path)
        }
        return SeedContractReader.read(file.bytes, file: file.path).map { [$0] }
    }
}
