/// Resolves theme names to themes. Pure: file contents are handed in.
public struct ThemeCatalog: Sendable {
    /// Built-in theme name → YAML text.
    public let builtIns: [String: String]

    public init(builtIns: [String: String]) {
        self.builtIns = builtIns
    }

    /// A built-in theme, with its `base:` chain resolved.
    public func builtIn(_ name: String) -> Theme? {
        resolve(name, depth: 0)
    }

    private func resolve(_ name: String, depth: Int) -> Theme? {
        guard depth < 8, let yaml = builtIns[name] else { return nil }
        return Theme.parse(yaml, name: name, base: { self.resolve($0, depth: depth + 1) }).0
    }

    /// A user theme file: starts from its `base:` (default: `default`) and overrides what it names.
    public func parse(_ yaml: String, name: String) -> (Theme, [String]) {
        Theme.parse(yaml, name: name, base: { self.builtIn($0) })
    }

    public var monochrome: Theme { builtIn("monochrome") ?? Theme(name: "monochrome", styles: [:]) }
}
