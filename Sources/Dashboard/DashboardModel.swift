import Catalog
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
    /// Write `text` to the file at `path` (the current view, as text or CSV).
    case export(path: String, text: String)
    /// Turn mouse reporting on or off.
    case setMouse(Bool)
    /// Tell the user something happened while they look elsewhere (bell / terminal notification).
    case notify(String)
}

/// How a new breaking violation is announced (config `notify:`).
public enum NotifyStyle: String, Sendable, Hashable, CaseIterable {
    case off
    /// The terminal bell (BEL).
    case bell
    /// A desktop notification through the terminal: OSC 9 (iTerm2, WezTerm, kitty, foot…).
    case osc9
    /// OSC 777 (urxvt, VTE terminals such as GNOME Terminal).
    case osc777
}

/// Selection, scroll, filter, sort and search of one screen. Selection is kept by row identity.
public struct ListState: Sendable, Hashable {
    public var selectedID: String?
    public var selectedIndex = 0
    /// The first row (lists) or document line (screens with a header block) shown.
    public var scroll = 0
    /// The user scrolled by hand (a header above the first row): keep it, do not pull the
    /// selected row back into view until the selection moves.
    public var freeScroll = false
    public var filter = ""
    /// nil: the screen's natural order.
    public var sortColumn: Int?
    public var sortReversed = false
    /// Optional columns scrolled out on the left (`←`/`→`).
    public var columnScroll = 0
    /// The search inside a detail (`/`), and which match is current.
    public var search = ""
    public var match = 0
}

/// The rows a screen shows right now: filtered, sorted, with the selection resolved.
public struct VisibleContent: Sendable {
    public var content: ScreenContent
    public var rows: RowList
    public var selectedIndex: Int
    public var totalRows: Int
    /// Natural column widths (header and a sample of rows), measured once per content change.
    public var naturalWidths: [Int]
}

/// Where the last frame put things, for the mouse and for paging.
public struct FrameGeometry: Sendable, Hashable {
    public var width = 80
    public var height = 24
    /// Body lines available for the document (rows, or header + rows).
    public var bodyHeight = 10
    /// y of the first body line.
    public var bodyTop = 2
    /// Tabs on the first line: their x ranges.
    public var tabs: [(range: Range<Int>, screen: ScreenID)] = []
    /// The column header line and each column's x range.
    public var columnHeaderY: Int?
    public var columns: [(range: Range<Int>, index: Int)] = []
    /// Screen line → row index, for the rows drawn.
    public var rowLines: [Int: Int] = [:]
    public var hiddenRight = 0
    public var tooSmall = false

    public static func == (lhs: FrameGeometry, rhs: FrameGeometry) -> Bool {
        lhs.width == rhs.width && lhs.height == rhs.height && lhs.bodyHeight == rhs.bodyHeight
            && lhs.rowLines == rhs.rowLines && lhs.tooSmall == rhs.tooSmall
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(width)
        hasher.combine(height)
    }
}

/// The whole UI state. Pure: keys and statuses in, effects out; the renderer draws it.
public struct DashboardModel: Sendable {
    public enum Mode: Sendable, Hashable {
        case normal
        case filter(LineEditor)
        case command(LineEditor)
        /// Typing the path of a migration file to preview.
        case previewPrompt(LineEditor)
        /// Typing the file to export the view to.
        case exportPrompt(LineEditor)
        /// Typing a search inside a detail.
        case search(LineEditor)
        /// The help overlay, scrolled by this many lines.
        case help(scroll: Int)
        /// The selected row, every column in full.
        case inspect
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
    /// Extra lines for the help overlay (the demo's psql command, the log file).
    public var hints: [String]
    /// `r`: the Violations screen lists resolved findings from the history too.
    public private(set) var showResolved = false
    public private(set) var keyMap: KeyMap
    public private(set) var mouseEnabled: Bool
    /// The footer's key hints (config `hints: false` or `:hints` hide them).
    public var showHints = true
    /// Plain `+ - |` borders for terminals and fonts without box-drawing characters.
    public var asciiBorders = false
    public var notifyStyle: NotifyStyle
    /// Set by the renderer on every frame.
    public var geometry = FrameGeometry()
    /// Body rows available in the last frame; PgUp/PgDn move by this much.
    public var pageSize: Int { max(1, geometry.bodyHeight - 1) }

    private var cache: (key: CacheKey, view: VisibleContent)?
    private var commandCompletion: (prefix: String, index: Int)?

