import Checks
import Foundation
import WatchModel

/// Draws the dashboard onto any `Canvas`. Every cell of the frame is written on every draw
/// (no clearing), so a terminal that diffs frames never flickers.
public enum Renderer {
    public static let minimumWidth = 60
    public static let minimumHeight = 12

    public static func draw(_ model: inout DashboardModel, on canvas: inout some Canvas, now: Date = Date()) {
        let width = canvas.width
        let height = canvas.height
        for y in 0..<height { canvas.fill(x: 0, y: y, width: width, role: .background) }
        guard width >= minimumWidth, height >= minimumHeight else {
            drawTooSmall(on: &canvas)
            return
        }
        let view = model.visible()
        drawTabs(model, on: &canvas)
        drawBreadcrumbs(&model, view: view, on: &canvas)
        let bodyTop = 2
        let bodyBottom = height - 2 // exclusive: status bar and footer below
        drawBody(&model, view: view, top: bodyTop, bottom: bodyBottom, on: &canvas)
        drawStatusBar(model, y: height - 2, now: now, on: &canvas)
        drawFooter(model, view: view, y: height - 1, now: now, on: &canvas)
        if model.mode == .help { drawHelp(model, on: &canvas) }
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

    static func drawTabs(_ model: DashboardModel, on canvas: inout some Canvas) {
        canvas.fill(x: 0, y: 0, width: canvas.width, role: .tabInactive)
        let screens = Screens(status: model.status)
        let summary = model.summary
        let counts: [Route: Int] = [
            .contracts: summary.contracts, .tables: summary.tables, .violations: summary.violations,
            .owners: summary.owners, .changes: summary.changes,
        ]
        let labels = Route.roots.enumerated().map { index, route in
            " \(index + 1) \(screens.title(for: route)) \(counts[route] ?? 0) "
        }
        let title = " contractwatch "
        let tabsWidth = labels.reduce(0) { $0 + TextWidth.of($1) + 1 }
        // The tabs matter more than the name: drop the name when both do not fit.
        var x = TextWidth.of(title) + tabsWidth + 8 <= canvas.width ? canvas.put(title, x: 0, y: 0, role: .title) : -1
        let root = model.stack.first ?? .contracts
        for (route, label) in zip(Route.roots, labels) {
            x = canvas.put(label, x: x + 1, y: 0, role: route == root ? .tabActive : .tabInactive)
        }
        let help = " ? help "
        let helpX = canvas.width - TextWidth.of(help)
        if helpX > x { canvas.put(help, x: helpX, y: 0, role: .tabInactive) }
    }

    static func drawBreadcrumbs(_ model: inout DashboardModel, view: VisibleContent, on canvas: inout some Canvas) {
        let screens = Screens(status: model.status)
        let crumbs = model.stack.map { screens.title(for: $0) }.joined(separator: " › ")
        var right: [String] = []
        let state = model.listState(model.route)
        if !state.filter.isEmpty { right.append("filter \"\(state.filter)\": \(view.rows.count) of \(view.totalRows)") }
        if let column = state.sortColumn, view.content.columns.indices.contains(column) {
            let title = view.content.columns[column].title.isEmpty ? "new" : view.content.columns[column].title
            right.append("sort \(title) \(state.sortReversed ? "↓" : "↑")")
        } else if state.sortReversed {
            right.append("sort reversed")
        }
        if !view.rows.isEmpty { right.append("\(view.selectedIndex + 1)/\(view.rows.count)") }
        let rightText = right.joined(separator: "  ")
        let rightWidth = TextWidth.of(rightText)
        canvas.put(" " + crumbs, x: 0, y: 1, role: .breadcrumbs, limit: max(0, canvas.width - rightWidth - 2))
        canvas.put(rightText, x: canvas.width - rightWidth - 1, y: 1, role: .dim)
    }

    static func drawBody(
        _ model: inout DashboardModel, view: VisibleContent, top: Int, bottom: Int, on canvas: inout some Canvas
    ) {
        var y = top
        let available = bottom - top
        let headerLimit = view.content.header.isEmpty ? 0 : min(view.content.header.count, max(2, available / 2))
        for line in view.content.header.prefix(headerLimit) {
            var x = 1
            for segment in line.segments {
                x = canvas.put(segment.text, x: x, y: y, role: segment.role, limit: canvas.width - x - 1)
            }
            y += 1
        }
        if headerLimit > 0 { y += 1 }
        guard y < bottom else { return }

        let widths = layout(view.content.columns, natural: view.naturalWidths, width: canvas.width - 1)
        // Column header.
        canvas.fill(x: 0, y: y, width: canvas.width, role: .tableHeader)
        drawCells(
            view.content.columns.map { RowCell($0.title) }, columns: view.content.columns, widths: widths, y: y,
            rowRole: .tableHeader, forceRole: true, on: &canvas)
        y += 1
        let height = bottom - y
        model.pageSize = max(1, height)
        guard height > 0 else { return }
        if view.rows.isEmpty {
            canvas.put(view.content.emptyMessage, x: 2, y: y, role: .dim, limit: canvas.width - 3)
            return
        }
        let first = model.scrollOffset(height: height, rows: view.rows.count)
        for (offset, row) in view.rows[first..<min(view.rows.count, first + height)].enumerated() {
            let index = first + offset
            let selected = index == view.selectedIndex
            canvas.fill(x: 0, y: y + offset, width: canvas.width, role: selected ? .selected : .background)
            drawCells(
                row.cells, columns: view.content.columns, widths: widths, y: y + offset,
                rowRole: selected ? .selected : row.role, forceRole: selected, on: &canvas)
        }
    }

    static func drawCells(
        _ cells: [RowCell], columns: [ColumnSpec], widths: [Int], y: Int, rowRole: Role, forceRole: Bool,
        on canvas: inout some Canvas
    ) {
        var x = 1
        for (index, width) in widths.enumerated() where width > 0 {
            let cell = cells.indices.contains(index) ? cells[index] : RowCell("")
            let text = TextWidth.fit(cell.text, to: width, alignRight: columns[index].alignRight)
            canvas.put(text, x: x, y: y, role: forceRole ? rowRole : (cell.role ?? rowRole))
            x += width + 2
        }
    }

    /// Natural widths: the header and the widest cell among the first rows and an even sample
    /// of the rest (so widths do not jump while scrolling), within each column's min and max.
    public static func naturalWidths(_ columns: [ColumnSpec], rows: [ContentRow]) -> [Int] {
        var sample = Array(rows.prefix(300))
        if rows.count > 300 {
            let step = max(1, rows.count / 300)
            sample += stride(from: 300, to: rows.count, by: step).map { rows[$0] }
        }
        return columns.enumerated().map { index, column in
            let widest = sample.reduce(TextWidth.of(column.title)) { current, row in
                row.cells.indices.contains(index) ? max(current, TextWidth.of(row.cells[index].text)) : current
            }
            return min(max(widest, column.minWidth), column.maxWidth)
        }
    }

    /// Column widths for `width` columns from their natural widths: flexible columns shrink
    /// (least important first), expendable ones may be hidden, spare room goes to the most
    /// important columns.
    public static func layout(_ columns: [ColumnSpec], natural naturalWidths: [Int], width: Int) -> [Int] {
        guard !columns.isEmpty, naturalWidths.count == columns.count else { return columns.map { _ in 0 } }
        var widths = naturalWidths
        func total() -> Int { widths.reduce(0) { $0 + $1 } + 2 * max(0, widths.filter { $0 > 0 }.count - 1) }
        // The least important flexible column gives way first (by default the rightmost).
        // Two passes: first down to half their natural width (sparing the most important
        // column), then down to their minimum, so one column does not collapse while another
        // keeps everything.
        let order = widths.indices.sorted { (columns[$0].importance ?? -$0) < (columns[$1].importance ?? -$1) }
        let natural = widths
        let mostImportant = order.last { columns[$0].flexible }
        for pass in 0..<2 {
            for index in order where columns[index].flexible && !(pass == 0 && index == mostImportant) {
                let excess = total() - width
                if excess <= 0 { break }
                let floor = pass == 0 ? max(columns[index].minWidth, natural[index] / 2) : columns[index].minWidth
                let shrink = min(excess, widths[index] - floor)
                if shrink > 0 { widths[index] -= shrink }
            }
        }
        // Still too wide: drop whole columns, least important first (never the first column).
        while total() > width, let drop = order.first(where: { $0 > 0 && widths[$0] > 0 }) {
            widths[drop] = 0
        }
        if total() > width { widths[0] = max(1, width) }
        // The most important column is worth more than an expendable one: hide expendable columns
        // until it shows in full (what a WHERE says must not be cut).
        if let key = mostImportant {
            while natural[key] - widths[key] > width - total(),
                let drop = order.first(where: {
                    $0 > 0 && $0 != key && widths[$0] > 0 && (columns[$0].importance ?? 0) <= ColumnSpec.expendable
                })
            {
                widths[drop] = 0
            }
        }
        // Room left over goes back to the most important columns, up to their natural width.
        for index in order.reversed() where widths[index] > 0 && columns[index].flexible {
            let spare = width - total()
            if spare <= 0 { break }
            widths[index] += min(spare, max(0, natural[index] - widths[index]))
        }
        return widths
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
            } else {
                x = canvas.put(" ● connected ", x: x, y: y, role: .statusOK)
            }
        case .blocked(let reason):
            x = canvas.put(" ◌ \(reason) ", x: x, y: y, role: .statusWarning, limit: canvas.width * 2 / 3)
        case .retrying(let attempt, let retryAt, let reason):
            let seconds = max(0, Int(retryAt.timeIntervalSince(now).rounded(.up)))
            x = canvas.put(
                " ✖ retrying in \(seconds)s (attempt \(attempt)): \(reason) ", x: x, y: y, role: .statusError,
                limit: canvas.width * 2 / 3)
        }
        if model.paused {
            x = canvas.put(" PAUSED ", x: x, y: y, role: .paused)
        }
        // Most important first: what is broken, where, how fresh; the right end may be cut.
        var parts: [String] = []
        if status.result != nil {
            let summary = model.summary
            var counts = "\(summary.contracts) contracts · \(summary.violations) violations"
            if summary.violations > 0 {
                counts += " (\(summary.breaking) breaking\(summary.recent == 0 ? "" : ", \(summary.recent) new"))"
            }
            if summary.invalidFiles > 0 { counts += " · \(summary.invalidFiles) invalid" }
            parts.append(counts)
        }
        if let info = status.connection { parts.append(info.target) } else { parts.append(status.target) }
        if let at = status.lastPollAt {
            let age = max(0, Int(now.timeIntervalSince(at)))
            parts.append(
                "polled \(age)s ago in \(Int(((status.lastPollSeconds ?? 0) * 1000).rounded()))ms"
                    + (status.lastPollKind == .unchanged ? " (no change)" : ""))
        }
        parts.append(model.paused ? "polling paused" : "every \(DashboardModel.format(seconds: model.interval))")
        if let problem = status.problem { parts.append("⚠ " + problem) }
        canvas.put(" " + parts.joined(separator: " │ "), x: x, y: y, role: .statusBar, limit: canvas.width - x)
    }

    static func drawFooter(
        _ model: DashboardModel, view: VisibleContent, y: Int, now: Date, on canvas: inout some Canvas
    ) {
        canvas.fill(x: 0, y: y, width: canvas.width, role: .background)
        switch model.mode {
        case .filter:
            let filter = model.listState(model.route).filter
            let x = canvas.put(" /", x: 0, y: y, role: .prompt)
            let end = canvas.put(filter + "▏", x: x, y: y, role: .value)
            canvas.put(
                "  \(view.rows.count) of \(view.totalRows) match · Enter keeps · Esc clears", x: end, y: y, role: .dim)
            return
        case .previewPrompt(let text):
            let x = canvas.put(" preview migration file: ", x: 0, y: y, role: .prompt)
            let end = canvas.put(text + "▏", x: x, y: y, role: .value)
            canvas.put("  Enter runs it in a transaction and rolls back · Esc cancels", x: end, y: y, role: .dim)
            return
        case .command(let text):
            let x = canvas.put(" :", x: 0, y: y, role: .prompt)
            let end = canvas.put(text + "▏", x: x, y: y, role: .value)
            canvas.put("  contracts · tables · violations · owners · q   (Tab completes)", x: end, y: y, role: .dim)
            return
        case .normal, .help:
            break
        }
        if let flash = model.flash, flash.until >= now {
            canvas.put(" " + flash.text, x: 0, y: y, role: flash.isError ? .flashError : .flashInfo)
            return
        }
        var hints: [(String, String)] = [
            ("Enter", "open"), ("Esc", "back"), ("/", "filter"), ("s", "sort"), (":", "jump"),
            ("R", "poll"), ("space", model.paused ? "resume" : "pause"), ("y", "copy email"), ("m", "message"),
            ("?", "help"), ("q", "quit"),
        ]
        if model.stack.count == 1 { hints.remove(at: 1) }
        var x = 1
        for (key, action) in hints {
            let width = TextWidth.of(key) + 1 + TextWidth.of(action) + 2
            if x + width > canvas.width { break }
            x = canvas.put(key, x: x, y: y, role: .footerKey)
            x = canvas.put(" " + action + "  ", x: x, y: y, role: .footerHint)
        }
    }

    static func drawHelp(_ model: DashboardModel, on canvas: inout some Canvas) {
        var lines: [(String, String, Bool)] = [] // key, text, isGroupTitle
        var group = ""
        for binding in KeyMap.bindings {
            if binding.group != group {
                group = binding.group
                lines.append(("", group, true))
            }
            lines.append((binding.label, binding.description, false))
        }
        let extra = model.hints
        let boxWidth = min(canvas.width - 4, 88)
        let extraHeight = extra.isEmpty ? 0 : extra.count + 1
        // One column when it fits, else two.
        let oneColumn = lines.count + extraHeight + 2 <= canvas.height - 2
        let contentHeight = (oneColumn ? lines.count : (lines.count + 1) / 2) + extraHeight
        let boxHeight = min(canvas.height - 2, contentHeight + 2)
        let left = (canvas.width - boxWidth) / 2
        let top = max(0, (canvas.height - boxHeight) / 2)
        let inner = boxWidth - 2
        canvas.put("┌" + String(repeating: "─", count: inner) + "┐", x: left, y: top, role: .helpBorder)
        canvas.put(" keys ", x: left + 2, y: top, role: .helpTitle)
        for row in 1..<(boxHeight - 1) {
            canvas.put("│", x: left, y: top + row, role: .helpBorder)
            canvas.fill(x: left + 1, y: top + row, width: inner, role: .helpText)
            canvas.put("│", x: left + boxWidth - 1, y: top + row, role: .helpBorder)
        }
        canvas.put("└" + String(repeating: "─", count: inner) + "┘", x: left, y: top + boxHeight - 1, role: .helpBorder)
        canvas.put(" Esc or ? closes ", x: left + boxWidth - 18, y: top + boxHeight - 1, role: .helpTitle)
        var y = top + 1
        // Two columns of bindings when they do not fit in one.
        let rowsAvailable = max(1, boxHeight - 2 - extraHeight)
        let columnsNeeded = oneColumn ? 1 : 2
        let perColumn = (lines.count + columnsNeeded - 1) / columnsNeeded
        let columnWidth = inner / columnsNeeded
        for (index, line) in lines.enumerated() {
            let column = index / max(1, perColumn)
            let row = index % max(1, perColumn)
            guard row < rowsAvailable else { continue }
            let x = left + 2 + column * columnWidth
            if line.2 {
                canvas.put(line.1, x: x, y: y + row, role: .helpTitle, limit: columnWidth - 2)
            } else {
                canvas.put(TextWidth.fit(line.0, to: 9), x: x, y: y + row, role: .helpKey)
                canvas.put(line.1, x: x + 10, y: y + row, role: .helpText, limit: columnWidth - 12)
            }
        }
        y += min(perColumn, rowsAvailable)
        if !extra.isEmpty {
            y += 1
            for line in extra where y < top + boxHeight - 1 {
                canvas.put(line, x: left + 2, y: y, role: .helpText, limit: inner - 2)
                y += 1
            }
        }
    }
}
