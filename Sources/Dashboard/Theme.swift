import Contracts
import Foundation

/// Semantic colour roles: what a piece of the screen *is*, not what colour it has.
public enum Role: String, Sendable, Hashable, CaseIterable {
    case background = "background"
    case title = "app.title"
    case tabActive = "tabs.active"
    case tabInactive = "tabs.inactive"
    case breadcrumbs = "breadcrumbs"
    case tableHeader = "table.header"
    case row = "list.row"
    case selected = "list.selected"
    case dim = "list.dim"
    case new = "list.new"
    case statusBar = "status.bar"
    case statusOK = "status.ok"
    case statusWarning = "status.warning"
    case statusError = "status.error"
    case paused = "status.paused"
    case violationError = "violation.error"
    case violationWarning = "violation.warning"
    case contractOK = "contract.ok"
    case contractViolated = "contract.violated"
    case contractInvalid = "contract.invalid"
    case diffHeader = "diff.header"
    case diffAdded = "diff.added"
    case diffRemoved = "diff.removed"
    case diffContext = "diff.context"
    case label = "detail.label"
    case value = "detail.value"
    case helpBorder = "help.border"
    case helpTitle = "help.title"
    case helpKey = "help.key"
    case helpText = "help.text"
    case footerHint = "footer.hint"
    case footerKey = "footer.key"
    case prompt = "input.prompt"
    case flashInfo = "flash.info"
    case flashError = "flash.error"
    /// Matches of the search inside a detail.
    case searchMatch = "search.match"
}

/// A colour as a theme writes it; `resolved(colors:)` maps it down to what the terminal has.
public enum ThemeColor: Sendable, Hashable {
    case terminalDefault
    /// The 16 ANSI colours: 0–7 normal, 8–15 bright.
    case ansi(Int)
    /// xterm-256 index.
    case indexed(Int)
    case rgb(Int, Int, Int)

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// `default`, an ANSI name (`red`, `bright-blue`), `colorN`, or `#RRGGBB`.
    public init?(parsing text: String) {
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        if lower == "default" || lower == "none" {
            self = .terminalDefault
            return
        }
        if let index = Self.names.firstIndex(of: lower) {
            self = .ansi(index)
            return
        }
        for prefix in ["bright-", "bright_", "bright"] where lower.hasPrefix(prefix) {
            if let index = Self.names.firstIndex(of: String(lower.dropFirst(prefix.count))) {
                self = .ansi(index + 8)
                return
            }
        }
        if lower == "gray" || lower == "grey" {
            self = .ansi(8)
            return
        }
        if lower.hasPrefix("color"), let n = Int(lower.dropFirst(5)), (0...255).contains(n) {
            self = n < 16 ? .ansi(n) : .indexed(n)
            return
        }
        if lower.hasPrefix("#"), lower.count == 7, let value = Int(lower.dropFirst(), radix: 16) {
            self = .rgb((value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF)
            return
        }
        return nil
    }

    /// The colour number to use on a terminal with `colors` colours (-1: terminal default).
    public func resolved(colors: Int) -> Int {
        switch self {
        case .terminalDefault:
            return -1
        case .ansi(let n):
            if colors >= 16 { return n }
            return colors >= 8 ? n % 8 : -1
        case .indexed(let n):
            if colors >= 256 { return n }
            return Self.nearest(Self.rgbOf(index: n), among: colors >= 16 ? 16 : (colors >= 8 ? 8 : 0))
        case .rgb(let r, let g, let b):
            if colors >= 256 { return Self.xterm256(r, g, b) }
            return Self.nearest((r, g, b), among: colors >= 16 ? 16 : (colors >= 8 ? 8 : 0))
        }
    }

    static let ansiRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
        (255, 255, 255),
    ]
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    static func rgbOf(index n: Int) -> (Int, Int, Int) {
        if n < 16 { return ansiRGB[n] }
        if n >= 232 {
            let level = 8 + (n - 232) * 10
            return (level, level, level)
        }
        let i = n - 16
        return (cubeLevels[i / 36], cubeLevels[(i / 6) % 6], cubeLevels[i % 6])
    }

    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0
        let dg = a.1 - b.1
        let db = a.2 - b.2
        return dr * dr * 3 + dg * dg * 4 + db * db * 2
    }

    static func nearest(_ color: (Int, Int, Int), among count: Int) -> Int {
        guard count > 0 else { return -1 }
        return (0..<count).min { distance(ansiRGB[$0], color) < distance(ansiRGB[$1], color) } ?? -1
    }

    static func xterm256(_ r: Int, _ g: Int, _ b: Int) -> Int {
        func level(_ v: Int) -> Int {
            cubeLevels.indices.min { abs(cubeLevels[$0] - v) < abs(cubeLevels[$1] - v) } ?? 0
        }
        let cube = 16 + 36 * level(r) + 6 * level(g) + level(b)
        let gray = 232 + min(23, max(0, (((r + g + b) / 3) - 8) / 10))
        return distance(rgbOf(index: cube), (r, g, b)) <= distance(rgbOf(index: gray), (r, g, b)) ? cube : gray
    }
}