    private struct CacheKey: Hashable {
        var contentVersion: Int
        /// "Open for" durations age while nothing changes: rebuild the screens that show them
        /// at most every 10 s (a list of 5,000 contracts is not rebuilt for the clock).
        var ageBucket: Int
        var showResolved: Bool
        var route: Route
        var filter: String
        var sortColumn: Int?
        var sortReversed: Bool
    }

    public init(
        status: WatchStatus, hints: [String] = [], keyMap: KeyMap = .standard, mouse: Bool = false,
        notify: NotifyStyle = .off
    ) {
        self.status = status
        self.summary = StatusSummary(status)
        self.hints = hints
        self.keyMap = keyMap
        self.mouseEnabled = mouse
        self.notifyStyle = notify
    }

    public var route: Route { stack.last ?? .contracts }
    /// The root screen the user is under (a detail's root too).
    public var rootScreen: ScreenID { stack.first?.screen ?? .contracts }

    /// Takes a newer status from the checker. The selection stays on the same item. Returns
    /// a notification effect when a new breaking violation appeared (and `notify` is on).
    @discardableResult
    public mutating func update(_ newStatus: WatchStatus) -> [Effect] {
        guard newStatus.generation != status.generation else { return [] }
        let contentChanged = newStatus.contentVersion != status.contentVersion
        status = newStatus
        guard contentChanged else { return [] }
        summary = StatusSummary(newStatus)
        guard notifyStyle != .off, !newStatus.newViolations.isEmpty else { return [] }
        let breaking = (newStatus.result?.violations ?? []).filter {
            $0.breaking && newStatus.newViolations.contains($0.id)
        }
        guard let first = breaking.first else { return [] }
        let more = breaking.count > 1 ? " (and \(breaking.count - 1) more)" : ""
        return [.notify("contractwatch: \(first.kind.rawValue) at \(first.location)\(more)")]
    }

    // MARK: - Visible content

