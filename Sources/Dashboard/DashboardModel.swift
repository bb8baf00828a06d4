import Checks
import Foundation
import WatchModel

/// What the dashboard asks its host to do.
public enum Effect: Hashable, Sendable {
    case quit
    case pollNow
    case setPaused(Bool)
    case setInterval(Double)
    /// Copy to the clipboard (the terminal layer sends OSC 52).
    case copy(String)
    /// Preview a migration file (run in a transaction and rolled back).
    case preview(String)
    case clearPreview
}

/// Selection, scroll, filter and sort of one screen. Selection is kept by row identity.
public struct ListState: Sendable, Hashable {
    public var selectedID: String?
    public var selectedIndex = 0
    public var scroll = 0
    public var filter = ""
    /// nil: the screen's natural order.
    public var sortColumn: Int?
    public var sortReversed = false
}

/// The rows a screen shows right now: filtered, sorted, with the selection resolved.
public struct VisibleContent: Sendable {
    public var content: ScreenContent
    public var rows: [ContentRow]
    public var selectedIndex: Int
    public var totalRows: Int
    /// Natural column widths (header and a sample of rows), measured once per content change.
    public var naturalWidths: [Int]
}

/// The whole UI state. Pure: keys and statuses in, effects out; the renderer draws it.
public struct DashboardModel: Sendable {
    public enum Mode: Sendable, Hashable {
        case normal
        case filter
        case command(String)
        /// Typing the path of a migration file to preview.
        case previewPrompt(String)
        case help
    }

    public struct Flash: Sendable, Hashable {
        public var text: String
        public var isError: Bool
        public var until: Date
    }

    public private(set) var stack: [Route] = [.contracts]
    public private(set) var lists: [Route: ListState] = [:]
    public private(set) var mode: Mode = .normal
    public private(set) var status: WatchStatus
    /// Counts for the tab and status bars, computed once per status (not per frame).
    public private(set) var summary: StatusSummary
    public private(set) var flash: Flash?
    /// The checker owns these (one source of truth): a key asks it to change them, and the
    /// screen shows them once it has published the change (within the same loop turn).
    public var paused: Bool { status.paused }
    public var interval: Double { status.interval }
    /// Extra lines for the help overlay and status bar (the demo's psql command).
    public var hints: [String]
    /// `r`: the Violations screen lists resolved findings from the history too.
    public private(set) var showResolved = false
    /// Body rows available in the last frame; PgUp/PgDn move by this much.
    public var pageSize = 10

    private var cache: (key: CacheKey, view: VisibleContent)?

    private struct CacheKey: Hashable {
        var contentVersion: Int
        /// "Open for" durations age while nothing changes: rebuild at most every 10 s for them.
        var ageBucket: Int
        var showResolved: Bool
        var route: Route
        var filter: String
        var sortColumn: Int?
        var sortReversed: Bool
    }

    public init(status: WatchStatus, hints: [String] = []) {
        self.status = status
        self.summary = StatusSummary(status)
        self.hints = hints
    }

    public var route: Route { stack.last ?? .contracts }

    /// Takes a newer status from the checker. The selection stays on the same item.
    public mutating func update(_ newStatus: WatchStatus) {
        guard newStatus.generation != status.generation else { return }
        let contentChanged = newStatus.contentVersion != status.contentVersion
        status = newStatus
        if contentChanged { summary = StatusSummary(newStatus) }
    }

    // MARK: - Visible content

    public mutating func visible() -> VisibleContent {
        var state = lists[route] ?? ListState()
        let key = CacheKey(
            contentVersion: status.contentVersion, ageBucket: Int((status.lastPollAt?.timeIntervalSince1970 ?? 0) / 10),
            showResolved: showResolved, route: route, filter: state.filter, sortColumn: state.sortColumn,
            sortReversed: state.sortReversed)
        var view: VisibleContent
        if let cache, cache.key == key {
            view = cache.view
        } else {
            let content = Screens(status: status, showResolved: showResolved).content(for: route)
            var rows = content.rows
            if !state.filter.isEmpty {
                rows = rows.filter { Self.matches($0.filterText, state.filter) }
            }
            if let column = state.sortColumn, column < content.columns.count {
                let indexed = rows.enumerated().map { ($0.offset, $0.element) }
                rows = indexed.sorted { a, b in
                    let left = a.1.cells.indices.contains(column) ? a.1.cells[column].sortKey : .text("")
                    let right = b.1.cells.indices.contains(column) ? b.1.cells[column].sortKey : .text("")
                    if left == right { return a.0 < b.0 } // stable
                    return state.sortReversed ? right < left : left < right
                }.map(\.1)
            } else if state.sortReversed {
                rows.reverse()
            }
            view = VisibleContent(
                content: content, rows: rows, selectedIndex: 0, totalRows: content.rows.count,
                naturalWidths: Renderer.naturalWidths(content.columns, rows: rows))
            cache = (key, view)
        }
        // Resolve the selection by identity; if that row is gone, stay at the same position.
        var index = state.selectedIndex
        if let id = state.selectedID,
            !(view.rows.indices.contains(index) && view.rows[index].id == id),
            let found = view.rows.firstIndex(where: { $0.id == id })
        {
            index = found // the row moved (a live update or a new sort): follow it
        }
        index = view.rows.isEmpty ? 0 : min(max(index, 0), view.rows.count - 1)
        state.selectedIndex = index
        state.selectedID = view.rows.isEmpty ? state.selectedID : view.rows[index].id
        lists[route] = state
        view.selectedIndex = index
        return view
    }

