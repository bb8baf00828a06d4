/// A decoded key press or mouse event.
public enum Key: Hashable, Sendable {
    case character(Character)
    case control(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, backspace, delete, tab, backTab, resize
    case mouse(MouseEvent)
}

/// A mouse event in screen cells (only delivered while the mouse is on: `M` or the config).
public struct MouseEvent: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        case click
        case doubleClick
        case wheelUp
        case wheelDown
    }

    public var x: Int
    public var y: Int
    public var action: Action

    public init(x: Int, y: Int, action: Action) {
        self.x = x
        self.y = y
        self.action = action
    }
}

/// What a key does. Each has a stable name (`KeyMap` config files rebind by it).
public enum Command: Hashable, Sendable {
    case moveUp, moveDown, top, bottom, pageUp, pageDown
    case open, back, scrollLeft, scrollRight, inspect
    case show(ScreenID)
    case nextScreen, previousScreen
    /// `/`: filters a list, searches a detail.
    case find
    case nextMatch, previousMatch
    case sortNext, sortReverse, sortLeft, sortRight
    case commandLine, toggleResolved
    case help, pollNow, intervalUp, intervalDown, pause, copy, copyRow, copyMessage, previewMigration, clearPreview
    case export, toggleMouse, quit

    /// The name a config file uses (`keys: {quit: [q, ctrl-c]}`).
    public var name: String {
        switch self {
        case .moveUp: "move_up"
        case .moveDown: "move_down"
        case .top: "top"
        case .bottom: "bottom"
        case .pageUp: "page_up"
        case .pageDown: "page_down"
        case .open: "open"
        case .back: "back"
        case .scrollLeft: "scroll_left"
        case .scrollRight: "scroll_right"
        case .inspect: "inspect"
        case .show(let screen): "screen_" + screen.rawValue
        case .nextScreen: "next_screen"
        case .previousScreen: "previous_screen"
        case .find: "find"
        case .nextMatch: "next_match"
        case .previousMatch: "previous_match"
        case .sortNext: "sort_next"
        case .sortReverse: "sort_reverse"
        case .sortLeft: "sort_left"
        case .sortRight: "sort_right"
        case .commandLine: "command_line"
        case .toggleResolved: "toggle_resolved"
        case .help: "help"
        case .pollNow: "poll_now"
        case .intervalUp: "interval_up"
        case .intervalDown: "interval_down"
        case .pause: "pause"
        case .copy: "copy"
        case .copyRow: "copy_row"
        case .copyMessage: "copy_message"
        case .previewMigration: "preview"
        case .clearPreview: "clear_preview"
        case .export: "export"
        case .toggleMouse: "toggle_mouse"
        case .quit: "quit"
        }
    }
}

/// Where a binding acts: everywhere, or only on some screens (each screen owns its keys).
public enum KeyScope: Hashable, Sendable {
    case everywhere
    /// The root lists (Contracts, Tables…), not details.
    case lists
    /// Detail screens (a contract, a violation…).
    case details
    case screen(ScreenID)
}

public struct KeyBinding: Sendable, Hashable {
    public var keys: [Key]
    public var description: String
    public var group: String
    public var command: Command
    public var scope: KeyScope

    /// How the keys are written in help and hints (`j ↓`), from the keys themselves, so a
    /// rebinding shows as it is.
    public var label: String { keys.prefix(2).map(KeyMap.spell).joined(separator: " ") }
}

/// The key bindings: defaults, overridden by the config file's `keys:` (by command name).
/// Help, footer hints and tabs are generated from it, so a rebinding shows everywhere.
public struct KeyMap: Sendable {
    public private(set) var bindings: [KeyBinding]
    private var lookup: [Key: [Int]] = [:]

    public init(bindings: [KeyBinding]) {
        self.bindings = bindings
        rebuild()
    }

    private mutating func rebuild() {
        lookup = [:]
        for (index, binding) in bindings.enumerated() {
            for key in binding.keys { lookup[key, default: []].append(index) }
        }
    }

    /// The command `key` means on `screen` (a root list or a detail of one).
    public func command(for key: Key, on screen: ScreenID?, isDetail: Bool) -> Command? {
        for index in lookup[key] ?? [] {
            let binding = bindings[index]
            switch binding.scope {
            case .everywhere: return binding.command
            case .lists where !isDetail: return binding.command
            case .details where isDetail: return binding.command
            case .screen(let only) where only == screen && !isDetail: return binding.command
            default: continue
            }
        }
        return nil
    }

    public func binding(for command: Command) -> KeyBinding? { bindings.first { $0.command == command } }

    /// The first key of a command, as written in footer hints; nil when it has none (disabled).
    public func primaryKey(for command: Command) -> String? {
        binding(for: command)?.keys.first.map(Self.spell)
    }

    /// The label of a command's keys, or nil when it has none (disabled).
    public func label(for command: Command) -> String? {
        guard let binding = binding(for: command), !binding.keys.isEmpty else { return nil }
        return binding.label
    }