public struct Attributes: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1)
    public static let reverse = Attributes(rawValue: 2)
    public static let underline = Attributes(rawValue: 4)
    public static let dim = Attributes(rawValue: 8)

    static let names: [(String, Attributes)] = [
        ("bold", .bold), ("reverse", .reverse), ("underline", .underline), ("dim", .dim),
    ]
}

public struct Style: Sendable, Hashable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: Attributes

    public init(
        foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
        attributes: Attributes = []
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// A complete role → style map.
public struct Theme: Sendable, Hashable {
    public var name: String
    public var styles: [Role: Style]

    public func style(_ role: Role) -> Style { styles[role] ?? Style() }

    /// Reads a theme file. `base: NAME` (default `default`) names the theme it starts from; every
    /// role the file names overrides the base, the rest is inherited. Problems are warnings, not
    /// errors: an unknown role or colour is reported (with the valid choices) and skipped.
    public static func parse(_ yaml: String, name: String, base: (String) -> Theme?) -> (Theme, [String]) {
        var warnings: [String] = []
        let root: PositionedJSON
        do {
            // The contracts' YAML reader: bounded (a theme "YAML bomb" once hung the start).
            root = try PositionedJSON.parseYAML(yaml)
        } catch {
            return (
                base("default") ?? Theme(name: name, styles: [:]),
                [
                    "theme \(name): not valid YAML (\(error.location.line):\(error.location.column): "
                        + "\(error.message)); using the default theme"
                ]
            )
        }
        guard let members = root.members else {
            return (
                base("default") ?? Theme(name: name, styles: [:]),
                ["theme \(name): expected a mapping of roles to styles; using the default theme"]
            )
        }
        func text(_ node: PositionedJSON) -> String? {
            switch node.value {
            case .string(let text), .number(let text): text
            default: nil
            }
        }
        var theme = Theme(name: name, styles: [:])
        if let baseNode = root["base"], let baseName = text(baseNode) {
            if baseName == "none" {
                theme.styles = [:]
            } else if let found = base(baseName) {
                theme.styles = found.styles
            } else {
                warnings.append("theme \(name): unknown base theme \"\(baseName)\"")
            }
        } else if name != "default", let found = base("default") {
            theme.styles = found.styles
        }
        for member in members.sorted(by: { $0.key < $1.key }) where member.key != "base" && member.key != "name" {
            let key = member.key
            guard let role = Role(rawValue: key) else {
                warnings.append(
                    "theme \(name): unknown role \"\(key)\"; valid roles: "
                        + Role.allCases.map(\.rawValue).joined(separator: ", "))
                continue
            }
            guard let spec = member.value.members else {
                warnings.append(
                    "theme \(name): role \"\(key)\" must be a mapping like {fg: white, bg: blue, attrs: [bold]}")
                continue
            }
            var style = Style()
            for field in spec {
                let value = field.value
                switch field.key {
                case "fg", "bg":
                    // A bare number is a palette index (`fg: 208` is color208).
                    let written = text(value) ?? ""
                    let spelled = if case .number = value.value { "color" + written } else { written }
                    guard let color = ThemeColor(parsing: spelled) else {
                        warnings.append(
                            "theme \(name): \(key).\(field.key): unknown colour \"\(written)\"; use default, an "
                                + "ANSI name (red, bright-blue), colorN or #RRGGBB"
                        )
                        continue
                    }
                    if field.key == "fg" { style.foreground = color } else { style.background = color }
                case "attrs":
                    let names: [String] =
                        if case .array(let items) = value.value { items.compactMap(text) } else {
                            text(value).map { [$0] } ?? []
                        }
                    for attribute in names {
                        if let match = Attributes.names.first(where: { $0.0 == attribute.lowercased() }) {
                            style.attributes.insert(match.1)
                        } else {
                            warnings.append(
                                "theme \(name): \(key).attrs: unknown attribute \"\(attribute)\"; use bold, "
                                    + "reverse, underline, dim"
                            )
                        }
                    }
                default:
                    warnings.append("theme \(name): \(key): unknown field \"\(field.key)\"; use fg, bg, attrs")
                }
            }
            theme.styles[role] = style
        }
        return (theme, warnings)
    }
}