    /// Smart case: case-insensitive unless the filter has an upper-case letter.
    static func matches(_ text: String, _ filter: String) -> Bool {
        if filter.contains(where: \.isUppercase) { return text.contains(filter) }
        return text.localizedLowercase.contains(filter.localizedLowercase)
    }

    public func listState(_ route: Route) -> ListState { lists[route] ?? ListState() }

    /// Keeps the selected row inside the `height` rows shown; returns the first row to draw.
    public mutating func scrollOffset(height: Int, rows: Int) -> Int {
        var state = lists[route] ?? ListState()
        guard height > 0 else { return 0 }
        if state.selectedIndex < state.scroll { state.scroll = state.selectedIndex }
        if state.selectedIndex >= state.scroll + height { state.scroll = state.selectedIndex - height + 1 }
        state.scroll = max(0, min(state.scroll, max(0, rows - height)))
        lists[route] = state
        return state.scroll
    }

    // MARK: - Keys

    public mutating func handle(_ key: Key, now: Date = Date()) -> [Effect] {
        if let flash, flash.until < now { self.flash = nil }
        switch mode {
        case .help:
            if key == .escape || key == .character("?") || key == .character("q") || key == .enter { mode = .normal }
            if key == .control("c") { return [.quit] }
            return []
        case .filter:
            return handleFilter(key)
        case .command(let text):
            return handleCommandLine(key, text, now: now)
        case .previewPrompt(let text):
            switch key {
            case .escape: mode = .normal
            case .backspace: mode = .previewPrompt(String(text.dropLast()))
            case .character(let character): mode = .previewPrompt(text + String(character))
            case .control("c"): return [.quit]
            case .enter:
                mode = .normal
                let path = text.trimmingCharacters(in: .whitespaces)
                guard !path.isEmpty else { return [] }
                stack = [.violations]
                setFlash("previewing \(path): running it in a transaction that is rolled back…", now: now)
                return [.preview(path)]
            default: break
            }
            return []
        case .normal:
            guard let command = KeyMap.command(for: key) else { return [] }
            return perform(command, now: now)
        }
    }

    public mutating func perform(_ command: Command, now: Date = Date()) -> [Effect] {
        switch command {
        case .moveDown: move(by: 1)
        case .moveUp: move(by: -1)
        case .top: move(to: 0)
        case .bottom: move(to: Int.max)
        case .pageDown: move(by: max(1, pageSize - 1))
        case .pageUp: move(by: -max(1, pageSize - 1))
        case .open:
            let view = visible()
            if view.rows.indices.contains(view.selectedIndex), let target = view.rows[view.selectedIndex].target {
                stack.append(target)
            }
        case .back:
            var state = lists[route] ?? ListState()
            if !state.filter.isEmpty {
                state.filter = ""
                lists[route] = state
            } else if stack.count > 1 {
                stack.removeLast()
            }
        case .show(let root):
            stack = [root]
        case .filter:
            mode = .filter
        case .sortNext:
            let columns = visible().content.columns.count
            var state = lists[route] ?? ListState()
            if let current = state.sortColumn {
                state.sortColumn = current + 1 < columns ? current + 1 : nil
            } else {
                state.sortColumn = columns > 0 ? 0 : nil
            }
            lists[route] = state
        case .sortReverse:
            var state = lists[route] ?? ListState()
            state.sortReversed.toggle()
            lists[route] = state
        case .commandLine:
            mode = .command("")
        case .previewMigration:
            mode = .previewPrompt("")
        case .clearPreview:
            setFlash("preview cleared", now: now)
            return [.clearPreview]
        case .toggleResolved:
            showResolved.toggle()
            stack = [.violations]
            setFlash(
                showResolved ? "showing resolved findings from the history (r hides them)" : "hiding resolved findings",
                now: now)
        case .help:
            mode = .help
        case .pollNow:
            setFlash("polling now…", now: now)
            return [.pollNow]
        case .intervalUp, .intervalDown:
            let steps = KeyMap.intervals
            let current = steps.firstIndex { $0 >= interval } ?? (steps.count - 1)
            let next = steps[command == .intervalUp ? min(current + 1, steps.count - 1) : max(current - 1, 0)]
            setFlash("polling every \(Self.format(seconds: next))", now: now)
            return [.setInterval(next)]
        case .pause:
            setFlash(paused ? "resumed" : "paused: press space to resume", now: now)
            return [.setPaused(!paused)]
        case .copy:
            let view = visible()
            let fromRow = view.rows.indices.contains(view.selectedIndex) ? view.rows[view.selectedIndex].copyText : nil
            if let email = fromRow ?? view.content.copyText {
                setFlash("copied \(email) to the clipboard", now: now)
                return [.copy(email)]
            }
            setFlash("nothing to copy here: select a contract, violation or owner", isError: true, now: now)
        case .copyMessage:
            var id: ViolationID?
            if case .violation(let current) = route { id = current }
            if id == nil {
                let view = visible()
                if view.rows.indices.contains(view.selectedIndex),
                    case .violation(let selected)? = view.rows[view.selectedIndex].target
                {
                    id = selected
                }
            }
            if let id, let message = Screens(status: status).message(for: id) {
                setFlash(
                    "copied a message to the owners (\(message.split(separator: "\n").count) lines) to the clipboard",
                    now: now)
                return [.copy(message)]
            }
            setFlash("select a violation to write to its owners", isError: true, now: now)
        case .quit:
            return [.quit]
        }
        return []
    }

