import Contracts

/// `$XDG_CONFIG_HOME/contractwatch/config.yaml`: connection profiles, the default contracts
/// folder, theme, interval, mouse, notifications and key bindings. Command-line flags win over
/// it. Pure: the executable reads the file and hands the text here.
///
///     profile: local                 # the profile used when --profile is not given
///     profiles:
///       local:   {dsn: "host=/tmp dbname=app", contracts: ./contracts}
///       staging: {dsn: "service=staging", contracts: ~/src/app/contracts}
///     theme: light
///     interval: 5
///     mouse: true
///     notify: bell                   # off, bell, osc9, osc777
///     cursor: visible                # the terminal cursor shows on the selected row
///     hints: false                   # no key hints in the footer (`:hints` toggles them)
///     borders: ascii                 # + - | instead of box-drawing characters
///     keys:
///       quit: [q, ctrl-c]
///       pause: <disabled>
///
/// Passwords do not belong here: libpq reads them from `~/.pgpass` or a service file.
public struct UserConfig: Sendable, Hashable {
    public struct Profile: Sendable, Hashable {
        public var dsn: String?
        public var contracts: String?
    }

    public var profiles: [String: Profile] = [:]
    public var profile: String?
    public var contracts: String?
    /// The migrations folder the Migrations screen watches.
    public var migrations: String?
    public var theme: String?
    public var interval: Double?
    public var mouse: Bool?
    public var notify: NotifyStyle?
    public var showCursor: Bool?
    public var showHints: Bool?
    public var asciiBorders: Bool?
    public var keys: [(command: String, keys: [String])] = []

    public init() {}

    public static func == (lhs: UserConfig, rhs: UserConfig) -> Bool {
        lhs.profiles == rhs.profiles && lhs.profile == rhs.profile && lhs.contracts == rhs.contracts
            && lhs.migrations == rhs.migrations && lhs.theme == rhs.theme && lhs.interval == rhs.interval
            && lhs.mouse == rhs.mouse
            && lhs.notify == rhs.notify && lhs.showCursor == rhs.showCursor && lhs.showHints == rhs.showHints
            && lhs.asciiBorders == rhs.asciiBorders
            && lhs.keys.map { "\($0.command)=\($0.keys)" } == rhs.keys.map { "\($0.command)=\($0.keys)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(profile)
        hasher.combine(contracts)
    }

    /// Reads the file's text. Problems are warnings with line:column (an unknown key, a wrong
    /// type): the rest of the file still applies, and the dashboard still starts.
    public static func parse(_ yaml: String, file: String = "config.yaml") -> (UserConfig, [String]) {
        var config = UserConfig()
        var warnings: [String] = []
        // An empty file (or only comments) is no settings, not a problem.
        let meaningful = yaml.split(separator: "\n").contains {
            let line = $0.trimmingCharacters(in: .whitespaces)
            return !line.isEmpty && !line.hasPrefix("#")
        }
        guard meaningful else { return (config, []) }
        let root: PositionedJSON
        do {
            root = try PositionedJSON.parseYAML(yaml)
        } catch {
            return (config, ["\(file):\(error.location.line):\(error.location.column): \(error.message); file ignored"])
        }
        if case .null = root.value { return (config, []) }
        guard let members = root.members else {
            return (config, ["\(file):\(root.location): expected a mapping of settings; file ignored"])
        }
        func warn(_ node: PositionedJSON, _ message: String) { warnings.append("\(file):\(node.location): \(message)") }
        func string(_ node: PositionedJSON, _ key: String) -> String? {
            switch node.value {
            case .string(let text): return text
            case .number(let text): return text
            default:
                warn(node, "\(key) must be text, found \(node.kindName)")
                return nil
            }
        }
        func bool(_ node: PositionedJSON, _ key: String) -> Bool? {
            if case .bool(let value) = node.value { return value }
            if case .string(let text) = node.value, ["on", "yes", "true"].contains(text.lowercased()) { return true }
            if case .string(let text) = node.value, ["off", "no", "false"].contains(text.lowercased()) { return false }
            warn(node, "\(key) must be true or false, found \(node.kindName)")
            return nil
        }
        for member in members {
            let node = member.value
            switch member.key {
            case "profile": config.profile = string(node, "profile")
            case "contracts": config.contracts = string(node, "contracts")
            case "migrations": config.migrations = string(node, "migrations")
            case "theme": config.theme = string(node, "theme")
            case "interval":
                if case .number(let text) = node.value, let seconds = Double(text), seconds > 0 {
                    config.interval = seconds
                } else {
                    warn(node, "interval must be a number of seconds")
                }
            case "mouse": config.mouse = bool(node, "mouse")
            case "hints": config.showHints = bool(node, "hints")
            case "borders":
                if let text = string(node, "borders") {
                    config.asciiBorders = text == "ascii"
                    if text != "ascii" && text != "lines" { warn(node, "borders must be lines or ascii") }
                }
            case "notify":
                if let text = string(node, "notify") {
                    if let style = NotifyStyle(rawValue: text.lowercased()) {
                        config.notify = style
                    } else {
                        let choices = NotifyStyle.allCases.map(\.rawValue).joined(separator: ", ")
                        warn(node, "notify must be one of \(choices), found \"\(text)\"")
                    }
                }
            case "cursor":
                if let text = string(node, "cursor") {
                    config.showCursor = text == "visible"
                    if text != "visible" && text != "hidden" { warn(node, "cursor must be visible or hidden") }
                }
            case "profiles":
                guard let entries = node.members else {
                    warn(node, "profiles must be a mapping of name to {dsn, contracts}")
                    continue
                }
                for entry in entries {
                    guard let fields = entry.value.members else {
                        warn(entry.value, "profile \(entry.key) must be a mapping like {dsn: \"service=app\"}")
                        continue
                    }
                    var profile = Profile()
                    for field in fields {
                        switch field.key {
                        case "dsn": profile.dsn = string(field.value, "dsn")
                        case "contracts": profile.contracts = string(field.value, "contracts")
                        default:
                            warn(field.value, "profile \(entry.key): unknown key \"\(field.key)\" (dsn, contracts)")
                        }
                    }
                    config.profiles[entry.key] = profile
                }
            case "keys":
                guard let entries = node.members else {
                    warn(node, "keys must be a mapping of command to keys, e.g. {quit: [q, ctrl-c]}")
                    continue
                }
                for entry in entries {
                    switch entry.value.value {
                    case .string(let key): config.keys.append((entry.key, [key]))
                    case .array(let items):
                        config.keys.append((entry.key, items.compactMap { string($0, "keys.\(entry.key)") }))
                    default: warn(entry.value, "keys.\(entry.key) must be a key or a list of keys")
                    }
                }
            default:
                let known =
                    "profile, profiles, contracts, migrations, theme, interval, mouse, notify, cursor, hints, borders, "
                    + "keys"
                warnings.append("\(file):\(member.keyLocation): unknown setting \"\(member.key)\" (settings: \(known))")
            }
        }
        if let name = config.profile, config.profiles[name] == nil {
            warnings.append("\(file): profile \"\(name)\" is not among profiles")
        }
        return (config, warnings)
    }
}
