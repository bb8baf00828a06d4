/// Reads Open Data Contract Standard v3 files (v3.0.x to v3.2.0, YAML).
///
/// Each `schema[]` object is a table and becomes one contract; its `properties[]` are columns.
/// `physicalType` gives the type expectations (parsed like the seed format's facets),
/// `required` nullability, `primaryKey`/`primaryKeyPosition` and `unique` keys; `logicalType`
/// alone is informational. The first `servers[]` entry of type postgres gives database and
/// schema; `team` and `support` give the owner and roles; `customProperties` are kept.
public enum ODCSContractReader {
    public static func read(_ text: String, file: String) -> Result<[Contract], ContractErrors> {
        let root: PositionedJSON
        do {
            root = try PositionedJSON.parseYAML(text)
        } catch {
            return .failure(
                ContractErrors([ContractError(file: file, location: error.location, message: error.message)]))
        }
        var reader = ODCSReader(fields: FieldReader(file: file))
        let contracts = reader.contracts(root)
        if reader.fields.errors.isEmpty { return .success(contracts) }
        return .failure(ContractErrors(reader.fields.errors))
    }

    /// The table names of an ODCS file found by a line scan, before (and without) parsing it:
    /// under the top-level `schema:` list, each item's `physicalName`, else its `name`. Only a
    /// hint, so `check` can ask the catalog for every table in one statement while the files
    /// are parsed; the parsed contracts have the last word (a name the scan missed is read
    /// later, one it got wrong costs nothing but a row not found).
    public static func tableNameHints(_ bytes: [UInt8]) -> [String] {
        let space = UInt8(ascii: " ")
        let tab = UInt8(ascii: "\t")
        var names: [String] = []
        var inSchema = false
        var itemIndent = -1
        var current: (name: String?, physical: String?) = (nil, nil)
        func flush() {
            if let name = current.physical ?? current.name { names.append(name) }
            current = (nil, nil)
        }
        func starts(_ prefix: StaticString, at index: Int, before end: Int) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard end - index >= count else { return false }
            return prefix.withUTF8Buffer { expected in
                var offset = 0
                while offset < count, bytes[index + offset] == expected[offset] { offset += 1 }
                return offset == count
            }
        }
        /// A plain or simply quoted scalar in `bytes[start..<end]`, without a trailing comment.
        func scalar(_ start: Int, _ end: Int) -> String? {
            var start = start
            var end = end
            while start < end, bytes[start] == space || bytes[start] == tab { start += 1 }
            while end > start, bytes[end - 1] == space || bytes[end - 1] == tab { end -= 1 }
            guard start < end else { return nil }
            let quote = bytes[start]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                guard end - start >= 3, bytes[end - 1] == quote,
                    !bytes[(start + 1)..<(end - 1)].contains(UInt8(ascii: "\\"))
                else { return nil }
                return String(decoding: bytes[(start + 1)..<(end - 1)], as: UTF8.self)
            }
            var index = start
            while index + 1 < end, !(bytes[index] == space && bytes[index + 1] == UInt8(ascii: "#")) { index += 1 }
            if index + 1 < end { end = index }
            while end > start, bytes[end - 1] == space || bytes[end - 1] == tab { end -= 1 }
            guard start < end, !"&*!|>{[".utf8.contains(bytes[start]) else { return nil }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        var lineStart = 0
        while lineStart < bytes.count {
            var end = lineStart
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            defer { lineStart = end + 1 }
            var lineEnd = end
            while lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            var body = lineStart
            while body < lineEnd, bytes[body] == space { body += 1 }
            let indent = body - lineStart
            if body == lineEnd || bytes[body] == UInt8(ascii: "#") { continue }
            let isItem = starts("- ", at: body, before: lineEnd)
            // (A list may sit at the key's own indentation: `schema:` then `- name: t`.)
            if indent == 0 && !(inSchema && isItem) {
                if inSchema { flush() }
                inSchema = starts("schema:", at: body, before: lineEnd)
                itemIndent = -1
                continue
            }
            guard inSchema else { continue }
            var key = body
            if isItem {
                if itemIndent < 0 { itemIndent = indent }
                guard indent == itemIndent else { continue } // a list deeper down (properties)
                flush()
                key += 2
                while key < lineEnd, bytes[key] == space { key += 1 }
            } else if indent != itemIndent + 2 {
                continue // a key of something nested in the item
            }
            if starts("name:", at: key, before: lineEnd) {
                current.name = scalar(key + 5, lineEnd)
            } else if starts("physicalName:", at: key, before: lineEnd) {
                current.physical = scalar(key + 13, lineEnd)
            }
        }
        if inSchema { flush() }
        return names
    }

    /// Whether an ODCS `apiVersion` is one this reader understands (v3.0.0 … v3.2.x).
    public static func supports(apiVersion: String) -> Bool {
        let numbers = apiVersion.lowercased().drop(while: { $0 == "v" }).split(separator: ".").compactMap { Int($0) }
        guard numbers.count >= 2 else { return false }
        return numbers[0] == 3 && numbers[1] <= 2
    }
}

