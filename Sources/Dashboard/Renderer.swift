import Catalog
import Checks
import Foundation
import WatchModel

/// Draws the dashboard onto any `Canvas`. Every cell of the frame is written on every draw
/// (no clearing), so a terminal that diffs frames never flickers.
///
///     line 0       tabs (generated from `RootScreen.all`) and the key for help
///     line 1       breadcrumbs · filter/sort/search · stale marker · position
///     body         the screen's document (header block, column header, rows)
///     (server)     when the server is away: why, the retry countdown, "R retries now"
///     status bar   connection · counts · target · last poll · interval (whole segments only)
///     footer       the screen's key hints, a prompt, or a message
public enum Renderer {
    public static let minimumWidth = 60
    public static let minimumHeight = 12

    public static func draw(_ model: inout DashboardModel, on canvas: inout some Canvas, now: Date = Date()) {
        let width = canvas.width
        let height = canvas.height
        for y in 0..<height { canvas.fill(x: 0, y: y, width: width, role: .background) }
        var geometry = FrameGeometry()
        geometry.width = width
        geometry.height = height
        guard width >= minimumWidth, height >= minimumHeight else {
            geometry.tooSmall = true
            model.geometry = geometry
            drawTooSmall(on: &canvas)
            return
        }
        // When the server is away, why takes a line (two if it needs them) above the status bar.
        let serverLines = serverProblem(model.status).map { wrapPlain(" " + $0, width: width, lines: 2) } ?? []
        let bodyBottom = height - 2 - serverLines.count
        geometry.bodyTop = 2
        geometry.bodyHeight = max(1, bodyBottom - 2)
        model.geometry = geometry
        let view = model.visible()
        drawTabs(&model, on: &canvas)
        drawBody(&model, view: view, top: 2, bottom: bodyBottom, on: &canvas)
        drawBreadcrumbs(model, view: model.visible(), now: now, on: &canvas)
        for (offset, line) in serverLines.enumerated() {
            canvas.fill(x: 0, y: bodyBottom + offset, width: width, role: .statusBar)
            canvas.put(line, x: 0, y: bodyBottom + offset, role: .statusBar)
        }
        drawStatusBar(model, y: height - 2, now: now, on: &canvas)
        drawFooter(model, view: view, y: height - 1, now: now, on: &canvas)
        switch model.mode {
        case .help(let scroll): drawHelp(model, scroll: scroll, on: &canvas)
        case .inspect: drawInspector(model, view: view, on: &canvas)
        default: break
        }
    }

    // MARK: - Regions

    static func drawTooSmall(on canvas: inout some Canvas) {
        let lines = [
            "terminal too small",
            "\(canvas.width)×\(canvas.height) (need \(minimumWidth)×\(minimumHeight))",
            "enlarge it, or press q to quit",
        ]
        let top = max(0, canvas.height / 2 - 1)
        for (offset, line) in lines.enumerated() {
            let x = max(0, (canvas.width - TextWidth.of(line)) / 2)
            canvas.put(line, x: x, y: top + offset, role: offset == 0 ? .statusError : .row)
        }
    }

    /// One way to write the tab line.
    struct TabForm {
        var title: Bool
        var padded: Bool
        var help: Bool
        var short: Bool
    }