    private mutating func handleFilter(_ key: Key) -> [Effect] {
        var state = lists[route] ?? ListState()
        switch key {
        case .escape:
            state.filter = ""
            mode = .normal
        case .enter, .down, .up:
            mode = .normal
        case .backspace:
            if state.filter.isEmpty { mode = .normal } else { state.filter.removeLast() }
        case .character(let character):
            state.filter.append(character)
            state.selectedIndex = 0
            state.selectedID = nil
        case .control("c"):
            return [.quit]
        default:
            break
        }
        lists[route] = state
        return []
    }

    private mutating func handleCommandLine(_ key: Key, _ text: String, now: Date) -> [Effect] {
        switch key {
        case .escape:
            mode = .normal
        case .backspace:
            mode = text.isEmpty ? .normal : .command(String(text.dropLast()))
        case .character(let character):
            mode = .command(text + String(character))
        case .tab:
            let names = ["contracts", "tables", "violations", "owners", "changes", "quit"]
            if let match = names.first(where: { $0.hasPrefix(text.lowercased()) }) { mode = .command(match) }
        case .enter:
            mode = .normal
            let word = text.trimmingCharacters(in: .whitespaces).lowercased()
            switch word {
            case "q", "q!", "quit", "exit": return [.quit]
            case "c", "contract", "contracts", "1": stack = [.contracts]
            case "t", "table", "tables", "2": stack = [.tables]
            case "v", "violation", "violations", "3": stack = [.violations]
            case "o", "owner", "owners", "4": stack = [.owners]
            case "ch", "change", "changes", "5": stack = [.changes]
            case "", "help", "h": if word != "" { mode = .help }
            default:
                setFlash(
                    "unknown command :\(word) (try :contracts, :tables, :violations, :owners, :q)", isError: true,
                    now: now)
            }
        case .control("c"):
            return [.quit]
        default:
            break
        }
        return []
    }

    private mutating func move(by delta: Int) {
        let view = visible()
        move(to: view.selectedIndex + delta, in: view)
    }

    private mutating func move(to index: Int) {
        move(to: index, in: visible())
    }

    private mutating func move(to index: Int, in view: VisibleContent) {
        guard !view.rows.isEmpty else { return }
        var state = lists[route] ?? ListState()
        let clamped = min(max(index, 0), view.rows.count - 1)
        state.selectedIndex = clamped
        state.selectedID = view.rows[clamped].id
        lists[route] = state
    }

    public mutating func setFlash(_ text: String, isError: Bool = false, now: Date) {
        flash = Flash(text: text, isError: isError, until: now.addingTimeInterval(3))
    }

    public static func format(seconds: Double) -> String {
        if seconds < 1 { return "\(Int(seconds * 1000))ms" }
        if seconds < 60 { return seconds == seconds.rounded() ? "\(Int(seconds))s" : String(format: "%.1fs", seconds) }
        return "\(Int(seconds / 60))m"
    }
}

/// What the tab bar and status bar count.
public struct StatusSummary: Sendable, Hashable {
    public var contracts = 0
    public var invalidFiles = 0
    public var tables = 0
    public var violations = 0
    public var breaking = 0
    public var recent = 0
    public var owners = 0
    public var changes = 0

    init(_ status: WatchStatus) {
        invalidFiles = Set(status.contracts.errors.map(\.file)).count
        contracts = status.contracts.contracts.count + invalidFiles
        tables = status.snapshot?.relations.count ?? 0
        let violations = status.result?.violations ?? []
        self.violations = violations.count
        breaking = violations.filter(\.breaking).count
        recent = violations.filter { status.isRecent($0.id) }.count
        owners = Screens(status: status).owners().count
        changes = status.changes.count
    }
}