private struct ODCSReader {
    var fields: FieldReader
    /// Notes for the schema object being read.
    var notes: [ContractNote] = []

    /// ODCS v2 column keys and what v3 calls them.
    static let versionTwoKeys: [(key: String, v3: String)] = [
        ("isNullable", "required (its opposite: required: true means NOT NULL)"), ("isUnique", "unique"),
        ("isPrimaryKey", "primaryKey"), ("isPrimary", "primaryKey"), ("column", "name"),
    ]

    mutating func contracts(_ root: PositionedJSON) -> [Contract] {
        guard root.members != nil else {
            fields.error(root.location, "an ODCS contract must be a YAML mapping, found \(root.kindName)")
            return []
        }
        if let specification = root["dataContractSpecification"] {
            let version = ODCSReader.text(specification)
            fields.error(
                specification.location,
                "this is a Data Contract Specification file (dataContractSpecification: \(version)), not ODCS; "
                    + "contractwatch reads ODCS v3 YAML and the book's JSON: convert it with `datacontract export "
                    + "--format odcs`"
            )
            return []
        }
        if let kind = root["kind"], case .string(let text) = kind.value, text != "DataContract" {
            fields.error(kind.location, "kind is \"\(text)\"; an ODCS contract has kind: DataContract")
        }
        if let version = root["apiVersion"] {
            if let text = fields.string(version, "apiVersion"), !ODCSContractReader.supports(apiVersion: text) {
                fields.error(
                    version.location, "unsupported apiVersion \"\(text)\"; contractwatch reads ODCS v3.0.0 to v3.2.0")
            }
        } else {
            fields.error(root.location, "missing \"apiVersion\" (e.g. apiVersion: v3.1.0)")
        }
        let name = fields.optionalString(root, "name") ?? fields.optionalString(root, "id")
        if name == nil { fields.error(root.location, "missing \"name\" (or \"id\"): every contract needs a name") }
        let doc = description(root["description"])

        // servers: the first postgres server names the database and schema.
        var database: String?
        var schemaName: String?
        if let servers = root["servers"], case .array(let list) = servers.value {
            for server in list where server.members != nil {
                let type = fields.optionalString(server, "type")?.lowercased()
                if type == "postgres" || type == "postgresql" {
                    database = fields.optionalString(server, "database")
                    schemaName = fields.optionalString(server, "schema")
                    break
                }
            }
        }

        let (owner, roles) = team(root["team"])
        let support = supportChannels(root["support"])
        let consumers = fields.consumers(root["consumers"])
        let custom = customProperties(root["customProperties"])

        guard let objects = root["schema"] else {
            let v2 =
                root["dataset"] != nil
                ? " (\"dataset\" is ODCS v2; v3 calls it \"schema\" and a table's columns \"properties\")" : ""
            fields.error(
                root.location, "missing \"schema\": list the tables as schema: [{name: …, properties: [...]}]" + v2)
            return []
        }
        guard case .array(let list) = objects.value else {
            fields.error(objects.location, "\"schema\" must be a list of objects (tables), found \(objects.kindName)")
            return []
        }
        var contracts: [Contract] = []
        for object in list {
            guard object.members != nil else {
                fields.error(
                    object.location,
                    "each schema entry must be an object with name and properties, found \(object.kindName)")
                continue
            }
            guard
                let objectName = fields.requiredString(object, "name", in: "the schema object", hint: "name the table")
            else { continue }
            let table = fields.optionalString(object, "physicalName") ?? objectName
            if object["properties"] == nil, let v2 = object["columns"] {
                fields.error(
                    v2.location,
                    "\"columns\" is ODCS v2; in v3 a table's columns are \"properties\" (a list of {name, "
                        + "physicalType, required…})"
                )
            }
            notes = []
            let columns = properties(object["properties"], in: objectName)
            let single = list.count == 1
            var contract = Contract(
                name: single ? (name ?? objectName) : "\(name ?? "contract").\(objectName)",
                file: single ? fields.file : "\(fields.file)#\(objectName)",
                format: .odcs,
                specVersion: fields.optionalString(root, "apiVersion") ?? "v3",
                namespace: fields.optionalString(root, "domain") ?? fields.optionalString(root, "dataProduct"),
                dataAssetResourceName: fields.optionalString(root, "id"),
                doc: description(object["description"]) ?? doc,
                title: objectName,
                owner: owner,
                table: ContractTable(catalog: database, schema: schemaName ?? "public", name: table),
                columns: columns, roles: roles, consumers: consumers, support: support,
                customProperties: custom, ownerLocation: root["team"]?.location, notes: notes
            )
            contract.nameLocation = (single ? root["name"] ?? root["id"] : nil)?.location ?? object["name"]?.location
            contract.tableLocation = (object["physicalName"] ?? object["name"])?.location
            contracts.append(contract)
        }
        return contracts
    }