    static func drawTabs(_ model: inout DashboardModel, on canvas: inout some Canvas) {
        canvas.fill(x: 0, y: 0, width: canvas.width, role: .tabInactive)
        let summary = model.summary
        let root = model.rootScreen
        let helpLabel = model.keyMap.label(for: .help).map { " \($0) help " } ?? ""
        let title = " contractwatch "
        // The widest form that fits: the app name, padded tabs, the help key; then without the
        // name, without the help key (the footer has it), tighter tabs, short inactive names.
        let forms = [
            TabForm(title: true, padded: true, help: true, short: false),
            TabForm(title: false, padded: true, help: true, short: false),
            TabForm(title: false, padded: true, help: false, short: false),
            TabForm(title: false, padded: false, help: false, short: false),
            TabForm(title: false, padded: false, help: false, short: true),
        ]
        func labels(_ form: TabForm) -> [String] {
            RootScreen.all.enumerated().map { index, screen in
                let name = form.short && screen.id != root ? String(screen.name.prefix(4)) : screen.name
                let text = "\(index + 1) \(name) \(summary.count(screen.id))"
                return form.padded || screen.id == root ? " \(text) " : text
            }
        }
        func width(_ form: TabForm) -> Int {
            labels(form).reduce(0) { $0 + TextWidth.of($1) + 1 } + (form.title ? TextWidth.of(title) : 0)
                + (form.help ? TextWidth.of(helpLabel) : 0)
        }
        let form = forms.first { width($0) <= canvas.width } ?? forms[forms.count - 1]
        var x = form.title ? canvas.put(title, x: 0, y: 0, role: .title) : -1
        for (index, (screen, label)) in zip(RootScreen.all, labels(form)).enumerated() {
            if !form.padded && index > 0 { canvas.put("│", x: x, y: 0, role: .tabInactive) }
            let start = x + 1
            x = canvas.put(label, x: start, y: 0, role: screen.id == root ? .tabActive : .tabInactive)
            model.geometry.tabs.append((start..<x, screen.id))
        }
        if form.help { canvas.put(helpLabel, x: canvas.width - TextWidth.of(helpLabel), y: 0, role: .tabInactive) }
    }

    static func drawBreadcrumbs(_ model: DashboardModel, view: VisibleContent, now: Date, on canvas: inout some Canvas)
    {
        let screens = Screens(status: model.status, showResolved: model.showResolved)
        let crumbs = model.stack.map { screens.title(for: $0) }.joined(separator: " › ")
        var right: [(String, Role)] = []
        if let stale = staleness(model.status, now: now) { right.append(("⚠ " + stale, .statusWarning)) }
        let state = model.listState(model.route)
        if !state.filter.isEmpty && !model.route.isDetail {
            right.append(("filter \"\(state.filter)\": \(view.rows.count) of \(view.totalRows)", .dim))
        }
        if !state.search.isEmpty {
            let count = model.searchMatches(view).count
            right.append(("search \"\(state.search)\": \(count) match\(count == 1 ? "" : "es")", .dim))
        }
        if let column = state.sortColumn, view.content.columns.indices.contains(column) {
            let title = view.content.columns[column].title.isEmpty ? "new" : view.content.columns[column].title
            right.append(("sort \(title) \(state.sortReversed ? "▼" : "▲")", .dim))
        } else if state.sortReversed {
            right.append(("sort reversed", .dim))
        }
        if model.geometry.hiddenRight > 0 {
            let count = model.geometry.hiddenRight
            right.append(("→ \(count) more column\(plural(count))", .dim))
        }
        if !view.rows.isEmpty && view.content.rowsSelectable {
            right.append(("\(view.selectedIndex + 1)/\(view.rows.count)", .dim))
        }
        // Whole parts from the right end; crumbs keep at least a third of the line.
        var parts: [(String, Role)] = []
        var used = 0
        for part in right {
            let w = TextWidth.of(part.0) + 2
            if used + w > canvas.width * 2 / 3 { break }
            parts.append(part)
            used += w
        }
        canvas.put(" " + crumbs, x: 0, y: 1, role: .breadcrumbs, limit: max(0, canvas.width - used - 1))
        var x = canvas.width - used
        for part in parts {
            x = canvas.put(part.0, x: x + 1, y: 1, role: part.1) + 1
        }
    }

    /// "data 2m old" when what the screen shows may be out of date: the server is away, a
    /// lock holds the poll, or no poll succeeded for three intervals.
    static func staleness(_ status: WatchStatus, now: Date) -> String? {
        guard let at = status.lastPollAt else { return nil }
        let age = now.timeIntervalSince(at)
        switch status.state {
        case .retrying, .blocked:
            return "stale: data \(Screens.duration(age)) old"
        case .connecting, .connected:
            guard !status.paused, age > max(10, status.interval * 3) else { return nil }
            return "stale: data \(Screens.duration(age)) old"
        }
    }

