/// A decoded key press.
public enum Key: Hashable, Sendable {
    case character(Character)
    case control(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, backspace, tab, resize
}

/// What a key does. The help overlay is generated from `KeyMap.bindings`.
public enum Command: Hashable, Sendable {
    case moveUp, moveDown, top, bottom, pageUp, pageDown
    case open, back
    case show(Route)
    case filter, sortNext, sortReverse, commandLine, toggleResolved
    case help, pollNow, intervalUp, intervalDown, pause, copy, copyMessage, previewMigration, clearPreview, quit
}

public struct KeyBinding: Sendable {
    public var keys: [Key]
    /// How the keys are written in help (`j ↓`).
    public var label: String
    public var description: String
    public var group: String
    public var command: Command
}

public enum KeyMap {
    public static let bindings: [KeyBinding] = [
        KeyBinding(
            keys: [.character("j"), .down], label: "j ↓", description: "move down", group: "Move", command: .moveDown),
        KeyBinding(
            keys: [.character("k"), .up], label: "k ↑", description: "move up", group: "Move", command: .moveUp),
        KeyBinding(
            keys: [.character("g"), .home], label: "g Home", description: "first row", group: "Move", command: .top),
        KeyBinding(
            keys: [.character("G"), .end], label: "G End", description: "last row", group: "Move", command: .bottom),
        KeyBinding(
            keys: [.pageDown, .control("f"), .control("d")], label: "PgDn ^F", description: "page down", group: "Move",
            command: .pageDown),
        KeyBinding(
            keys: [.pageUp, .control("b"), .control("u")], label: "PgUp ^B", description: "page up", group: "Move",
            command: .pageUp),
        KeyBinding(
            keys: [.enter, .right, .character("l")], label: "Enter", description: "open the selected item",
            group: "Move", command: .open),
        KeyBinding(
            keys: [.escape, .left, .character("h")], label: "Esc", description: "back / clear the filter",
            group: "Move", command: .back),
        KeyBinding(
            keys: [.character("1")], label: "1", description: "Contracts", group: "Screens",
            command: .show(.contracts)),
        KeyBinding(
            keys: [.character("2")], label: "2", description: "Tables (live catalog)", group: "Screens",
            command: .show(.tables)),
        KeyBinding(
            keys: [.character("3")], label: "3", description: "Violations", group: "Screens",
            command: .show(.violations)),
        KeyBinding(
            keys: [.character("4")], label: "4", description: "Owners", group: "Screens", command: .show(.owners)),
        KeyBinding(
            keys: [.character("5")], label: "5", description: "Changes (catalog change feed)", group: "Screens",
            command: .show(.changes)),
        KeyBinding(
            keys: [.character(":")], label: ":", description: "jump (:violations, :q…)", group: "Screens",
            command: .commandLine),
        KeyBinding(
            keys: [.character("/")], label: "/", description: "filter (smart case)", group: "Find", command: .filter),
        KeyBinding(
            keys: [.character("s")], label: "s", description: "sort by the next column", group: "Find",
            command: .sortNext),
        KeyBinding(
            keys: [.character("S")], label: "S", description: "reverse the sort", group: "Find", command: .sortReverse),
        KeyBinding(
            keys: [.character("r")], label: "r", description: "show resolved findings too", group: "Find",
            command: .toggleResolved),
        KeyBinding(
            keys: [.character("R"), .control("r")], label: "R", description: "poll now", group: "Watch",
            command: .pollNow),
        KeyBinding(
            keys: [.character("p")], label: "p", description: "preview a migration file", group: "Watch",
            command: .previewMigration),
        KeyBinding(
            keys: [.character("P")], label: "P", description: "clear the preview", group: "Watch",
            command: .clearPreview),
        KeyBinding(
            keys: [.character("+"), .character("=")], label: "+", description: "poll less often", group: "Watch",
            command: .intervalUp),
        KeyBinding(
            keys: [.character("-")], label: "-", description: "poll more often", group: "Watch",
            command: .intervalDown),
        KeyBinding(
            keys: [.character(" ")], label: "space", description: "pause / resume polling", group: "Watch",
            command: .pause),
        KeyBinding(
            keys: [.character("y")], label: "y", description: "copy the owner's email", group: "Act", command: .copy),
        KeyBinding(
            keys: [.character("m")], label: "m", description: "copy a message to the owners", group: "Act",
            command: .copyMessage),
        KeyBinding(keys: [.character("?")], label: "?", description: "this help", group: "Act", command: .help),
        KeyBinding(
            keys: [.character("q"), .control("c")], label: "q", description: "quit", group: "Act", command: .quit),
    ]

    static let lookup: [Key: Command] = {
        var map: [Key: Command] = [:]
        for binding in bindings {
            for key in binding.keys { map[key] = binding.command }
        }
        return map
    }()

    public static func command(for key: Key) -> Command? { lookup[key] }

    /// Poll intervals `+`/`-` step through.
    public static let intervals: [Double] = [0.5, 1, 2, 5, 10, 30, 60, 300]
}
