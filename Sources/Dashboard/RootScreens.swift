/// The root screens, in tab order.
public enum ScreenID: String, CaseIterable, Sendable, Hashable {
    case contracts, tables, violations, owners, changes, migrations, notices
}

/// One root screen: its name, how `:` reaches it, and the keys its footer offers. The tabs,
/// the number keys, the `:` commands and their completion, the help and the footers are all
/// generated from `RootScreen.all`; no screen name is written anywhere else.
public struct RootScreen: Sendable {
    public var id: ScreenID
    public var name: String
    /// What the screen shows, for help.
    public var summary: String
    /// `:` words that open it (the first is the one completion offers).
    public var commands: [String]
    public var route: Route
    /// Footer hints on this screen, most useful first (labels come from the key map).
    public var hints: [(command: Command, text: String)]

    public static let all: [RootScreen] = [
        RootScreen(
            id: .contracts, name: "Contracts", summary: "every contract file and whether it holds",
            commands: ["contracts", "contract", "c"], route: .contracts,
            hints: [(.open, "open"), (.find, "filter"), (.sortNext, "sort"), (.copy, "copy email")]),
        RootScreen(
            id: .tables, name: "Tables", summary: "the live catalog, contracted or not",
            commands: ["tables", "table", "t"], route: .tables,
            hints: [(.open, "open"), (.find, "filter"), (.sortNext, "sort"), (.pollNow, "reread")]),
        RootScreen(
            id: .violations, name: "Violations", summary: "every finding, newest marked ●",
            commands: ["violations", "violation", "v"], route: .violations,
            hints: [
                (.open, "diff"), (.find, "filter"), (.toggleResolved, "resolved"), (.copyMessage, "message"),
                (.previewMigration, "preview"),
            ]),
        RootScreen(
            id: .owners, name: "Owners", summary: "everyone a contract names, with their open findings",
            commands: ["owners", "owner", "o"], route: .owners,
            hints: [(.open, "open"), (.find, "filter"), (.copy, "copy email")]),
        RootScreen(
            id: .changes, name: "Changes", summary: "catalog changes seen while watching",
            commands: ["changes", "change", "ch"], route: .changes,
            hints: [(.open, "open"), (.find, "filter")]),
        RootScreen(
            id: .migrations, name: "Migrations",
            summary: "the pending files of --migrations DIR: what each would break and do, on every save",
            commands: ["migrations", "migration", "m"], route: .migrations,
            hints: [(.open, "statements"), (.find, "filter"), (.pollNow, "rerun")]),
        RootScreen(
            id: .notices, name: "Notices", summary: "what is worth knowing but not a violation",
            commands: ["notices", "notice", "n"], route: .notices,
            hints: [(.open, "open"), (.find, "filter")]),
    ]

    public static func screen(_ id: ScreenID) -> RootScreen {
        all.first { $0.id == id } ?? all[0]
    }

    /// Footer hints on every detail screen.
    public static let detailHints: [(command: Command, text: String)] = [
        (.moveDown, "scroll"), (.find, "search"), (.open, "open"), (.back, "back"), (.copy, "copy email"),
    ]

    /// Every `:` word: the screens' and the rest.
    public static var commandWords: [String] {
        all.map { $0.commands[0] } + ["quit", "help", "mouse", "export", "hints"]
    }
}