    static func drawBody(
        _ model: inout DashboardModel, view: VisibleContent, top: Int, bottom: Int, on canvas: inout some Canvas
    ) {
        let document = model.document(view)
        let first = model.settleScroll(view)
        let state = model.listState(model.route)
        let layout = ColumnLayout.compute(
            view.content.columns, natural: view.naturalWidths, width: canvas.width - 2, scrolled: state.columnScroll)
        model.geometry.hiddenRight = layout.hiddenRight
        let selectable = view.content.rowsSelectable

        func drawColumnHeader(_ y: Int) {
            canvas.fill(x: 0, y: y, width: canvas.width, role: .tableHeader)
            var titles = view.content.columns.map { RowCell($0.title) }
            if let column = state.sortColumn, titles.indices.contains(column) {
                titles[column].text += state.sortReversed ? "▼" : "▲"
            }
            let ranges = drawCells(
                titles, columns: view.content.columns, widths: layout.widths, y: y, rowRole: .tableHeader,
                forceRole: true, on: &canvas)
            model.geometry.columnHeaderY = y
            model.geometry.columns = ranges
            if layout.hiddenLeft > 0 { canvas.put("‹", x: 0, y: y, role: .tableHeader) }
            if layout.hiddenRight > 0 { canvas.put("›", x: canvas.width - 1, y: y, role: .tableHeader) }
        }
        func drawRow(_ index: Int, _ y: Int) {
            guard view.rows.indices.contains(index) else {
                if view.rows.isEmpty && index == 0 {
                    canvas.put(view.content.emptyMessage, x: 2, y: y, role: .dim, limit: canvas.width - 3)
                }
                return
            }
            let row = view.rows[index]
            let selected = selectable && index == view.selectedIndex
            canvas.fill(x: 0, y: y, width: canvas.width, role: selected ? .selected : .background)
            if selected { canvas.placeCursor(x: 0, y: y) }
            _ = drawCells(
                row.cells, columns: view.content.columns, widths: layout.widths, y: y,
                rowRole: selected ? .selected : row.role, forceRole: selected, on: &canvas)
            model.geometry.rowLines[y] = index
        }

        var y = top
        if document.fixedColumnHeader {
            drawColumnHeader(y)
            y += 1
            for index in first..<(first + document.viewport) where y < bottom {
                drawRow(index, y)
                y += 1
            }
        } else {
            for line in first..<(first + document.viewport) where y < bottom {
                if line < document.header.count {
                    var x = 1
                    for segment in document.header[line].segments {
                        x = canvas.put(
                            segment.text, x: x, y: y, role: segment.role, limit: max(0, canvas.width - x - 1))
                    }
                } else if line == document.header.count + 1 {
                    drawColumnHeader(y)
                } else if line >= document.rowOffset {
                    drawRow(line - document.rowOffset, y)
                }
                y += 1
            }
        }
        highlightSearch(state.search, top: top, bottom: bottom, on: &canvas)
    }

    /// Marks every occurrence of the detail search in the body (smart case, as the filter).
    static func highlightSearch(_ search: String, top: Int, bottom: Int, on canvas: inout some Canvas) {
        guard !search.isEmpty else { return }
        let caseSensitive = search.contains(where: \.isUppercase)
        let needle = Array(caseSensitive ? search : search.lowercased())
        for y in top..<bottom {
            let line = Array(canvas.line(y))
            let haystack = caseSensitive ? line : line.map { Character($0.lowercased()) }
            guard haystack.count >= needle.count else { continue }
            var start = 0
            while start + needle.count <= haystack.count {
                if Array(haystack[start..<(start + needle.count)]) == needle {
                    let x = line[..<start].reduce(0) { $0 + TextWidth.of($1) }
                    let width = needle.reduce(0) { $0 + TextWidth.of($1) }
                    canvas.restyle(x: x, y: y, width: width, role: .searchMatch)
                    start += needle.count
                } else {
                    start += 1
                }
            }
        }
    }

    /// Draws the cells of one row; returns each visible column's x range.
    static func drawCells(
        _ cells: [RowCell], columns: [ColumnSpec], widths: [Int], y: Int, rowRole: Role, forceRole: Bool,
        on canvas: inout some Canvas
    ) -> [(range: Range<Int>, index: Int)] {
        var x = 1
        var ranges: [(range: Range<Int>, index: Int)] = []
        for (index, width) in widths.enumerated() where width > 0 {
            let cell = cells.indices.contains(index) ? cells[index] : RowCell("")
            let text = TextWidth.fit(
                cell.text, to: width, alignRight: columns[index].alignRight, cut: cell.cut ?? columns[index].cut)
            canvas.put(text, x: x, y: y, role: forceRole ? rowRole : (cell.role ?? rowRole))
            ranges.append((x..<(x + width), index))
            x += width + 2
        }
        return ranges
    }