    mutating func description(_ node: PositionedJSON?) -> String? {
        guard let node else { return nil }
        switch node.value {
        case .string(let text): return text
        case .object: return fields.optionalString(node, "purpose") ?? fields.optionalString(node, "usage")
        default: return nil
        }
    }

    /// v3.0: `team: [{username, name, role}]`; v3.1+: `team: {name, members: [...]}`.
    mutating func team(_ node: PositionedJSON?) -> (Owner?, [RoleReference]) {
        guard let node else { return (nil, []) }
        var teamName: String?
        var members: [PositionedJSON] = []
        switch node.value {
        case .array(let items): members = items
        case .object:
            teamName = fields.optionalString(node, "name")
            if let list = node["members"], case .array(let items) = list.value { members = items }
        case .null: return (nil, [])
        default:
            fields.error(node.location, "\"team\" must be {name, members: [...]} (or a list of members in v3.0)")
            return (nil, [])
        }
        var roles: [RoleReference] = []
        var ownerMember: (name: String?, email: String?)?
        for member in members where member.members != nil {
            let username = fields.optionalString(member, "username")
            let person = fields.optionalString(member, "name")
            let email = fields.optionalString(member, "email") ?? (username?.contains("@") == true ? username : nil)
            guard let reference = username ?? email ?? person else {
                fields.error(
                    member.location, "a team member needs a username (an id or email in the owners registry) or a name")
                continue
            }
            let roleText = fields.optionalString(member, "role") ?? "owner"
            // Other roles (e.g. "analyst") are not ownership.
            guard let role = OwnerRole(spelling: roleText) else { continue }
            if role == .owner, ownerMember == nil { ownerMember = (person ?? username, email) }
            roles.append(RoleReference(role: role, reference: reference, location: member.location))
        }
        let owner: Owner?
        if let teamName {
            owner = Owner(name: teamName, email: ownerMember?.email)
        } else if let ownerMember {
            owner = Owner(name: ownerMember.name, email: ownerMember.email)
        } else {
            owner = nil
        }
        return (owner, roles.filter { $0.role != .owner || teamName != nil })
    }

    mutating func supportChannels(_ node: PositionedJSON?) -> [SupportChannel] {
        guard let node, case .array(let items) = node.value else { return [] }
        return items.compactMap { item in
            guard item.members != nil,
                let channel = fields.optionalString(item, "channel") ?? fields.optionalString(item, "url")
            else { return nil }
            return SupportChannel(
                channel: channel, tool: fields.optionalString(item, "tool"), url: fields.optionalString(item, "url"))
        }
    }

    mutating func customProperties(_ node: PositionedJSON?) -> [String: String] {
        guard let node, case .array(let items) = node.value else { return [:] }
        var result: [String: String] = [:]
        for item in items {
            guard let key = fields.optionalString(item, "property") else { continue }
            if let value = item["value"] { result[key] = Self.text(value) }
        }
        return result
    }

