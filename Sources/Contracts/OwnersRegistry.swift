/// A person or team that can own contracts or hold a role, from `owners.yaml`.
public struct Person: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case person, team }

    public var id: String
    public var kind: Kind
    public var name: String?
    public var email: String?
    /// A team id or name.
    public var team: String?
    /// A chat channel (`#data-eng`) and the tool it lives in (`slack`).
    public var channel: String?
    public var tool: String?
    /// Who to call when this one does not answer: on-call rotation, pager, manager.
    public var escalation: String?
    public var notes: String?
    public var location: SourceLocation?

    public init(
        id: String, kind: Kind = .person, name: String? = nil, email: String? = nil, team: String? = nil,
        channel: String? = nil, tool: String? = nil, escalation: String? = nil, notes: String? = nil,
        location: SourceLocation? = nil
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.email = email
        self.team = team
        self.channel = channel
        self.tool = tool
        self.escalation = escalation
        self.notes = notes
        self.location = location
    }

    /// `Name <email>` or whichever is known.
    public var display: String { Owner(name: name ?? id, email: email).display }
}

/// Someone named for a role on a contract, resolved against the registry.
public struct ResolvedRole: Sendable, Hashable {
    public var role: OwnerRole
    public var reference: String
    /// nil when the reference is not in the registry (a lint finding).
    public var person: Person?
    public var location: SourceLocation?
}

/// The owners registry (`contracts/owners.yaml`): people and teams, found by id, email or name.
///
/// ```yaml
/// teams:
///   - id: data-eng
///     name: Data Engineering Team
///     email: data-eng@museum.org
///     channel: "#data-eng"
///     tool: slack
///     escalation: "PagerDuty: data-eng-primary"
/// people:
///   - id: dana
///     name: Dana Reyes
///     email: dana.reyes@museum.org
///     team: data-eng
/// ```
public struct OwnersRegistry: Sendable, Hashable {
    public var file: String?
    public var people: [Person]

    public init(file: String? = nil, people: [Person] = []) {
        self.file = file
        self.people = people
    }

    public static let empty = OwnersRegistry()

    public static func parse(_ text: String, file: String) -> (OwnersRegistry, [ContractError]) {
        var fields = FieldReader(file: file)
        let root: PositionedJSON
        do {
            root = try PositionedJSON.parseYAML(text)
        } catch {
            return (
                OwnersRegistry(file: file),
                [ContractError(file: file, location: error.location, message: error.message)]
            )
        }
        guard root.members != nil else {
            fields.error(root.location, "the owners file must be a mapping with \"people:\" and/or \"teams:\" lists")
            return (OwnersRegistry(file: file), fields.errors)
        }
        var people: [Person] = []
        var seen: [String: SourceLocation] = [:]
        for (key, kind) in [("teams", Person.Kind.team), ("people", Person.Kind.person)] {
            guard let list = root[key] else { continue }
            guard case .array(let items) = list.value else {
                fields.error(list.location, "\"\(key)\" must be a list")
                continue
            }
            for item in items {
                guard item.members != nil else {
                    fields.error(item.location, "each entry of \"\(key)\" must be a mapping with at least an id")
                    continue
                }
                guard
                    let id = fields.requiredString(
                        item, "id", in: "the \(kind.rawValue)",
                        hint: "give every \(kind.rawValue) a short id contracts can refer to")
                else { continue }
                if let first = seen[id] {
                    fields.error(item["id"]?.location, "duplicate id \"\(id)\" (first at \(first))")
                    continue
                }
                seen[id] = item["id"]?.location
                let email = fields.optionalString(item, "email")
                if let email, !email.contains("@") {
                    fields.error(item["email"]?.location, "\"\(email)\" is not an email address")
                }
                people.append(
                    Person(
                        id: id, kind: kind, name: fields.optionalString(item, "name"), email: email,
                        team: fields.optionalString(item, "team"), channel: fields.optionalString(item, "channel"),
                        tool: fields.optionalString(item, "tool"),
                        escalation: fields.optionalString(item, "escalation"),
                        notes: fields.optionalString(item, "notes"), location: item.location
                    ))
            }
        }
        return (OwnersRegistry(file: file, people: people), fields.errors)
    }

    /// Finds someone by id, email (any case) or name (any case).
    public func resolve(_ reference: String) -> Person? {
        let lower = reference.lowercased()
        return people.first { $0.id == reference }
            ?? people.first { $0.email?.lowercased() == lower }
            ?? people.first { $0.name?.lowercased() == lower }
    }

    /// The contract's owner (from its `owner`, enriched from the registry) and every role.
    public func roles(for contract: Contract) -> [ResolvedRole] {
        var resolved: [ResolvedRole] = []
        if let owner = contract.owner {
            let found = owner.email.flatMap(resolve) ?? owner.name.flatMap(resolve)
            let channel = contract.support.first
            let person =
                found
                ?? Person(
                    id: owner.email ?? owner.name ?? "owner", kind: .team, name: owner.name, email: owner.email,
                    channel: channel?.channel, tool: channel?.tool
                )
            resolved.append(
                ResolvedRole(
                    role: .owner, reference: owner.email ?? owner.name ?? "", person: person,
                    location: contract.ownerLocation))
        }
        for role in contract.roles {
            resolved.append(
                ResolvedRole(
                    role: role.role, reference: role.reference, person: resolve(role.reference), location: role.location
                ))
        }
        return resolved
    }

    /// The team a person belongs to, if the registry has it.
    public func team(of person: Person) -> Person? {
        guard let team = person.team else { return nil }
        return people.first { $0.kind == .team && ($0.id == team || $0.name == team) }
    }

    /// How else to reach a person, as the owner card says it everywhere (`owners`, the
    /// dashboard): `team Data Engineering`, `#data-eng (slack)`, `escalation: PagerDuty: …`.
    public func contactDetails(_ person: Person) -> [String] {
        var details: [String] = []
        if let team = team(of: person)?.name ?? person.team { details.append("team \(team)") }
        if let channel = person.channel { details.append(channel + (person.tool.map { " (\($0))" } ?? "")) }
        if let escalation = person.escalation { details.append("escalation: \(escalation)") }
        return details
    }
}