    /// Natural widths: the header and the widest cell among the first rows and an even sample
    /// of the rest (so widths do not jump while scrolling), within each column's min and max.
    public static func naturalWidths(_ columns: [ColumnSpec], rows: RowList) -> [Int] {
        var sample = Array(rows.prefix(300))
        if rows.count > 300 {
            let step = max(1, rows.count / 300)
            sample += stride(from: 300, to: rows.count, by: step).map { rows[$0] }
        }
        return columns.enumerated().map { index, column in
            // +1: room for the sort arrow in the title.
            let widest = sample.reduce(TextWidth.of(column.title) + 1) { current, row in
                row.cells.indices.contains(index) ? max(current, TextWidth.of(row.cells[index].text)) : current
            }
            return min(max(widest, column.minWidth), column.maxWidth)
        }
    }

    /// Header lines wrapped to `width`: a line too long continues on the next, indented under
    /// its value (so a long message, a preview error or a cause is read in full).
    static func wrap(_ lines: [StyledLine], width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        for line in lines {
            let total = line.segments.reduce(0) { $0 + TextWidth.of($1.text) }
            if total <= width {
                out.append(line)
                continue
            }
            // Continuation lines start under the value: after a label (the first segment, when
            // the line has a value after it and the label is short).
            let indent =
                line.segments.count >= 2
                ? line.segments.first.map { TextWidth.of($0.text) <= 22 ? TextWidth.of($0.text) : 0 } ?? 0 : 0
            var current: [(String, Role)] = []
            var used = 0
            func flush() {
                out.append(StyledLine(current))
                current = [(String(repeating: " ", count: indent), .label)]
                used = indent
            }
            for segment in line.segments {
                var text = Substring(segment.text)
                while !text.isEmpty {
                    let room = width - used
                    let w = TextWidth.of(String(text))
                    if w <= room {
                        current.append((String(text), segment.role))
                        used += w
                        break
                    }
                    // Break at the last space that fits, else hard.
                    var taken = 0
                    var cut = text.startIndex
                    var lastSpace: String.Index?
                    var index = text.startIndex
                    while index < text.endIndex {
                        let cw = TextWidth.of(text[index])
                        if taken + cw > room { break }
                        taken += cw
                        if text[index] == " " { lastSpace = index }
                        index = text.index(after: index)
                        cut = index
                    }
                    if let lastSpace, lastSpace > text.startIndex, cut < text.endIndex {
                        cut = text.index(after: lastSpace)
                    }
                    if cut == text.startIndex {
                        if used > indent {
                            flush()
                            continue
                        }
                        cut = text.index(after: text.startIndex)
                    }
                    current.append((String(text[..<cut]), segment.role))
                    text = text[cut...]
                    flush()
                }
            }
            if current.count > 1 || (current.count == 1 && indent == 0) { out.append(StyledLine(current)) }
        }
        return out
    }

    // MARK: - Status

    /// What keeps the checker from the server, when it does.
    static func serverProblem(_ status: WatchStatus) -> String? {
        switch status.state {
        case .retrying(_, _, let reason): reason
        case .blocked(let reason): reason
        case .connecting, .connected: nil
        }
    }

    /// `text` in at most `lines` lines of `width`, broken at spaces, the last cut with `…`.
    static func wrapPlain(_ text: String, width: Int, lines: Int) -> [String] {
        let wrapped = wrap([StyledLine([(text, .statusBar)])], width: width - 1).map {
            $0.segments.map(\.text).joined()
        }
        guard wrapped.count > lines else { return wrapped }
        var kept = Array(wrapped.prefix(lines))
        kept[lines - 1] = TextWidth.truncate(kept[lines - 1] + " " + wrapped[lines], to: width - 1)
        return kept
    }