    static func text(_ node: PositionedJSON) -> String {
        switch node.value {
        case .string(let text), .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return ""
        case .array(let items): return items.map(text).joined(separator: ", ")
        case .object(let members): return members.map { "\($0.key): \(text($0.value))" }.joined(separator: ", ")
        }
    }

    mutating func properties(_ node: PositionedJSON?, in object: String) -> [ContractColumn] {
        // A schema object without properties is valid ODCS: the table only has to exist.
        guard let node else { return [] }
        if case .null = node.value { return [] }
        guard case .array(let items) = node.value else {
            fields.error(
                node.location, "\"properties\" of \"\(object)\" must be a list of columns, found \(node.kindName)")
            return []
        }
        var columns: [ContractColumn] = []
        var seen: [String: SourceLocation] = [:]
        for item in items {
            guard item.members != nil else {
                fields.error(item.location, "a property must be an object with a name, found \(item.kindName)")
                continue
            }
            guard let logicalName = fields.requiredString(item, "name", in: "the property", hint: "name the column")
            else { continue }
            let name = fields.optionalString(item, "physicalName") ?? logicalName
            if let first = seen[name] {
                fields.error(item.location, "column \"\(name)\" is listed twice (first at \(first))")
                continue
            }
            seen[name] = item.location
            var expectation = ColumnExpectation()
            if let physical = item["physicalType"], let text = fields.string(physical, "physicalType") {
                let parsed = PhysicalType.parse(text)
                for problem in parsed.problems {
                    fields.error(physical.location, "physicalType of \"\(name)\": \(problem)")
                }
                notes += parsed.notes.map {
                    ContractNote(location: physical.location, rule: .typeSpelling, message: "column \(name): \($0)")
                }
                expectation.dataType = parsed.dataType
                expectation.modifiers = parsed.modifiers
                expectation.arrayElementType = parsed.arrayElementType
                expectation.elementModifiers = parsed.elementModifiers
                expectation.typeName = parsed.typeName
                expectation.elementTypeName = parsed.elementTypeName
            }
            if expectation.dataType == nil && expectation.typeName == nil || expectation.dataType == "ARRAY",
                let items = item["items"], items.members != nil, let itemsType = items["physicalType"],
                let elementText = fields.string(itemsType, "items.physicalType")
            {
                let element = PhysicalType.parse(elementText)
                for problem in element.problems {
                    fields.error(itemsType.location, "items.physicalType of \"\(name)\": \(problem)")
                }
                expectation.dataType = "ARRAY"
                expectation.typeName = nil
                expectation.arrayElementType = element.dataType ?? "USER-DEFINED"
                expectation.elementModifiers = element.modifiers
                expectation.elementTypeName = element.typeName
            }
            // `required: true` promises NOT NULL. `required: false` is ODCS's default: written or
            // not, it promises nothing (generated files write it on every column, NOT NULL or not).
            if fields.bool(item["required"], "required", column: name) == true { expectation.isNullable = false }
            expectation.primaryKey = fields.bool(item["primaryKey"], "primaryKey", column: name)
            expectation.unique = fields.bool(item["unique"], "unique", column: name)
            // -1 is ODCS's default: "not part of a positioned key".
            for member in item.members ?? [] {
                guard let v3 = Self.versionTwoKeys.first(where: { $0.key == member.key })?.v3 else { continue }
                notes.append(
                    ContractNote(
                        location: member.keyLocation, rule: .otherFormatKey,
                        message: "column \(name): \"\(member.key)\" is ODCS v2 and is not read; ODCS v3 says \(v3)"))
            }
            let positionNode = item["primaryKeyPosition"]
            if positionNode?.integerValue != -1,
                let position = fields.count(positionNode, "primaryKeyPosition", column: name), position > 0
            {
                expectation.primaryKeyPosition = position
                if expectation.primaryKey == nil { expectation.primaryKey = true }
            }
            columns.append(
                ContractColumn(
                    name: name, description: fields.optionalString(item, "description"), expectation: expectation,
                    location: item.location,
                    declaredType: item["physicalType"].flatMap { if case .string(let t) = $0.value { t } else { nil } },
                    declaredTypeLocation: item["physicalType"]?.location, logicalName: logicalName))
        }
        return columns
    }
}