    /// Applies `{command_name: [key, …] | "<disabled>"}`; returns the warnings (unknown names
    /// and keys are reported and skipped, never fatal).
    public mutating func apply(overrides: [(command: String, keys: [String])]) -> [String] {
        var warnings: [String] = []
        for (name, spelled) in overrides {
            let targets = bindings.indices.filter { bindings[$0].command.name == name }
            guard !targets.isEmpty else {
                let known = Set(bindings.map(\.command.name)).sorted().joined(separator: ", ")
                warnings.append("keys: unknown command \"\(name)\" (commands: \(known))")
                continue
            }
            if spelled == ["<disabled>"] {
                for index in targets { bindings[index].keys = [] }
                continue
            }
            var keys: [Key] = []
            for text in spelled {
                if let key = Self.parse(text) {
                    keys.append(key)
                } else {
                    warnings.append("keys: \(name): unknown key \"\(text)\"")
                }
            }
            guard !keys.isEmpty else { continue }
            // A key moved to this command leaves the other commands.
            for other in bindings.indices where !targets.contains(other) {
                bindings[other].keys.removeAll { keys.contains($0) }
            }
            for index in targets { bindings[index].keys = keys }
        }
        rebuild()
        return warnings
    }

    static let names: [(String, Key)] = [
        ("up", .up), ("down", .down), ("left", .left), ("right", .right), ("pgup", .pageUp), ("pgdn", .pageDown),
        ("home", .home), ("end", .end), ("enter", .enter), ("esc", .escape), ("backspace", .backspace),
        ("delete", .delete), ("tab", .tab), ("backtab", .backTab), ("space", .character(" ")),
    ]

    /// `j`, `G`, `ctrl-r`, `up`, `pgdn`, `space`, `backtab`…
    public static func parse(_ text: String) -> Key? {
        let lowered = text.lowercased()
        if let named = names.first(where: { $0.0 == lowered }) { return named.1 }
        if lowered.hasPrefix("ctrl-"), lowered.count == 6, let last = lowered.last, last.isLetter {
            return .control(last)
        }
        if text.count == 1, let character = text.first { return .character(character) }
        return nil
    }

    /// How a key is written for people.
    public static func spell(_ key: Key) -> String {
        switch key {
        case .character(" "): "space"
        case .character(let character): String(character)
        case .control(let character): "^" + character.uppercased()
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Bksp"
        case .delete: "Del"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .resize: "resize"
        case .mouse: "mouse"
        }
    }

    /// Poll intervals `+`/`-` step through.
    public static let intervals: [Double] = [0.5, 1, 2, 5, 10, 30, 60, 300]

    public static let standard = KeyMap(bindings: defaultBindings)

    static var defaultBindings: [KeyBinding] {
        func bind(
            _ keys: [Key], _ description: String, _ group: String, _ command: Command, _ scope: KeyScope = .everywhere
        )
            -> KeyBinding
        {
            KeyBinding(keys: keys, description: description, group: group, command: command, scope: scope)
        }
        var list: [KeyBinding] = [
            bind([.character("j"), .down], "move down (in a detail: scroll)", "Move", .moveDown),
            bind([.character("k"), .up], "move up", "Move", .moveUp),
            bind([.character("g"), .home], "first row / top", "Move", .top),
            bind([.character("G"), .end], "last row / bottom", "Move", .bottom),
            bind([.pageDown, .control("f"), .control("d")], "page down", "Move", .pageDown),
            bind([.pageUp, .control("b"), .control("u")], "page up", "Move", .pageUp),
            bind([.enter, .character("l")], "open the selected row", "Move", .open),
            bind([.escape, .character("h"), .backspace], "back (and clear the filter)", "Move", .back),
            bind([.left], "scroll the columns left", "Move", .scrollLeft),
            bind([.right], "scroll the columns right (hidden columns)", "Move", .scrollRight),
            bind([.character("i")], "show the selected row in full", "Move", .inspect),
        ]
        for (index, screen) in RootScreen.all.enumerated() {
            list.append(bind([.character(Character(String(index + 1)))], screen.name, "Screens", .show(screen.id)))
        }
        list += [
            bind([.tab], "next screen", "Screens", .nextScreen),
            bind([.backTab], "previous screen", "Screens", .previousScreen),
            bind([.character(":")], "go to a screen by name (:violations, :q)", "Screens", .commandLine),
            bind([.character("/")], "filter the list (smart case)", "Find", .find, .lists),
            bind([.character("/")], "search this detail", "Find", .find, .details),
            bind([.character("n")], "next match", "Find", .nextMatch, .details),
            bind([.character("N")], "previous match", "Find", .previousMatch, .details),
            bind([.character("s")], "sort by the next column", "Find", .sortNext, .lists),
            bind([.character("S")], "reverse the sort", "Find", .sortReverse, .lists),
            bind([.character("<")], "sort by the column to the left", "Find", .sortLeft, .lists),
            bind([.character(">")], "sort by the column to the right", "Find", .sortRight, .lists),
            bind([.character("r")], "show resolved findings too", "Violations", .toggleResolved, .screen(.violations)),
            bind([.character("m")], "copy a message to the owners", "Violations", .copyMessage),
            bind([.character("p")], "preview a migration file", "Violations", .previewMigration),
            bind([.character("P")], "clear the preview", "Violations", .clearPreview),
            bind([.character("R"), .control("r")], "poll now (and retry a lost server)", "Watch", .pollNow),
            bind([.character("+"), .character("=")], "poll less often", "Watch", .intervalUp),
            bind([.character("-")], "poll more often", "Watch", .intervalDown),
            bind([.character(" ")], "pause / resume polling", "Watch", .pause),
            bind([.character("y")], "copy the owner's email", "Act", .copy),
            bind([.character("c")], "copy the selected row (in a detail: the whole page)", "Act", .copyRow),
            bind([.character("e")], "export this view to a file (text or .csv)", "Act", .export),
            bind([.character("M")], "mouse on / off (off: the terminal selects text)", "Act", .toggleMouse),
            bind([.character("?")], "this help", "Act", .help),
            bind([.character("q"), .control("c")], "quit", "Act", .quit),
        ]
        return list
    }
}