    public mutating func visible() -> VisibleContent {
        var state = lists[route] ?? ListState()
        let key = CacheKey(
            contentVersion: status.contentVersion,
            ageBucket: route.showsAges ? Int((status.lastPollAt?.timeIntervalSince1970 ?? 0) / 10) : 0,
            showResolved: showResolved, route: route, filter: route.isDetail ? "" : state.filter,
            sortColumn: state.sortColumn, sortReversed: state.sortReversed)
        var view: VisibleContent
        if let cache, cache.key == key {
            view = cache.view
        } else {
            let content = Screens(status: status, showResolved: showResolved).content(for: route)
            var rows = content.rows
            if key.filter.hasPrefix("!") && key.filter.count > 1 {
                // `!text`: the rows that do not match.
                let inverse = String(key.filter.dropFirst())
                rows = RowList(rows.filter { !Self.matches($0.filterText, inverse) })
            } else if !key.filter.isEmpty {
                rows = RowList(rows.filter { Self.matches($0.filterText, key.filter) })
            }
            if let column = state.sortColumn, column < content.columns.count {
                let indexed = rows.enumerated().map { ($0.offset, $0.element) }
                rows = RowList(
                    indexed.sorted { a, b in
                        let left = a.1.cells.indices.contains(column) ? a.1.cells[column].sortKey : .text("")
                        let right = b.1.cells.indices.contains(column) ? b.1.cells[column].sortKey : .text("")
                        if left == right { return a.0 < b.0 } // stable
                        return state.sortReversed ? right < left : left < right
                    }.map(\.1))
            } else if state.sortReversed {
                rows = RowList(rows.reversed())
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

    /// The document of the current screen at the last frame's width: its header lines
    /// (wrapped), then the column header, then the rows.
    func document(_ view: VisibleContent) -> Document {
        Document(content: view.content, rows: view.rows.count, width: geometry.width, height: geometry.bodyHeight)
    }

    /// Keeps the selected row inside the body (unless the user scrolled by hand); returns the
    /// first line (or row) to draw.
    public mutating func settleScroll(_ view: VisibleContent) -> Int {
        var state = lists[route] ?? ListState()
        let document = document(view)
        if view.content.rowsSelectable && !view.rows.isEmpty && !state.freeScroll {
            let line = document.line(ofRow: view.selectedIndex)
            if line < state.scroll { state.scroll = line }
            if line >= state.scroll + document.viewport { state.scroll = line - document.viewport + 1 }
        }
        state.scroll = max(0, min(state.scroll, document.maximumScroll))
        lists[route] = state
        return state.scroll
    }

    /// Lines of the current document that contain the detail search, in order.
    func searchMatches(_ view: VisibleContent) -> [Int] {
        let state = listState(route)
        guard !state.search.isEmpty else { return [] }
        let document = document(view)
        return document.lineTexts(view).enumerated().compactMap { index, text in
            Self.matches(text, state.search) ? index : nil
        }
    }

    // MARK: - Keys

    public mutating func handle(_ key: Key, now: Date = Date()) -> [Effect] {
        if let flash, flash.until < now { self.flash = nil }
        // "Terminal too small": only quitting acts.
        if geometry.tooSmall {
            return key == .character("q") || key == .control("c") ? [.quit] : []
        }
        if case .mouse(let event) = key { return handleMouse(event, now: now) }
        switch mode {
        case .help(let scroll):
            return handleHelp(key, scroll: scroll)
        case .inspect:
            if key == .control("c") { return [.quit] }
            mode = .normal
            return []
        case .filter(var editor):
            if key == .control("c") { return [.quit] }
            var state = listState(route)
            if key == .backspace && editor.text.isEmpty {
                mode = .normal
                return []
            }
            switch editor.handle(key) {
            case .cancelled:
                state.filter = ""
                mode = .normal
            case .submitted:
                mode = .normal
            case .edited:
                mode = .filter(editor)
                state.filter = editor.text
                state.selectedIndex = 0
                state.selectedID = nil
                state.freeScroll = false
            case .unhandled:
                if key == .down || key == .up { mode = .normal }
            }
            lists[route] = state
            return []
        case .search(var editor):
            if key == .control("c") { return [.quit] }
            var state = listState(route)
            var jump = false
            switch editor.handle(key) {
            case .cancelled:
                state.search = ""
                mode = .normal
            case .submitted:
                mode = .normal
            case .edited:
                mode = .search(editor)
                state.search = editor.text
                state.match = 0
                jump = true
            case .unhandled:
                break
            }
            lists[route] = state
            if jump { jumpToMatch(0) }
            return []
        case .command(var editor):
            if key == .control("c") { return [.quit] }
            if key == .tab || key == .backTab {
                completeCommand(&editor, backwards: key == .backTab)
                mode = .command(editor)
                return []
            }
            commandCompletion = nil
            if key == .backspace && editor.text.isEmpty {
                mode = .normal
                return []
            }
            switch editor.handle(key) {
            case .cancelled: mode = .normal
            case .submitted:
                mode = .normal
                return runCommand(editor.text, now: now)
            case .edited: mode = .command(editor)
            case .unhandled: break
            }
            return []
        case .previewPrompt(let editor):
            if key == .control("c") { return [.quit] }
            guard let path = prompt(editor, key, Mode.previewPrompt), !path.isEmpty else { return [] }
            stack = [.violations]
            setFlash("previewing \(path) on a schema copy of the database (never on the database itself)…", now: now)
            return [.preview(path)]
        case .exportPrompt(let editor):
            if key == .control("c") { return [.quit] }
            guard let path = prompt(editor, key, Mode.exportPrompt) else { return [] }
            return exportView(to: path, now: now)
        case .normal:
            guard let command = keyMap.command(for: key, on: route.screen, isDetail: route.isDetail) else { return [] }
            return perform(command, now: now)
        }
    }

    /// A key typed into a path prompt (preview, export): nil while typing or once cancelled,
    /// the trimmed text when Enter submits it.
    private mutating func prompt(_ editor: LineEditor, _ key: Key, _ wrap: (LineEditor) -> Mode) -> String? {
        var editor = editor
        switch editor.handle(key) {
        case .cancelled: mode = .normal
        case .submitted:
            mode = .normal
            return editor.text.trimmingCharacters(in: .whitespaces)
        case .edited: mode = wrap(editor)
        case .unhandled: break
        }
        return nil
    }

    private mutating func handleHelp(_ key: Key, scroll: Int) -> [Effect] {
        if key == .control("c") { return [.quit] }
        let lines = Renderer.helpLines(self).count
        let page = max(1, geometry.height - 6)
        let maximum = max(0, lines - page)
        switch keyMap.command(for: key, on: nil, isDetail: true) {
        case .moveDown?: mode = .help(scroll: min(maximum, scroll + 1))
        case .moveUp?: mode = .help(scroll: max(0, scroll - 1))
        case .pageDown?: mode = .help(scroll: min(maximum, scroll + page))
        case .pageUp?: mode = .help(scroll: max(0, scroll - page))
        case .top?: mode = .help(scroll: 0)
        case .bottom?: mode = .help(scroll: maximum)
        case .quit?, .help?, .back?, .open?: mode = .normal
        default: break
        }
        return []
    }

    public mutating func perform(_ command: Command, now: Date = Date()) -> [Effect] {
        switch command {
        case .moveDown: move(by: 1)
        case .moveUp: move(by: -1)
        case .top: move(toEdge: .top)
        case .bottom: move(toEdge: .bottom)
        case .pageDown: move(by: max(1, pageSize - 1)) // one line of context stays
        case .pageUp: move(by: -max(1, pageSize - 1))
        case .open:
            let view = visible()
            if view.content.rowsSelectable, view.rows.indices.contains(view.selectedIndex),
                let target = view.rows[view.selectedIndex].target
            {
                stack.append(target)
                // A detail opens at its top: the header is read first, then the rows.
                var fresh = ListState()
                fresh.freeScroll = true
                lists[target] = fresh
            } else if !view.rows.isEmpty && view.content.rowsSelectable {
                setFlash("this row opens nothing further", now: now)
            }
        case .back:
            var state = listState(route)
            if !state.filter.isEmpty && !route.isDetail {
                state.filter = ""
                lists[route] = state
            } else if !state.search.isEmpty {
                state.search = ""
                lists[route] = state
            } else if stack.count > 1 {
                stack.removeLast()
            }
        case .scrollLeft, .scrollRight:
            var state = listState(route)
            if command == .scrollRight {
                if geometry.hiddenRight > 0 { state.columnScroll += 1 }
            } else {
                state.columnScroll = max(0, state.columnScroll - 1)
            }
            lists[route] = state
        case .inspect:
            let view = visible()
            if view.content.rowsSelectable && view.rows.indices.contains(view.selectedIndex) { mode = .inspect }
        case .show(let screen):
            stack = [RootScreen.screen(screen).route]
        case .nextScreen, .previousScreen:
            let all = RootScreen.all
            let index = all.firstIndex { $0.id == rootScreen } ?? 0
            let step = command == .nextScreen ? 1 : all.count - 1
            stack = [all[(index + step) % all.count].route]
        case .find:
            if route.isDetail {
                mode = .search(LineEditor(listState(route).search))
            } else {
                mode = .filter(LineEditor(listState(route).filter))
            }
        case .nextMatch, .previousMatch:
            let matches = searchMatches(visible())
            guard !matches.isEmpty else {
                setFlash(listState(route).search.isEmpty ? "press / to search" : "no match", isError: true, now: now)
                return []
            }
            var state = listState(route)
            state.match = (state.match + (command == .nextMatch ? 1 : matches.count - 1)) % matches.count
            lists[route] = state
            jumpToMatch(state.match)
        case .sortNext, .sortLeft, .sortRight:
            let columns = visible().content.columns.count
            var state = listState(route)
            switch (command, state.sortColumn) {
            case (.sortLeft, let current?): state.sortColumn = current > 0 ? current - 1 : nil
            case (.sortLeft, nil): state.sortColumn = columns > 0 ? columns - 1 : nil
            case (_, let current?): state.sortColumn = current + 1 < columns ? current + 1 : nil
            case (_, nil): state.sortColumn = columns > 0 ? 0 : nil
            }
            lists[route] = state
        case .sortReverse:
            var state = listState(route)
            state.sortReversed.toggle()
            lists[route] = state
        case .commandLine:
            mode = .command(LineEditor())
        case .previewMigration:
            mode = .previewPrompt(LineEditor())
        case .clearPreview:
            guard status.preview != nil else {
                setFlash("no preview to clear (p previews a migration file)", now: now)
                return []
            }
            setFlash("preview cleared", now: now)
            return [.clearPreview]
        case .toggleResolved:
            showResolved.toggle()
            stack = [.violations]
            setFlash(
                showResolved ? "showing resolved findings from the history (r hides them)" : "hiding resolved findings",
                now: now)
        case .help:
            mode = .help(scroll: 0)
        case .pollNow:
            if case .retrying = status.state {
                setFlash("retrying the server now…", now: now)
            } else {
                setFlash("polling now (the whole catalog)…", now: now)
            }
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
        case .copyRow:
            let view = visible()
            let text: String
            if view.content.rowsSelectable && !route.isDetail {
                guard view.rows.indices.contains(view.selectedIndex) else { return [] }
                text = view.rows[view.selectedIndex].cells.map(\.text).joined(separator: "\t")
            } else {
                text = document(view).lineTexts(view).joined(separator: "\n")
            }
            let lines = text.split(separator: "\n").count
            setFlash(route.isDetail ? "copied this page (\(lines) line\(plural(lines)))" : "copied the row", now: now)
            return [.copy(text)]
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
                let lines = message.split(separator: "\n").count
                setFlash("copied a message to the owners (\(lines) line\(plural(lines))) to the clipboard", now: now)
                return [.copy(message)]
            }
            setFlash("select a violation to write to its owners", isError: true, now: now)
        case .export:
            mode = .exportPrompt(LineEditor(defaultExportName(now: now)))
        case .toggleMouse:
            mouseEnabled.toggle()
            setFlash(
                mouseEnabled
                    ? "mouse on: click selects, double-click opens, wheel scrolls (M turns it off)"
                    : "mouse off: the terminal selects text again", now: now)
            return [.setMouse(mouseEnabled)]
        case .quit:
            return [.quit]
        }
        return []
    }

    // MARK: - Command line

    /// The `:` words that start with what is typed.
    public func commandCandidates(_ prefix: String) -> [String] {
        let lowered = prefix.lowercased().trimmingCharacters(in: .whitespaces)
        return RootScreen.commandWords.filter { $0.hasPrefix(lowered) }
    }

    private mutating func completeCommand(_ editor: inout LineEditor, backwards: Bool) {
        let prefix = commandCompletion?.prefix ?? editor.text
        let candidates = commandCandidates(prefix)
        guard !candidates.isEmpty else { return }
        var index = commandCompletion.map { $0.index + (backwards ? candidates.count - 1 : 1) } ?? 0
        index %= candidates.count
        commandCompletion = (prefix, index)
        editor.set(candidates[index])
    }

    private mutating func runCommand(_ text: String, now: Date) -> [Effect] {
        let words = text.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
        guard let word = words.first?.lowercased() else { return [] }
        if let screen = RootScreen.all.first(where: { $0.commands.contains(word) }) {
            stack = [screen.route]
            return []
        }
        if let number = Int(word), RootScreen.all.indices.contains(number - 1) {
            stack = [RootScreen.all[number - 1].route]
            return []
        }
        switch word {
        case "q", "q!", "quit", "exit": return [.quit]
        case "help", "h": mode = .help(scroll: 0)
        case "mouse": return perform(.toggleMouse, now: now)
        case "hints":
            showHints.toggle()
            setFlash(showHints ? "key hints on" : "key hints off (:hints shows them again)", now: now)
        case "export":
            if words.count > 1 { return exportView(to: words[1], now: now) }
            mode = .exportPrompt(LineEditor(defaultExportName(now: now)))
        default:
            let known = RootScreen.all.map { ":" + $0.commands[0] }.joined(separator: ", ")
            setFlash("unknown command :\(word) (try \(known), :export, :mouse, :q)", isError: true, now: now)
        }
        return []
    }

    // MARK: - Export

    func defaultExportName(now: Date) -> String {
        let name = Screens(status: status).title(for: stack.first ?? .contracts).lowercased()
        let parts = Calendar(identifier: .gregorian).dateComponents(in: .current, from: now)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        let day = "\(parts.year ?? 0)\(two(parts.month))\(two(parts.day))"
        let stamp = day + "-\(two(parts.hour))\(two(parts.minute))\(two(parts.second))"
        return "contractwatch-\(name)-\(stamp).txt"
    }

    /// The current view (filtered and sorted as shown, every column in full) as text, or as
    /// CSV when the file name ends in `.csv`.
    public mutating func exportText(csv: Bool) -> String {
        let view = visible()
        let titles = view.content.columns.map(\.title)
        if csv {
            func quote(_ text: String) -> String {
                let escaped = text.replacingOccurrences(of: "\"", with: "\"\"")
                // A leading = + - @ would run as a formula in a spreadsheet: quote it as text.
                let guarded = escaped.first.map { "=+-@".contains($0) } == true ? "'" + escaped : escaped
                return "\"" + guarded + "\""
            }
            var lines = [titles.map(quote).joined(separator: ",")]
            for row in view.rows {
                lines.append(
                    titles.indices.map { quote(row.cells.indices.contains($0) ? row.cells[$0].text : "") }
                        .joined(separator: ","))
            }
            return lines.joined(separator: "\n") + "\n"
        }
        var lines = view.content.header.map { $0.segments.map(\.text).joined() }
        if !lines.isEmpty { lines.append("") }
        let widths = titles.indices.map { index in
            view.rows.reduce(TextWidth.of(titles[index])) { current, row in
                row.cells.indices.contains(index) ? max(current, TextWidth.of(row.cells[index].text)) : current
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { TextWidth.fit($0.element, to: widths[$0.offset]) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        lines.append(line(titles))
        for row in view.rows {
            lines.append(line(titles.indices.map { row.cells.indices.contains($0) ? row.cells[$0].text : "" }))
        }
        if view.rows.isEmpty { lines.append(view.content.emptyMessage) }
        return lines.joined(separator: "\n") + "\n"
    }

    private mutating func exportView(to path: String, now: Date) -> [Effect] {
        guard !path.isEmpty else { return [] }
        let text = exportText(csv: path.lowercased().hasSuffix(".csv"))
        let rows = visible().rows.count
        setFlash("exported \(rows) row\(plural(rows)) to \(path)", now: now)
        return [.export(path: path, text: text)]
    }

    // MARK: - Mouse

    private mutating func handleMouse(_ event: MouseEvent, now: Date) -> [Effect] {
        guard mouseEnabled else { return [] }
        if case .help = mode {
            if event.action == .wheelDown { return handleHelp(.down, scroll: helpScroll) }
            if event.action == .wheelUp { return handleHelp(.up, scroll: helpScroll) }
            mode = .normal
            return []
        }
        guard mode == .normal else { return [] }
        switch event.action {
        case .wheelUp, .wheelDown:
            for _ in 0..<3 { move(by: event.action == .wheelDown ? 1 : -1) }
        case .click, .doubleClick:
            if event.y == 0, let tab = geometry.tabs.first(where: { $0.range.contains(event.x) }) {
                stack = [RootScreen.screen(tab.screen).route]
                return []
            }
            if event.y == geometry.columnHeaderY, !route.isDetail,
                let column = geometry.columns.first(where: { $0.range.contains(event.x) })
            {
                var state = listState(route)
                if state.sortColumn == column.index {
                    state.sortReversed.toggle()
                } else {
                    state.sortColumn = column.index
                    state.sortReversed = false
                }
                lists[route] = state
                return []
            }
            if let index = geometry.rowLines[event.y] {
                let view = visible()
                guard view.content.rowsSelectable, view.rows.indices.contains(index) else { return [] }
                var state = listState(route)
                state.selectedIndex = index
                state.selectedID = view.rows[index].id
                state.freeScroll = false
                lists[route] = state
                if event.action == .doubleClick { return perform(.open, now: now) }
            }
        }
        return []
    }

    private var helpScroll: Int {
        if case .help(let scroll) = mode { return scroll }
        return 0
    }

    // MARK: - Moving

    private enum Edge { case top, bottom }

    private mutating func move(by delta: Int) {
        let view = visible()
        var state = listState(route)
        let document = document(view)
        if view.content.rowsSelectable && !view.rows.isEmpty {
            let target = view.selectedIndex + delta
            let selectedLine = document.line(ofRow: view.selectedIndex)
            if delta > 0 && selectedLine >= state.scroll + document.viewport {
                // The selected row is below the header still being read: scroll toward it.
                state.scroll = min(document.maximumScroll, state.scroll + delta, selectedLine)
                state.freeScroll = true
            } else if target < 0 && state.scroll > 0 && view.selectedIndex == 0 {
                // Above the first row: the header block scrolls into view.
                state.scroll = max(0, state.scroll + delta)
                state.freeScroll = true
            } else if target >= view.rows.count && state.scroll < document.maximumScroll {
                state.scroll = min(document.maximumScroll, state.scroll + delta)
                state.freeScroll = true
            } else {
                let clamped = min(max(target, 0), view.rows.count - 1)
                state.selectedIndex = clamped
                state.selectedID = view.rows[clamped].id
                state.freeScroll = false
            }
        } else {
            state.scroll = min(max(0, state.scroll + delta), document.maximumScroll)
            state.freeScroll = true
        }
        lists[route] = state
    }

    private mutating func move(toEdge edge: Edge) {
        let view = visible()
        var state = listState(route)
        let document = document(view)
        if view.content.rowsSelectable && !view.rows.isEmpty {
            state.selectedIndex = edge == .top ? 0 : view.rows.count - 1
            state.selectedID = view.rows[state.selectedIndex].id
        }
        state.scroll = edge == .top ? 0 : document.maximumScroll
        state.freeScroll = edge == .top
        lists[route] = state
    }

    private mutating func jumpToMatch(_ match: Int) {
        let view = visible()
        let matches = searchMatches(view)
        guard !matches.isEmpty else { return }
        var state = listState(route)
        let line = matches[min(match, matches.count - 1)]
        let document = document(view)
        // Put the match a third of the way down, as `less` does.
        state.scroll = min(document.maximumScroll, max(0, line - document.viewport / 3))
        state.freeScroll = true
        lists[route] = state
    }

    public mutating func setFlash(_ text: String, isError: Bool = false, now: Date) {
        flash = Flash(text: text, isError: isError, until: now.addingTimeInterval(isError ? 6 : 3))
    }

    public static func format(seconds: Double) -> String {
        if seconds < 1 { return "\(Int(seconds * 1000))ms" }
        if seconds < 60 { return seconds == seconds.rounded() ? "\(Int(seconds))s" : String(format: "%.1fs", seconds) }
        return "\(Int(seconds / 60))m"
    }
}

/// A screen as lines: the header block (wrapped to the width) and the table. Lists without a
/// header keep their column header fixed and scroll rows; screens with a header block scroll
/// as a whole, so every line of a detail can be reached.
struct Document {
    var header: [StyledLine]
    /// Rows and the column header are one table; with a header block, a blank line separates them.
    var fixedColumnHeader: Bool
    var rows: Int
    var viewport: Int

    init(content: ScreenContent, rows: Int, width: Int, height: Int) {
        header = Renderer.wrap(content.header, width: max(10, width - 2))
        fixedColumnHeader = header.isEmpty
        self.rows = max(rows, 1) // the empty message takes a line
        viewport = max(1, fixedColumnHeader ? height - 1 : height)
    }

    /// Header lines, a blank, the column header (lines before the first row).
    var rowOffset: Int { fixedColumnHeader ? 0 : header.count + 2 }
    var lineCount: Int { rowOffset + rows }
    var maximumScroll: Int { max(0, lineCount - viewport) }

    func line(ofRow index: Int) -> Int { rowOffset + index }

    /// The text of every line, for search.
    func lineTexts(_ view: VisibleContent) -> [String] {
        var texts: [String] = []
        if !fixedColumnHeader {
            texts += header.map { $0.segments.map(\.text).joined() }
            texts.append("")
            texts.append(view.content.columns.map(\.title).joined(separator: " "))
        }
        texts += view.rows.map(\.filterText)
        return texts
    }
}

/// What the tab and status bars count.
public struct StatusSummary: Sendable, Hashable {
    public var contracts = 0
    public var invalidFiles = 0
    public var tables = 0
    public var violations = 0
    public var breaking = 0
    public var recent = 0
    public var owners = 0
    public var changes = 0
    public var notices = 0
    public var migrations = 0

    init(_ status: WatchStatus) {
        invalidFiles = Set(status.contracts.errors.map(\.file)).count
        contracts = status.contracts.contracts.count + invalidFiles
        // As the Tables screen lists them: the catalog's relations and the contracted tables it lacks.
        if let snapshot = status.snapshot {
            let absent = Set(status.contracts.contracts.map(\.qualifiedTable)).count { snapshot.relation($0) == nil }
            tables = snapshot.relations.count + absent
        }
        let violations = status.result?.violations ?? []
        self.violations = violations.count
        breaking = violations.count(where: \.breaking)
        recent = violations.count { status.isRecent($0.id) }
        owners = Screens(status: status).owners().count
        changes = status.changes.count
        notices = status.result?.notices.count ?? 0
        migrations = status.migrations?.files.count ?? 0
    }

    func count(_ screen: ScreenID) -> Int {
        switch screen {
        case .contracts: contracts
        case .tables: tables
        case .violations: violations
        case .owners: owners
        case .changes: changes
        case .notices: notices
        case .migrations: migrations
        }
    }
}
