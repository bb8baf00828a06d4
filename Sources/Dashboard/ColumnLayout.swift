/// Column widths for a table by priority: identifying columns (priority 0) first and never cut
/// below their readable minimum while a lower-priority column still shows; lower-priority
/// columns shrink, then hide, before an identifying one is cut. `←`/`→` scroll by hiding the
/// leftmost optional columns, which lets hidden ones on the right show.
public struct ColumnLayout: Sendable, Hashable {
    /// One per column; 0 = hidden.
    public var widths: [Int]
    /// Optional columns scrolled out on the left (`←` brings them back).
    public var hiddenLeft: Int
    /// Columns that do not fit (`→` shows them).
    public var hiddenRight: Int

    public var visibleCount: Int { widths.filter { $0 > 0 }.count }

    /// Lays out `columns` in `width` cells, two spaces between columns. `scrolled`: how many of
    /// the leftmost optional (non-identifying) columns are scrolled out.
    public static func compute(_ columns: [ColumnSpec], natural: [Int], width: Int, scrolled: Int = 0) -> ColumnLayout {
        guard !columns.isEmpty, natural.count == columns.count, width > 0 else {
            return ColumnLayout(widths: columns.map { _ in 0 }, hiddenLeft: 0, hiddenRight: 0)
        }
        var widths = natural
        let optional = columns.indices.filter { !columns[$0].identifies }
        let scrolledOut = Set(optional.prefix(max(0, scrolled)))
        for index in scrolledOut { widths[index] = 0 }
        func total() -> Int {
            let shown = widths.filter { $0 > 0 }
            return shown.reduce(0, +) + 2 * max(0, shown.count - 1)
        }
        // Least important first: highest priority number, then the rightmost.
        let giveWay = optional.sorted {
            columns[$0].priority != columns[$1].priority ? columns[$0].priority > columns[$1].priority : $0 > $1
        }
        // 1–2. Level by level, least important first: its flexible columns shrink (to half
        // their natural width, then to their minimum), then its columns hide, the rightmost
        // first. A more important column is not cut while a less important one still shows.
        var dropped: Set<Int> = []
        let levels = Set(optional.map { columns[$0].priority }).sorted(by: >)
        for level in levels where total() > width {
            let members = giveWay.filter { columns[$0].priority == level && widths[$0] > 0 }
            for pass in 0..<2 {
                for index in members where columns[index].flexible {
                    let excess = total() - width
                    if excess <= 0 { break }
                    let floor = pass == 0 ? max(columns[index].minWidth, natural[index] / 2) : columns[index].minWidth
                    widths[index] -= max(0, min(excess, widths[index] - floor))
                }
            }
            for index in members where total() > width {
                widths[index] = 0
                dropped.insert(index)
            }
        }
        // 3. Identifying columns shrink toward their minimum.
        let identifying = columns.indices.filter { columns[$0].identifies }
        // The widest gives way first, so two long names are cut alike, not one to its minimum.
        while total() > width {
            let candidates = identifying.filter { columns[$0].flexible && widths[$0] > columns[$0].minWidth }
            guard let widest = candidates.max(by: { widths[$0] < widths[$1] || (widths[$0] == widths[$1] && $0 < $1) })
            else { break }
            widths[widest] -= 1
        }
        // 4. Still too wide: identifying columns hide from the right (never the first one).
        for index in identifying.dropFirst().reversed() where total() > width {
            widths[index] = 0
            dropped.insert(index)
        }
        // 5. A single column wider than the screen is cut to it.
        if total() > width, let first = widths.firstIndex(where: { $0 > 0 }) {
            widths[first] = max(1, widths[first] - (total() - width))
        }
        // 6. Room left: cut columns grow back, identifying first, then by priority.
        let growOrder = identifying + giveWay.reversed()
        for index in growOrder where widths[index] > 0 && widths[index] < natural[index] {
            let spare = width - total()
            if spare <= 0 { break }
            widths[index] += min(spare, natural[index] - widths[index])
        }
        // 7. A dropped column that now fits at its minimum comes back, most important first.
        for index in growOrder.filter({ dropped.contains($0) }) {
            let spare = width - total() - 2
            guard spare >= columns[index].minWidth else { continue }
            widths[index] = min(natural[index], spare)
            dropped.remove(index)
        }
        return ColumnLayout(widths: widths, hiddenLeft: scrolledOut.count, hiddenRight: dropped.count)
    }
}