    static func drawStatusBar(_ model: DashboardModel, y: Int, now: Date, on canvas: inout some Canvas) {
        let status = model.status
        canvas.fill(x: 0, y: y, width: canvas.width, role: .statusBar)
        var x = 0
        switch status.state {
        case .connecting:
            x = canvas.put(" ◌ connecting ", x: x, y: y, role: .statusWarning)
        case .connected:
            // A poll late by more than 2 s is waiting on the server (a lock, a frozen backend,
            // a slow network): say so, and for how long, instead of "connected".
            if let started = status.pollStartedAt, now.timeIntervalSince(started) >= 2 {
                x = canvas.put(
                    " ◌ waiting for the server (\(Int(now.timeIntervalSince(started)))s) ", x: x, y: y,
                    role: .statusWarning)
            } else if status.pollStartedAt != nil {
                x = canvas.put(" ● connected ⟳ ", x: x, y: y, role: .statusOK) // a poll is in flight
            } else {
                x = canvas.put(" ● connected ", x: x, y: y, role: .statusOK)
            }
        case .blocked:
            let retry = model.keyMap.primaryKey(for: .pollNow)
            x = canvas.put(
                " ◌ blocked by a lock · retrying every second\(retry.map { " · \($0) retries now" } ?? "") ", x: x,
                y: y,
                role: .statusWarning)
        case .retrying(let attempt, let retryAt, _):
            let seconds = max(0, Int(retryAt.timeIntervalSince(now).rounded(.up)))
            let retry = model.keyMap.primaryKey(for: .pollNow).map { " · \($0) retries now" } ?? ""
            x = canvas.put(
                " ✖ disconnected · retry in \(seconds)s (attempt \(attempt))\(retry) ", x: x, y: y, role: .statusError)
        }
        if model.paused {
            x = canvas.put(" PAUSED ", x: x, y: y, role: .paused)
        }
        // Most important first; a segment is drawn whole or not at all (the last may be cut).
        var parts: [String] = []
        if status.result != nil {
            let summary = model.summary
            var counts = "\(count(summary.contracts, "contract")) · \(count(summary.violations, "violation"))"
            if summary.violations > 0 {
                counts += " (\(summary.breaking) breaking\(summary.recent == 0 ? "" : ", \(summary.recent) new"))"
            }
            if summary.invalidFiles > 0 { counts += " · \(summary.invalidFiles) invalid" }
            parts.append(counts)
        }
        if let problem = status.problem { parts.append("⚠ " + problem) }
        if let at = status.lastPollAt {
            let age = max(0, Int(now.timeIntervalSince(at)))
            parts.append(
                "polled \(age)s ago in \(Int(((status.lastPollSeconds ?? 0) * 1000).rounded()))ms"
                    + (status.lastPollKind == .unchanged ? " (no change)" : ""))
        }
        parts.append(model.paused ? "polling paused" : "every \(DashboardModel.format(seconds: model.interval))")
        parts.append(status.connection?.target ?? status.target)
        x += 1
        for (index, part) in parts.enumerated() {
            let separator = index == 0 ? "" : " │ "
            let w = TextWidth.of(separator + part)
            if x + w > canvas.width {
                // The first segment is cut rather than dropped; others are dropped whole.
                if index == 0 {
                    canvas.put(TextWidth.truncate(part, to: canvas.width - x), x: x, y: y, role: .statusBar)
                }
                break
            }
            x = canvas.put(separator + part, x: x, y: y, role: .statusBar)
        }
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(plural(n))" }

    static func drawFooter(
        _ model: DashboardModel, view: VisibleContent, y: Int, now: Date, on canvas: inout some Canvas
    ) {
        canvas.fill(x: 0, y: y, width: canvas.width, role: .background)
        func prompt(_ label: String, _ editor: LineEditor, _ help: String) {
            var x = canvas.put(label, x: 0, y: y, role: .prompt)
            let characters = Array(editor.text)
            x = canvas.put(String(characters[..<editor.cursor]), x: x, y: y, role: .value)
            canvas.placeCursor(x: x, y: y)
            let cursorCharacter = editor.cursor < characters.count ? String(characters[editor.cursor]) : " "
            x = canvas.put(cursorCharacter, x: x, y: y, role: .selected)
            if editor.cursor + 1 < characters.count {
                x = canvas.put(String(characters[(editor.cursor + 1)...]), x: x, y: y, role: .value)
            }
            canvas.put("  " + help, x: x, y: y, role: .dim)
        }
        switch model.mode {
        case .filter(let editor):
            prompt(" /", editor, "\(view.rows.count) of \(view.totalRows) match · Enter keeps · Esc clears")
            return
        case .search(let editor):
            let count = model.searchMatches(view).count
            prompt(
                " search /", editor,
                "\(count) match\(count == 1 ? "" : "es") · Enter keeps (n next, N previous) · Esc clears")
            return
        case .previewPrompt(let editor):
            prompt(" preview migration file: ", editor, "Enter runs it in a transaction and rolls back · Esc cancels")
            return
        case .exportPrompt(let editor):
            prompt(" export to: ", editor, "Enter writes (.csv: CSV, else text) · Esc cancels")
            return
        case .command(let editor):
            let candidates = model.commandCandidates(editor.text)
            prompt(" :", editor, candidates.prefix(8).joined(separator: " ") + "  (Tab completes)")
            return
        case .help, .inspect:
            canvas.put(" Esc closes", x: 0, y: y, role: .footerHint)
            return
        case .normal:
            break
        }
        if let flash = model.flash, flash.until >= now {
            canvas.put(" " + flash.text, x: 0, y: y, role: flash.isError ? .flashError : .flashInfo)
            return
        }
        var hints = model.route.isDetail ? RootScreen.detailHints : RootScreen.screen(model.rootScreen).hints
        if model.route.isDetail && !view.content.rowsSelectable { hints.removeAll { $0.command == .open } }
        if !model.route.isDetail && model.stack.count == 1 { hints.removeAll { $0.command == .back } }
        guard model.showHints else { return }
        hints += [(.pause, model.paused ? "resume" : "pause"), (.help, "help"), (.quit, "quit")]
        var x = 1
        for (command, action) in hints {
            guard let key = model.keyMap.primaryKey(for: command) else { continue }
            let width = TextWidth.of(key) + 1 + TextWidth.of(action) + 2
            if x + width > canvas.width { break }
            x = canvas.put(key, x: x, y: y, role: .footerKey)
            x = canvas.put(" " + action + "  ", x: x, y: y, role: .footerHint)
        }
    }

    // MARK: - Overlays

    /// The help text: this screen's own keys first, then every group; generated from the live
    /// key map, so a rebinding shows here as it works.
    static func helpLines(_ model: DashboardModel) -> [(key: String, text: String, isTitle: Bool)] {
        var lines: [(key: String, text: String, isTitle: Bool)] = []
        let screen = RootScreen.screen(model.rootScreen)
        let here = model.route.isDetail ? "a detail of \(screen.name)" : "\(screen.name): \(screen.summary)"
        lines.append(("", "This screen: " + here, true))
        let own = model.keyMap.bindings.filter { binding in
            switch binding.scope {
            case .screen(let id): id == screen.id && !model.route.isDetail
            case .details: model.route.isDetail
            case .lists: !model.route.isDetail
            case .everywhere: false
            }
        }
        for binding in own {
            lines.append((binding.keys.isEmpty ? "(off)" : binding.label, binding.description, false))
        }
        var group = ""
        for binding in model.keyMap.bindings where binding.scope == .everywhere {
            if binding.group != group {
                group = binding.group
                lines.append(("", group, true))
            }
            lines.append((binding.keys.isEmpty ? "(off)" : binding.label, binding.description, false))
        }
        lines.append(("", "Anywhere you type (filter, :, search, prompts)", true))
        lines.append(("← → ^A ^E", "move; ^U ^K ^W delete; Tab completes a : command", false))
        if !model.hints.isEmpty {
            lines.append(("", "This session", true))
            for hint in model.hints { lines.append(("", hint, false)) }
        }
        return lines
    }

    /// The characters of a box: drawn lines, or plain ASCII (`borders: ascii`).
    struct Box {
        var topLeft = "┌", topRight = "┐", bottomLeft = "└", bottomRight = "┘", horizontal = "─", vertical = "│"
        static let ascii = Box(
            topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-", vertical: "|")
    }

    static func drawHelp(_ model: DashboardModel, scroll: Int, on canvas: inout some Canvas) {
        let box = model.asciiBorders ? Box.ascii : Box()
        let lines = helpLines(model)
        let boxWidth = min(canvas.width, 84)
        let boxHeight = min(canvas.height - 2, lines.count + 2)
        let left = (canvas.width - boxWidth) / 2
        let top = max(0, (canvas.height - boxHeight) / 2)
        let inner = boxWidth - 2
        let visible = boxHeight - 2
        let first = min(scroll, max(0, lines.count - visible))
        canvas.put(
            box.topLeft + String(repeating: box.horizontal, count: inner) + box.topRight, x: left, y: top,
            role: .helpBorder)
        canvas.put(" keys ", x: left + 2, y: top, role: .helpTitle)
        for row in 1..<(boxHeight - 1) {
            canvas.put(box.vertical, x: left, y: top + row, role: .helpBorder)
            canvas.fill(x: left + 1, y: top + row, width: inner, role: .helpText)
            canvas.put(box.vertical, x: left + boxWidth - 1, y: top + row, role: .helpBorder)
        }
        canvas.put(
            box.bottomLeft + String(repeating: box.horizontal, count: inner) + box.bottomRight, x: left,
            y: top + boxHeight - 1, role: .helpBorder)
        // How to close, always on the frame; where in the list, when it scrolls.
        let more = lines.count > visible ? " \(first + 1)-\(min(lines.count, first + visible))/\(lines.count) ↑↓ " : ""
        let close = " Esc ? q close "
        canvas.put(more, x: left + 2, y: top + boxHeight - 1, role: .helpTitle)
        canvas.put(close, x: left + boxWidth - 1 - TextWidth.of(close), y: top + boxHeight - 1, role: .helpTitle)
        let keyWidth = 11
        for (offset, line) in lines[first..<min(lines.count, first + visible)].enumerated() {
            let y = top + 1 + offset
            if line.isTitle {
                canvas.put(line.text, x: left + 2, y: y, role: .helpTitle, limit: inner - 2)
            } else {
                canvas.put(TextWidth.fit(line.key, to: keyWidth - 1), x: left + 2, y: y, role: .helpKey)
                canvas.put(line.text, x: left + 2 + keyWidth, y: y, role: .helpText, limit: inner - keyWidth - 2)
            }
        }
    }

    /// `i`: the selected row, each column's title and its full text (wrapped).
    static func drawInspector(_ model: DashboardModel, view: VisibleContent, on canvas: inout some Canvas) {
        guard view.rows.indices.contains(view.selectedIndex) else { return }
        let box = model.asciiBorders ? Box.ascii : Box()
        let row = view.rows[view.selectedIndex]
        let boxWidth = min(canvas.width - 2, 100)
        let inner = boxWidth - 2
        let titleWidth = min(20, (view.content.columns.map { TextWidth.of($0.title) }.max() ?? 4) + 2)
        var lines: [StyledLine] = []
        for (index, column) in view.content.columns.enumerated() {
            let text = row.cells.indices.contains(index) ? row.cells[index].text : ""
            let title = column.title.isEmpty ? "#" : column.title
            lines.append(
                StyledLine([(TextWidth.fit(title, to: titleWidth), .label), (text.isEmpty ? "—" : text, .value)]))
        }
        let wrapped = wrap(lines, width: inner - 2)
        let boxHeight = min(canvas.height - 2, wrapped.count + 2)
        let left = (canvas.width - boxWidth) / 2
        let top = max(0, (canvas.height - boxHeight) / 2)
        canvas.put(
            box.topLeft + String(repeating: box.horizontal, count: inner) + box.topRight, x: left, y: top,
            role: .helpBorder)
        canvas.put(" row in full ", x: left + 2, y: top, role: .helpTitle)
        for offset in 1..<(boxHeight - 1) {
            let y = top + offset
            canvas.put(box.vertical, x: left, y: y, role: .helpBorder)
            canvas.fill(x: left + 1, y: y, width: inner, role: .helpText)
            canvas.put(box.vertical, x: left + boxWidth - 1, y: y, role: .helpBorder)
            guard wrapped.indices.contains(offset - 1) else { continue }
            var x = left + 2
            for segment in wrapped[offset - 1].segments {
                x = canvas.put(segment.text, x: x, y: y, role: segment.role, limit: max(0, left + boxWidth - 2 - x))
            }
        }
        canvas.put(
            box.bottomLeft + String(repeating: box.horizontal, count: inner) + box.bottomRight, x: left,
            y: top + boxHeight - 1, role: .helpBorder)
        canvas.put(" any key closes ", x: left + boxWidth - 18, y: top + boxHeight - 1, role: .helpTitle)
    }
}
