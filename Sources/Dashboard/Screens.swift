import Catalog
import Checks
import Contracts
import Foundation
import WatchModel

/// Builds each screen's content from a status. Pure: same status, same screen.
public struct Screens {
    public let status: WatchStatus
    /// The Violations screen also lists resolved findings from the history.
    public let showResolved: Bool

    /// The last check's violations by contract file, built on first use (screens that list
    /// contracts ask per contract; the breadcrumbs, drawn every frame, never do).
    private let index = ViolationIndex()

    private final class ViolationIndex {
        var byFile: [String: [Violation]]?
        var noticesByContract: [String?: [Notice]]?
    }

    public init(status: WatchStatus, showResolved: Bool = false) {
        self.status = status
        self.showResolved = showResolved
    }

    var result: CheckResult? { status.result }
    var contracts: [Contract] { status.contracts.contracts }

    public func content(for route: Route) -> ScreenContent {
        switch route {
        case .contracts: contractList()
        case .tables: tableList()
        case .violations: violationList()
        case .owners: ownerList()
        case .changes: changeList()
        case .notices: noticeList()
        case .migrations: migrationList()
        case .migration(let name): migrationDetail(name)
        case .contract(let file): contractDetail(file)
        case .table(let name): tableDetail(name)
        case .violation(let id): violationDetail(id)
        case .wouldBreak(let id): wouldBreakDetail(id)
        case .owner(let key): ownerDetail(key)
        case .change(let id): changeDetail(id)
        }
    }

    /// Short label for breadcrumbs.
    public func title(for route: Route) -> String {
        if let screen = route.screen {
            let name = RootScreen.screen(screen).name
            return screen == .violations && showResolved ? name + " (with resolved)" : name
        }
        switch route {
        case .contract(let file): return contracts.first { $0.file == file }?.name ?? contractStem(file)
        case .table(let name): return name.description
        case .violation(let id): return Self.label(id, result: result)
        case .wouldBreak(let id): return "would break " + (id.column.map { "\(id.table.name).\($0)" } ?? id.table.name)
        case .owner(let key): return owners().first { $0.key == key }?.display ?? key
        case .change(let id): return status.changes.first { Self.changeID($0) == id }?.change.kind.rawValue ?? "change"
        case .migration(let name): return name
        default: return ""
        }
    }

    /// A change event's identity (stable while it is kept).
    static func changeID(_ event: ChangeEvent) -> String {
        let change = event.change
        return "\(event.at.timeIntervalSince1970)|\(change.location)|\(change.kind.rawValue)|\(change.old ?? "")"
    }

    /// The notices about one contract.
    func notices(for contract: Contract) -> [Notice] {
        // Grouped once: the Contracts screen asks for every contract.
        if index.noticesByContract == nil {
            index.noticesByContract = Dictionary(grouping: result?.notices ?? [], by: \.contract)
        }
        return index.noticesByContract?[contract.name] ?? []
    }

    static func label(_ id: ViolationID, result: CheckResult?) -> String {
        guard let violation = result?.violations.first(where: { $0.id == id }) else { return id.kind.rawValue }
        return violation.column.map { "\(violation.table).\($0)" } ?? violation.table
    }

    // MARK: - Shared pieces

    func violations(forFile file: String) -> [Violation] {
        if index.byFile == nil { index.byFile = Dictionary(grouping: result?.violations ?? [], by: \.file) }
        return index.byFile?[file] ?? []
    }

    /// Lists show the owner's name (the email is in details and on the Owners screen; `y` copies it).
    static func ownerName(_ owner: Owner?) -> String {
        owner?.name ?? owner?.email ?? "(no owner)"
    }

    var registry: OwnersRegistry { status.contracts.registry }

    /// Identity of someone named for a role: the registry id, else the reference as written.
    static func personKey(_ role: ResolvedRole) -> String {
        role.person.map { $0.email?.lowercased() ?? $0.id } ?? role.reference.lowercased()
    }

    /// Everyone named for any role on any contract, with what they hold.
    struct OwnerSummary {
        var key: String
        var person: Person?
        var reference: String
        var roles: [OwnerRole]
        var contracts: [Contract]
        var display: String { person?.display ?? reference }
    }

    /// Linear in the contracts: one team owning 2,000 contracts once cost 300 ms on the UI
    /// thread (each summary was copied out of the dictionary and searched for the file).
    func owners() -> [OwnerSummary] {
        var byKey: [String: OwnerSummary] = [:]
        var filesByKey: [String: Set<String>] = [:]
        var order: [String] = []
        for contract in contracts {
            let roles = registry.roles(for: contract)
            if roles.isEmpty {
                let key = "(no owner)"
                if byKey[key] == nil { order.append(key) }
                byKey[key, default: OwnerSummary(key: key, person: nil, reference: key, roles: [], contracts: [])]
                    .contracts.append(contract)
            }
            for role in roles {
                let key = Self.personKey(role)
                if byKey[key] == nil {
                    order.append(key)
                    byKey[key] = OwnerSummary(
                        key: key, person: role.person, reference: role.reference, roles: [], contracts: [])
                }
                // Changed in place: a summary taken out and stored back is copied on every write.
                if byKey[key]?.roles.contains(role.role) == false { byKey[key]?.roles.append(role.role) }
                if filesByKey[key, default: []].insert(contract.file).inserted {
                    byKey[key]?.contracts.append(contract)
                }
            }
        }
        return order.compactMap { byKey[$0] }.sorted { $0.display.localizedLowercase < $1.display.localizedLowercase }
    }

    /// One line per role: name, email, team, channel, escalation: the same people the `owners`
    /// command prints.
    func ownerCard(_ contract: Contract?) -> [StyledLine] {
        guard let contract else { return [StyledLine.field("Owner", "(unknown contract)", .dim)] }
        let roles = registry.roles(for: contract)
        if roles.isEmpty {
            return [StyledLine.field("Owner", "none: the contract names no owner (lint reports it)", .violationWarning)]
        }
        var lines: [StyledLine] = []
        for role in roles {
            let label = TextWidth.fit(role.role.label, to: 21)
            guard let person = role.person else {
                lines.append(
                    StyledLine([
                        (label, .label), (role.reference, .value), ("  (not in owners.yaml)", .violationWarning),
                    ]))
                continue
            }
            var segments: [(String, Role)] = [(label, .label), (person.name ?? person.id, .value)]
            if let email = person.email { segments.append(("  <\(email)>", .value)) }
            let extra = registry.contactDetails(person)
            if !extra.isEmpty { segments.append(("  · " + extra.joined(separator: " · "), .dim)) }
            lines.append(StyledLine(segments))
        }
        return lines
    }

    func personCard(_ summary: OwnerSummary) -> [StyledLine] {
        guard let person = summary.person else {
            return [
                StyledLine.field("Name", summary.reference),
                StyledLine.field("Registry", "not in owners.yaml: add it to reach this person", .violationWarning),
            ]
        }
        var lines = [
            StyledLine.field("Name", person.name ?? person.id),
            StyledLine.field("Email", person.email ?? "—", person.email == nil ? .dim : .value),
        ]
        if let team = registry.team(of: person)?.name ?? person.team { lines.append(StyledLine.field("Team", team)) }
        if let channel = person.channel {
            lines.append(StyledLine.field("Channel", channel + (person.tool.map { " (\($0))" } ?? "")))
        }
        if let escalation = person.escalation { lines.append(StyledLine.field("Escalation", escalation)) }
        if let notes = person.notes { lines.append(StyledLine.field("Notes", notes, .dim)) }
        lines.append(StyledLine.field("Roles", summary.roles.map(\.label).joined(separator: ", ")))
        return lines
    }

    static func openFor(_ status: WatchStatus, _ ids: [ViolationID]) -> RowCell {
        let spans = ids.compactMap { status.openFor($0) }
        guard let longest = spans.max(by: { $0.seconds < $1.seconds }) else {
            return RowCell("—", role: .dim, sort: .number(-1))
        }
        return RowCell((longest.exact ? "" : "≥") + duration(longest.seconds), sort: .number(longest.seconds))
    }

    static func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h\(s % 3600 / 60 > 0 ? " \(s % 3600 / 60)m" : "")" }
        return "\(s / 86_400)d \(s % 86_400 / 3600)h"
    }

    static func statusCell(_ status: ContractStatus?) -> RowCell {
        switch status {
        case .ok?: RowCell("✓ ok", role: .contractOK, sort: .number(2))
        case .violated?: RowCell("✗ violated", role: .contractViolated, sort: .number(0))
        case .invalid?: RowCell("! invalid", role: .contractInvalid, sort: .number(1))
        case nil: RowCell("… pending", role: .dim, sort: .number(3))
        }
    }

    static func severityCell(_ violation: Violation) -> RowCell {
        if violation.critical { return RowCell("CRIT", role: .violationError, sort: .number(-1)) }
        return violation.severity == .error
            ? RowCell("ERROR", role: .violationError, sort: .number(0))
            : RowCell("WARN", role: .violationWarning, sort: .number(1))
    }

    static func count(_ n: Int) -> RowCell { RowCell(String(n), sort: .number(Double(n))) }

    // MARK: - Lists

    func contractList() -> ScreenContent {
        let outcomes = Dictionary((result?.contracts ?? []).map { ($0.file, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [ContentRow] = contracts.map { contract in
            let found = violations(forFile: contract.file)
            let breaking = found.filter(\.breaking).count
            let table = contract.qualifiedTable
            return ContentRow(
                id: contract.file,
                cells: [
                    Self.statusCell(outcomes[contract.file]?.status),
                    RowCell(contract.name),
                    RowCell(table.description),
                    RowCell(Self.ownerName(contract.owner), role: contract.owner == nil ? .dim : nil),
                    RowCell(
                        found.isEmpty ? "0" : "\(found.count) (\(breaking) breaking)",
                        role: found.isEmpty ? nil : (breaking > 0 ? .violationError : .violationWarning),
                        sort: .number(Double(found.count))),
                    Self.count(notices(for: contract).count),
                ], target: .contract(file: contract.file), copyText: contract.owner?.email)
        }
        for file in Set(status.contracts.errors.map(\.file)).sorted() {
            let first = status.contracts.errors.first { $0.file == file }
            rows.append(
                ContentRow(
                    id: file,
                    cells: [
                        Self.statusCell(.invalid),
                        RowCell(contractStem(file)),
                        RowCell(
                            first.map { "\($0.line.map { "line \($0): " } ?? "")\($0.message)" } ?? "",
                            role: .contractInvalid, cut: .end),
                        RowCell("—", role: .dim),
                        Self.count(0),
                        Self.count(0),
                    ], target: .contract(file: file)))
        }
        rows.sort { $0.id < $1.id }
        return ScreenContent(
            title: "Contracts",
            columns: [
                ColumnSpec("STATUS", min: 6, max: 11, flexible: true, priority: 0),
                ColumnSpec("CONTRACT", min: 12, max: 44, flexible: true, priority: 0, cut: .middle),
                ColumnSpec("TABLE", min: 12, max: 40, flexible: true, priority: 0, cut: .start),
                ColumnSpec("OWNER", min: 8, max: 32, flexible: true, priority: 3),
                ColumnSpec("VIOLATIONS", min: 10, max: 16, alignRight: true, priority: 2),
                ColumnSpec("NOTICES", min: 7, max: 7, alignRight: true, priority: 4),
            ],
            rows: rows,
            emptyMessage: status.contracts.fileCount == 0
                ? "No contract files (*.json, *.yaml) in \(status.contractsFolder)." : "Loading contracts…"
        )
    }

    static func missingTableRow(_ name: QualifiedName, _ covering: [Contract]) -> ContentRow {
        ContentRow(
            id: name.description,
            cells: [
                RowCell(name.description), RowCell("missing", role: .violationError), count(0),
                RowCell(covering.map(\.name).joined(separator: ", ")),
                RowCell("✗ table missing", role: .contractViolated, sort: .number(0)),
            ], target: .table(name), copyText: covering.first?.owner?.email)
    }

    /// What a contracted table's row shows besides the relation itself.
    struct ContractedTable: Sendable {
        var contracts: String
        var state: RowCell
        var owner: String?
    }

    /// The first position in `0..<count` where `isBelow` turns false (it must be true up to some
    /// position and false from there): a binary search.
    static func firstPosition(_ count: Int, where isBelow: (Int) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if isBelow(middle) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// One relation's row on the Tables screen.
    static func tableRow(_ relation: Relation, contracted: ContractedTable?) -> ContentRow {
        let name = relation.name.description
        return ContentRow(
            id: name,
            cells: [
                RowCell(name),
                RowCell(
                    relation.isPartition ? relation.kind.label + " (partition)" : relation.kind.label,
                    role: relation.kind.isTable ? nil : .dim),
                count(relation.columns.count),
                RowCell(contracted?.contracts ?? "—", role: contracted == nil ? .dim : nil),
                contracted?.state ?? RowCell("— uncontracted", role: .dim, sort: .number(2)),
            ], role: contracted == nil ? .dim : .row, target: .table(relation.name), copyText: contracted?.owner)
    }

    func tableList() -> ScreenContent {
        var contractByTable: [QualifiedName: [Contract]] = [:]
        for contract in contracts {
            contractByTable[contract.qualifiedTable, default: []].append(contract)
        }
        // What the contracted tables show is decided here (a few thousand at most); the rest of a
        // 50,000-table catalog is made row by row when drawn (see `RowList`), from the snapshot's
        // relations, which it keeps sorted by name.
        var contracted: [QualifiedName: ContractedTable] = [:]
        for (name, covering) in contractByTable {
            let found = covering.flatMap { violations(forFile: $0.file) }
            contracted[name] = ContractedTable(
                contracts: covering.map(\.name).joined(separator: ", "),
                state: found.isEmpty
                    ? RowCell("✓ ok", role: .contractOK, sort: .number(1))
                    : RowCell(
                        "✗ \(found.count) violation\(plural(found.count))", role: .contractViolated, sort: .number(0)),
                owner: covering.first?.owner?.email)
        }
        let relations = status.snapshot?.relations ?? []
        // Contracted tables the catalog lacks are placed among the relations by name: `missing`
        // holds their positions in the merged list, in order.
        var missing: [(position: Int, row: ContentRow)] = []
        if let snapshot = status.snapshot {
            let absent = contractByTable.filter { snapshot.relation($0.key) == nil }.sorted { $0.key < $1.key }
            for (rank, (name, covering)) in absent.enumerated() {
                let before = Self.firstPosition(relations.count) { relations[$0].name < name }
                missing.append((before + rank, Self.missingTableRow(name, covering)))
            }
        }
        let rows = RowList(count: relations.count + missing.count) { [missing, contracted] position in
            // Missing rows before this position.
            let low = Self.firstPosition(missing.count) { missing[$0].position < position }
            if low < missing.count, missing[low].position == position { return missing[low].row }
            return Self.tableRow(relations[position - low], contracted: contracted[relations[position - low].name])
        }
        let header =
            status.catalogComplete
            ? [] : [StyledLine([("◌ reading the whole catalog: the contracted tables come first", .dim)])]
        var content = ScreenContent(
            title: "Tables",
            header: header,
            columns: [
                ColumnSpec("TABLE", min: 16, max: 64, flexible: true, priority: 0, cut: .start),
                ColumnSpec("KIND", min: 5, max: 24, flexible: true, priority: 3),
                ColumnSpec("COLUMNS", min: 7, max: 7, alignRight: true, priority: 4),
                ColumnSpec("CONTRACT", min: 8, max: 44, flexible: true, priority: 2, cut: .middle),
                ColumnSpec("STATUS", min: 14, max: 18, flexible: true, priority: 1),
            ],
            rows: [],
            emptyMessage: status.snapshot == nil
                ? "Waiting for the first catalog snapshot…" : "No tables in any user schema."
        )
        content.rows = rows
        return content
    }

    /// Live violations the last preview says the migration would fix.
    var fixedByPreview: Set<ViolationID> {
        guard let preview = status.preview, preview.error == nil else { return [] }
        return Set(preview.fixed.map(\.id))
    }

    func violationList() -> ScreenContent {
        let fixed = fixedByPreview
        let rows = (result?.violations ?? []).map { violation in
            let isNew = status.isRecent(violation.id)
            let wouldFix = fixed.contains(violation.id)
            return ContentRow(
                id: Self.key(violation.id),
                cells: [
                    wouldFix
                        ? RowCell("✓", role: .contractOK, sort: .number(0.5))
                        : RowCell(isNew ? "●" : " ", role: .new, sort: .number(isNew ? 0 : 1)),
                    Self.severityCell(violation),
                    RowCell(violation.kind.rawValue),
                    RowCell(violation.location),
                    RowCell(violation.expected.description),
                    RowCell(violation.actual.description),
                    RowCell(violation.contract),
                    RowCell(Self.ownerName(violation.owner), role: violation.owner == nil ? .dim : nil),
                ], target: .violation(violation.id), copyText: violation.owner?.email, isNew: isNew)
        }
        var all = rows
        var header: [StyledLine] = []
        if let preview = status.preview {
            if let error = preview.error {
                header.append(StyledLine([("Preview of \(preview.migration): ", .label), (error, .flashError)]))
            } else {
                header.append(
                    StyledLine([
                        ("Preview of \(preview.migration) at \(Self.clock(preview.at)): ", .label),
                        (
                            "would break \(preview.introduced.count)",
                            preview.introduced.isEmpty ? .contractOK : .violationError
                        ),
                        (", would fix \(preview.fixed.count)", .dim),
                        (
                            preview.hazards.isEmpty
                                ? ", no hazards"
                                : ", hazards " + preview.hazards.map(\.code.rawValue).joined(separator: " "),
                            preview.hazards.contains { $0.code.severity == .error } ? .violationError : .dim
                        ),
                        (" (✓ marks fixes; run on a schema copy and rolled back; P clears)", .dim),
                    ]))
            }
            for violation in preview.introduced {
                all.append(
                    ContentRow(
                        id: "preview|" + Self.key(violation.id),
                        cells: [
                            RowCell("◆", role: .flashError), RowCell("WOULD", role: .flashError, sort: .number(-2)),
                            RowCell(violation.kind.rawValue),
                            RowCell(violation.location), RowCell(violation.expected.description),
                            RowCell(violation.actual.description),
                            RowCell(violation.contract), RowCell(Self.ownerName(violation.owner)),
                        ], target: .wouldBreak(violation.id), copyText: violation.owner?.email))
            }
        }
        if showResolved {
            for record in status.history.resolved {
                guard let kind = ViolationKind(rawValue: record.kind) else { continue }
                let id = ViolationID(
                    file: record.file, contract: record.contract,
                    table: QualifiedName(schema: record.schema, name: record.table),
                    column: record.column, kind: kind)
                let table = QualifiedName(schema: record.schema, name: record.table)
                all.append(
                    ContentRow(
                        id: "resolved|" + record.key,
                        cells: [
                            RowCell(" "), RowCell("RESOLVED", role: .contractOK, sort: .number(5)),
                            RowCell(record.kind),
                            RowCell(
                                record.column.map { table.description + "." + QualifiedName.display($0) }
                                    ?? table.description),
                            RowCell(""), RowCell(record.resolvedAt.map { "at " + Self.stamp($0) } ?? ""),
                            RowCell(record.contract), RowCell(""),
                        ], role: .dim, target: .violation(id)))
            }
        }
        return ScreenContent(
            title: showResolved ? "Violations (with resolved)" : "Violations",
            header: header,
            columns: [
                ColumnSpec("", min: 1, max: 1, priority: 0), ColumnSpec("LEVEL", min: 5, max: 8, priority: 0),
                ColumnSpec("KIND", min: 10, max: 24, flexible: true, priority: 0),
                ColumnSpec("WHERE", min: 16, max: 64, flexible: true, priority: 0, cut: .start),
                ColumnSpec("EXPECTED", min: 8, max: 30, flexible: true, priority: 1),
                ColumnSpec("ACTUAL", min: 8, max: 30, flexible: true, priority: 0),
                ColumnSpec("CONTRACT", min: 8, max: 40, flexible: true, priority: 3, cut: .middle),
                ColumnSpec("OWNER", min: 8, max: 32, flexible: true, priority: 2),
            ],
            rows: all,
            emptyMessage: result == nil ? "Waiting for the first check…" : "No violations: every contract holds."
        )
    }

    func ownerList() -> ScreenContent {
        let rows = owners().map { summary in
            let found = summary.contracts.flatMap { violations(forFile: $0.file) }
            let breaking = found.filter(\.breaking).count
            let person = summary.person
            return ContentRow(
                id: summary.key,
                cells: [
                    RowCell(person?.name ?? summary.reference, role: person == nil ? .dim : nil),
                    RowCell(person?.email ?? "—", role: person?.email == nil ? .dim : nil),
                    RowCell(summary.roles.map(\.rawValue).joined(separator: ", ")),
                    RowCell(person?.channel ?? "—", role: person?.channel == nil ? .dim : nil),
                    Self.count(summary.contracts.count),
                    RowCell(
                        String(found.count), role: found.isEmpty ? nil : .violationError,
                        sort: .number(Double(found.count))),
                    RowCell(
                        String(breaking), role: breaking > 0 ? .violationError : nil, sort: .number(Double(breaking))),
                    Self.openFor(status, found.map(\.id)),
                ], target: .owner(summary.key),
                copyText: person?.email ?? (summary.reference.contains("@") ? summary.reference : nil))
        }
        return ScreenContent(
            title: "Owners",
            columns: [
                ColumnSpec("OWNER", min: 12, max: 32, flexible: true, priority: 0),
                ColumnSpec("EMAIL", min: 10, max: 36, flexible: true, priority: 1),
                ColumnSpec("ROLES", min: 14, max: 30, flexible: true, priority: 4),
                ColumnSpec("CHANNEL", min: 7, max: 20, flexible: true, priority: 5),
                ColumnSpec("CONTRACTS", min: 9, max: 9, alignRight: true, priority: 3),
                ColumnSpec("OPEN", min: 4, max: 6, alignRight: true, priority: 1),
                ColumnSpec("BREAKING", min: 8, max: 8, alignRight: true, priority: 2),
                ColumnSpec("OPEN FOR", min: 8, max: 10, alignRight: true, priority: 3),
            ],
            rows: rows,
            emptyMessage: "No contracts, so no owners."
        )
    }

    func changeList() -> ScreenContent {
        let rows = status.changes.enumerated().map { index, event in
            var effect: [String] = []
            if !event.opened.isEmpty {
                effect.append(
                    "opened "
                        + event.opened.map { "\($0.kind.rawValue)\($0.column.map { " " + $0 } ?? "")" }.joined(
                            separator: ", "))
            }
            if !event.closed.isEmpty {
                effect.append(
                    "closed "
                        + event.closed.map { "\($0.kind.rawValue)\($0.column.map { " " + $0 } ?? "")" }.joined(
                            separator: ", "))
            }
            let migration = event.migration.map { [RowCell($0)] } ?? []
            return ContentRow(
                id: Self.changeID(event) + "|\(index)",
                cells: [
                    RowCell(Self.clock(event.at), sort: .number(event.at.timeIntervalSince1970)),
                    RowCell(
                        event.change.kind.rawValue,
                        role: event.change.kind == .tableDropped || event.change.kind == .columnDropped
                            ? .violationError : nil),
                    RowCell(event.change.location),
                    RowCell(event.change.values, role: .dim),
                    RowCell(
                        effect.isEmpty ? "—" : effect.joined(separator: "; "),
                        role: event.opened.isEmpty ? (event.closed.isEmpty ? .dim : .contractOK) : .violationError),
                ] + (status.migrations == nil ? [] : migration.isEmpty ? [RowCell("—", role: .dim)] : migration),
                target: .change(Self.changeID(event)))
        }
        return ScreenContent(
            title: "Changes",
            columns: [
                ColumnSpec("TIME", min: 8, max: 8, priority: 2), ColumnSpec("CHANGE", min: 12, max: 22, priority: 0),
                ColumnSpec("WHERE", min: 16, max: 64, flexible: true, priority: 0, cut: .start),
                ColumnSpec("OLD → NEW", min: 12, max: 60, flexible: true, priority: 0, cut: .middle),
                ColumnSpec("VIOLATIONS", min: 10, max: 60, flexible: true, priority: 1),
            ]
                // With a watched migrations folder: the file that made the change.
                + (status.migrations == nil ? [] : [ColumnSpec("CAUSED BY", min: 10, max: 24, priority: 1)]),
            rows: rows,
            emptyMessage:
                "No catalog changes since watching started. Run a migration in another terminal to see them here."
        )
    }

    /// `HH:MM:SS` today, `YYYY-MM-DD HH:MM` before, both in local time (the date too: it used
    /// to be the UTC date beside a local clock).
    static func stamp(_ date: Date, now: Date = Date(), timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        if calendar.isDate(date, inSameDayAs: now) { return clock(date, timeZone: timeZone) }
        let hour = Date.FormatStyle.Symbol.VerbatimHour.twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)
        let style = Date.VerbatimFormatStyle(
            format:
                "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: hour):\(minute: .twoDigits)",
            timeZone: timeZone, calendar: calendar)
        return date.formatted(style)
    }

    /// `HH:MM:SS` in local time; by hand, as it runs for every row of the Changes screen.
    static func clock(_ date: Date, timeZone: TimeZone = .current) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        let day = ((seconds % 86_400) + 86_400) % 86_400
        return String(format: "%02d:%02d:%02d", day / 3600, day % 3600 / 60, day % 60)
    }

    // MARK: - Details

    func contractDetail(_ file: String) -> ScreenContent {
        guard let contract = contracts.first(where: { $0.file == file }) else {
            return invalidContractDetail(file)
        }
        let table = contract.qualifiedTable
        let relation = status.snapshot?.relation(table)
        let found = violations(forFile: file)
        let tableMissing = found.first { $0.kind == .tableMissing }
        var header: [StyledLine] = [
            StyledLine.field("File", contract.file),
            StyledLine.field(
                "Table", table.description + (relation.map { "  (\($0.kind.label))" } ?? ""),
                tableMissing == nil ? .value : .violationError),
            StyledLine.field(
                "Status",
                found.isEmpty
                    ? (result == nil ? "pending" : "✓ holds")
                    : "✗ \(found.count) violation\(plural(found.count)) (\(found.filter(\.breaking).count) breaking)",
                found.isEmpty ? .contractOK : .contractViolated),
            StyledLine.field("Namespace", (contract.namespace ?? "—") + "   spec-version \(contract.specVersion)"),
        ]
        if let doc = contract.doc { header.append(StyledLine.field("Doc", doc)) }
        if !contract.consumers.isEmpty {
            header.append(
                StyledLine.field(
                    "Consumers",
                    contract.consumers.map { $0.name + ($0.kind.map { " (\($0))" } ?? "") }.joined(separator: ", ")))
        }
        if !contract.customProperties.isEmpty {
            header.append(
                StyledLine.field(
                    "Custom",
                    contract.customProperties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                        separator: "  "), .dim))
        }
        for notice in notices(for: contract) {
            header.append(StyledLine.field("Notice", "\(notice.kind.rawValue): \(notice.detail)", .violationWarning))
        }
        header += ownerCard(contract)
        let rows = contract.columns.map { column in
            let actual = relation?.column(named: column.name)
            let columnViolations = found.filter { $0.column == column.name }
            let state: RowCell
            if let tableMissing {
                state = RowCell("✗ table missing", role: .contractViolated)
                _ = tableMissing
            } else if columnViolations.isEmpty {
                state = RowCell(result == nil ? "…" : "✓ ok", role: .contractOK)
            } else {
                state = RowCell(
                    "✗ " + columnViolations.map(\.kind.rawValue).joined(separator: ", "),
                    role: columnViolations.contains(where: \.breaking) ? .violationError : .violationWarning)
            }
            let target = (columnViolations.first ?? tableMissing).map { Route.violation($0.id) }
            return ContentRow(
                id: column.name,
                cells: [
                    RowCell(column.name),
                    RowCell(DDL.expectedShape(column.expectation)),
                    RowCell(actual.map(DDL.actualShape) ?? "absent", role: actual == nil ? .violationError : nil),
                    state,
                ], target: target, copyText: contract.owner?.email)
        }
        return ScreenContent(
            title: contract.name, header: header,
            columns: [
                ColumnSpec("COLUMN", min: 8, max: 40, flexible: true, priority: 0, cut: .middle),
                ColumnSpec("EXPECTED (CONTRACT)", min: 12, max: 60, flexible: true, priority: 1),
                ColumnSpec("ACTUAL (CATALOG)", min: 12, max: 60, flexible: true, priority: 0),
                ColumnSpec("STATE", min: 8, max: 50, flexible: true, priority: 0),
            ],
            rows: rows, emptyMessage: "The contract lists no columns.", copyText: contract.owner?.email
        )
    }

    /// A file that did not load: each error at file:line:column, the lines around it with a
    /// caret under the column, and what to do.
    func invalidContractDetail(_ file: String) -> ScreenContent {
        let errors = status.contracts.errors.filter { $0.file == file }
        var header: [StyledLine] = [
            StyledLine.field("File", file),
            StyledLine.field(
                "Status", "! invalid: \(errors.count) problem\(plural(errors.count)); the other contracts still load",
                .contractInvalid),
        ]
        for error in errors {
            header.append(StyledLine([]))
            header.append(StyledLine.field("Error", error.description, .contractInvalid))
            let numberWidth = String(error.excerpt.last?.number ?? 0).count
            for line in error.excerpt {
                let number =
                    String(repeating: " ", count: numberWidth - String(line.number).count) + String(line.number)
                header.append(
                    StyledLine([
                        (TextWidth.fit("", to: 11), .label), (number + " │ ", .dim),
                        (
                            line.text.replacingOccurrences(of: "\t", with: " "),
                            line.number == error.line ? .value : .dim
                        ),
                    ]))
                if line.number == error.line, let column = error.column, column >= 1 {
                    let pad = String(repeating: " ", count: numberWidth) + " │ "
                    let before = String(line.text.prefix(column - 1))
                    header.append(
                        StyledLine([
                            (TextWidth.fit("", to: 11), .label), (pad, .dim),
                            (String(repeating: " ", count: TextWidth.of(before)) + "^", .contractInvalid),
                        ]))
                }
            }
        }
        header.append(StyledLine([]))
        header.append(
            StyledLine.field(
                "Next", "fix the file and save: it is read again at the next poll (`contractwatch lint` checks it too)",
                .dim))
        return ScreenContent(
            title: contractStem(file), header: header, columns: [], rows: [], emptyMessage: "",
            rowsSelectable: false)
    }

    /// Every notice of the last check: worth knowing, not a violation.
    func noticeList() -> ScreenContent {
        let byName = Dictionary(contracts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = (result?.notices ?? []).enumerated().map { index, notice in
            let table = notice.table.map { QualifiedName(schema: notice.schema ?? "public", name: $0) }
            let place =
                table.map { table in
                    notice.column.map { table.description + "." + QualifiedName.display($0) } ?? table.description
                }
                ?? "—"
            let contract = notice.contract.flatMap { byName[$0] }
            let target: Route? = contract.map { .contract(file: $0.file) } ?? table.map { .table($0) }
            return ContentRow(
                id: "\(index)|\(notice.kind.rawValue)|\(place)",
                cells: [
                    RowCell(notice.kind.rawValue, role: .violationWarning), RowCell(place),
                    RowCell(notice.contract ?? "—", role: notice.contract == nil ? .dim : nil), RowCell(notice.detail),
                ], target: target, copyText: contract?.owner?.email)
        }
        return ScreenContent(
            title: "Notices",
            columns: [
                ColumnSpec("KIND", min: 12, max: 26, flexible: true, priority: 0),
                ColumnSpec("WHERE", min: 16, max: 60, flexible: true, priority: 0, cut: .start),
                ColumnSpec("CONTRACT", min: 8, max: 40, flexible: true, priority: 2, cut: .middle),
                ColumnSpec("DETAIL", min: 16, max: 200, flexible: true, priority: 1),
            ],
            rows: rows,
            emptyMessage: result == nil ? "Waiting for the first check…" : "No notices: nothing to add to the findings."
        )
    }

    /// A violation the last preview says the migration would introduce, read like a live one.
    func wouldBreakDetail(_ id: ViolationID) -> ScreenContent {
        guard let (violation, migration, at) = predicted(id) else {
            return ScreenContent(
                title: "would break", header: [StyledLine.field("Preview", "cleared: press p to preview again", .dim)],
                columns: [], rows: [], emptyMessage: "", rowsSelectable: false)
        }
        let contract = contracts.first { $0.file == violation.file }
        var header: [StyledLine] = [
            StyledLine([
                ("WOULD BREAK ", .flashError), ("\(violation.kind.rawValue)  ", .value),
                (
                    violation.breaking ? "breaking for consumers" : "not breaking",
                    violation.breaking ? .violationError : .dim
                ),
            ]),
            StyledLine.field(
                "Migration",
                "\(migration), previewed\(at.map { " at \(Self.clock($0))" } ?? "") (run in a transaction, rolled back)"
            ),
            StyledLine.field("Message", violation.message),
            StyledLine.field("Where", violation.location),
            StyledLine.field("Contract", "\(violation.contract) (\(violation.file))"),
            StyledLine.field("Expected", violation.expected.description + "    after: " + violation.actual.description),
        ]
        header += ownerCard(contract)
        let relation = status.snapshot?.relation(violation.qualifiedTable)
        header.append(
            StyledLine.field(
                "Now", relation.map { "the table as it is now: \($0.columns.count) columns" } ?? "no such table now",
                .dim))
        let lines = DDL.diff(
            violation: violation, contract: contract, relation: nil,
            violatedColumns: Set([violation.column].compactMap { $0 }),
            database: result?.database.name ?? "")
        let rows = lines.prefix(while: { !$0.text.hasPrefix("@@ table") }).enumerated().map { index, line in
            ContentRow(id: String(index), cells: [RowCell(line.text, role: line.role)], role: line.role)
        }
        return ScreenContent(
            title: "would break", header: header,
            columns: [ColumnSpec("WHAT THE CONTRACT SAYS", min: 10, max: 400, flexible: true, priority: 0)],
            rows: Array(rows), emptyMessage: "", copyText: violation.owner?.email, rowsSelectable: false)
    }

    /// One catalog change: old and new in full, and exactly the violations it opened or closed.
    func changeDetail(_ id: String) -> ScreenContent {
        guard let event = status.changes.first(where: { Self.changeID($0) == id }) else {
            return ScreenContent(
                title: "change", header: [StyledLine.field("Change", "no longer kept (the newest 1,000 are)", .dim)],
                columns: [], rows: [], emptyMessage: "", rowsSelectable: false)
        }
        let change = event.change
        var header: [StyledLine] = [
            StyledLine.field("Change", change.kind.rawValue),
            StyledLine.field("Where", change.location),
            StyledLine.field("At", Self.stamp(event.at)),
        ]
        if let migration = event.migration {
            header.append(StyledLine.field("Caused by", "\(migration) (a watched migration file)"))
        }
        if let old = change.old { header.append(StyledLine.field("Old", old, .diffRemoved)) }
        if let new = change.new { header.append(StyledLine.field("New", new, .diffAdded)) }
        let covering = contracts.filter { $0.qualifiedTable == change.table }
        header.append(
            StyledLine.field(
                "Contract",
                covering.isEmpty ? "none describes this table" : covering.map(\.name).joined(separator: ", "),
                covering.isEmpty ? .dim : .value))
        let live = Dictionary((result?.violations ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func row(_ id: ViolationID, opened: Bool) -> ContentRow {
            let violation = live[id]
            let place = id.column.map { id.table.description + "." + QualifiedName.display($0) } ?? id.table.description
            return ContentRow(
                id: (opened ? "opened|" : "closed|") + Self.key(id),
                cells: [
                    RowCell(opened ? "opened" : "closed", role: opened ? .violationError : .contractOK),
                    RowCell(id.kind.rawValue), RowCell(place),
                    RowCell(violation == nil ? (opened ? "resolved since" : "resolved") : "open", role: .dim),
                ], target: .violation(id), copyText: violation?.owner?.email)
        }
        let rows = event.opened.map { row($0, opened: true) } + event.closed.map { row($0, opened: false) }
        return ScreenContent(
            title: change.kind.rawValue, header: header,
            columns: [
                ColumnSpec("EFFECT", min: 6, max: 8, priority: 0), ColumnSpec("KIND", min: 10, max: 24, priority: 0),
                ColumnSpec("WHERE", min: 16, max: 64, flexible: true, priority: 0, cut: .start),
                ColumnSpec("NOW", min: 4, max: 16, priority: 1),
            ],
            rows: rows, emptyMessage: "This change opened or closed no violation.")
    }

    func tableDetail(_ name: QualifiedName) -> ScreenContent {
        let covering = contracts.filter { $0.qualifiedTable == name }
        let found = covering.flatMap { violations(forFile: $0.file) }
        guard let relation = status.snapshot?.relation(name) else {
            return ScreenContent(
                title: name.description,
                header: [
                    StyledLine.field("Table", name.description),
                    StyledLine.field("Status", "✗ not in the database", .violationError),
                    StyledLine.field("Contracts", covering.map { "\($0.name) (\($0.file))" }.joined(separator: ", ")),
                ],
                columns: [
                    ColumnSpec("COLUMN", min: 8, max: 40, flexible: true, priority: 0),
                    ColumnSpec("EXPECTED (CONTRACT)", min: 12, max: 60, flexible: true, priority: 0),
                ],
                rows: covering.flatMap { contract in
                    contract.columns.map { column in
                        ContentRow(
                            id: column.name,
                            cells: [RowCell(column.name), RowCell(DDL.expectedShape(column.expectation))],
                            target: found.first.map { .violation($0.id) }, copyText: contract.owner?.email)
                    }
                },
                emptyMessage: "", copyText: covering.first?.owner?.email
            )
        }
        let described = Dictionary(
            covering.flatMap { contract in contract.columns.map { ($0.name, contract) } },
            uniquingKeysWith: { a, _ in a })
        var header: [StyledLine] = [
            StyledLine.field(
                "Table",
                relation.name.description + "  (\(relation.kind.label)\(relation.isPartition ? ", partition" : ""))"),
            StyledLine.field("Comment", relation.comment ?? "—", relation.comment == nil ? .dim : .value),
        ]
        if covering.isEmpty {
            header.append(StyledLine.field("Contract", "— none: no contract describes this table", .dim))
        } else {
            header.append(
                StyledLine.field("Contract", covering.map { "\($0.name) (\($0.file))" }.joined(separator: ", ")))
            let count = relation.columns.filter { described[$0.name] != nil }.count
            header.append(
                StyledLine.field(
                    "Coverage",
                    "\(count) of \(relation.columns.count) columns described"
                        + (found.isEmpty ? ", contract holds" : ", \(found.count) violation\(plural(found.count))"),
                    found.isEmpty ? .contractOK : .contractViolated))
            header += ownerCard(covering.first)
        }
        let rows = relation.columns.map { column in
            let columnViolations = found.filter { $0.column == column.name }
            let state: RowCell
            if described[column.name] == nil {
                state = RowCell(covering.isEmpty ? "" : "— not in contract", role: .dim)
            } else if columnViolations.isEmpty {
                state = RowCell("✓ ok", role: .contractOK)
            } else {
                state = RowCell(
                    "✗ " + columnViolations.map(\.kind.rawValue).joined(separator: ", "), role: .violationError)
            }
            return ContentRow(
                id: column.name,
                cells: [
                    RowCell(String(column.position), sort: .number(Double(column.position))),
                    RowCell(column.name),
                    RowCell(column.formattedType),
                    RowCell(column.isNullable ? "null" : "not null", role: column.isNullable ? .dim : nil),
                    RowCell(
                        column.primaryKeyPosition.map { "PK\($0)" } ?? "",
                        sort: .number(Double(column.primaryKeyPosition ?? 99))),
                    RowCell(column.defaultExpression ?? "", role: .dim),
                    RowCell(column.comment ?? "", role: .dim),
                    state,
                ], target: columnViolations.first.map { .violation($0.id) }, copyText: covering.first?.owner?.email)
        }
        return ScreenContent(
            title: name.description, header: header,
            columns: [
                ColumnSpec("#", min: 2, max: 4, alignRight: true, priority: 3),
                ColumnSpec("COLUMN", min: 8, max: 40, flexible: true, priority: 0, cut: .middle),
                ColumnSpec("TYPE", min: 8, max: 40, flexible: true, priority: 0),
                ColumnSpec("NULL", min: 8, max: 8, priority: 1),
                ColumnSpec("PK", min: 3, max: 4, priority: 2),
                ColumnSpec("DEFAULT", min: 7, max: 30, flexible: true, priority: 4),
                ColumnSpec("COMMENT", min: 7, max: 60, flexible: true, priority: 5),
                ColumnSpec("CONTRACT", min: 8, max: 40, flexible: true, priority: 1),
            ],
            rows: rows, emptyMessage: "This relation has no columns.", copyText: covering.first?.owner?.email
        )
    }

    func violationDetail(_ id: ViolationID) -> ScreenContent {
        guard let violation = result?.violations.first(where: { $0.id == id }) else {
            var header = [
                StyledLine([("✓ This violation is resolved: the latest poll no longer finds it.", .contractOK)])
            ]
            if let record = status.history.record(for: id) {
                header.append(
                    StyledLine.field(
                        "Where",
                        record.column.map { "\(record.schema).\(record.table).\($0)" }
                            ?? "\(record.schema).\(record.table)"))
                header.append(StyledLine.field("Contract", "\(record.contract) (\(record.file))"))
                header.append(
                    StyledLine.field("Opened", (record.firstSeenExact ? "" : "before ") + Self.stamp(record.firstSeen)))
                if let resolved = record.resolvedAt {
                    header.append(
                        StyledLine.field(
                            "Resolved",
                            Self.stamp(resolved)
                                + " (open for \(record.firstSeenExact ? "" : "at least ")"
                                + "\(Self.duration(resolved.timeIntervalSince(record.firstSeen))))"
                        ))
                }
                if let cause = record.cause { header.append(StyledLine.field("Caused by", cause)) }
            }
            return ScreenContent(
                title: id.kind.rawValue,
                header: header,
                columns: [ColumnSpec("DIFF", min: 10, max: 400, flexible: true, priority: 0)], rows: [],
                emptyMessage: "Esc goes back.", rowsSelectable: false
            )
        }
        let contract = contracts.first { $0.file == violation.file }
        var header: [StyledLine] = [
            StyledLine([
                (
                    "\(violation.critical ? "CRITICAL" : violation.severity == .error ? "ERROR" : "WARNING") ",
                    violation.severity == .error ? .violationError : .violationWarning
                ),
                ("\(violation.kind.rawValue)  ", .value),
                (
                    violation.breaking ? "breaking for consumers" : "not breaking",
                    violation.breaking ? .violationError : .dim
                ),
            ]),
            StyledLine.field("Message", violation.message),
            StyledLine.field("Where", violation.location),
            StyledLine.field("Contract", "\(violation.contract) (\(violation.file))"),
            StyledLine.field(
                "Expected", violation.expected.description + "    actual: " + violation.actual.description),
        ]
        if let seen = status.appearedWhileWatching(violation.id) {
            let age = max(0, Int((status.lastPollAt ?? seen).timeIntervalSince(seen)))
            header.append(
                StyledLine([
                    (
                        "● appeared while watching, \(age)s before the latest poll",
                        status.isRecent(violation.id) ? .new : .dim
                    )
                ]))
        }
        if !violation.consumers.isEmpty {
            header.append(
                StyledLine([
                    (
                        TextWidth.fit(violation.critical ? "CRITICAL" : "Consumers", to: 11),
                        violation.critical ? .violationError : .label
                    ),
                    (
                        "at risk: "
                            + violation.consumers.map {
                                $0.name + ($0.kind.map { " (\($0))" } ?? "") + ($0.owner.map { ", owner \($0)" } ?? "")
                            }.joined(separator: "; "),
                        violation.critical ? .violationError : .value
                    ),
                ]))
        }
        if let open = status.openFor(violation.id) {
            let since = status.openSince(violation.id).map { "open since \(Self.stamp($0)), " } ?? ""
            header.append(
                StyledLine.field(
                    "Open",
                    since + (open.exact ? "for " : "for at least ") + Self.duration(open.seconds)
                        + (open.exact ? "" : " (already open when first watched)")))
        }
        if let cause = status.cause(violation.id) {
            header.append(StyledLine.field("Caused by", cause))
        }
        header += ownerCard(contract)
        let relation = status.snapshot?.relation(violation.qualifiedTable)
        let lines = DDL.diff(
            violation: violation, contract: contract, relation: relation,
            violatedColumns: Set(violations(forFile: violation.file).compactMap(\.column)),
            database: result?.database.name ?? "")
        let rows = lines.enumerated().map { index, line in
            ContentRow(
                id: String(index), cells: [RowCell(line.text, role: line.role)], role: line.role,
                copyText: violation.owner?.email)
        }
        return ScreenContent(
            title: Self.label(id, result: result), header: header,
            columns: [ColumnSpec("DIFF  (- contract, + catalog)", min: 10, max: 400, flexible: true, priority: 0)],
            rows: rows, emptyMessage: "", copyText: violation.owner?.email, rowsSelectable: false
        )
    }

    func ownerDetail(_ key: String) -> ScreenContent {
        guard let summary = owners().first(where: { $0.key == key }) else {
            return ScreenContent(
                title: key, columns: [ColumnSpec("CONTRACT", min: 10)], rows: [],
                emptyMessage: "No contracts name this owner any more.")
        }
        let found = summary.contracts.flatMap { violations(forFile: $0.file) }
        var header = personCard(summary)
        header.append(
            StyledLine.field(
                "Open",
                "\(found.count) violation\(plural(found.count)) (\(found.filter(\.breaking).count) breaking) in "
                    + "\(summary.contracts.count) contract\(plural(summary.contracts.count))",
                found.isEmpty ? .contractOK : .violationError))
        let email = summary.person?.email
        var rows: [ContentRow] = []
        for violation in found {
            rows.append(
                ContentRow(
                    id: "v:" + Self.key(violation.id),
                    cells: [
                        Self.severityCell(violation), RowCell(violation.kind.rawValue), RowCell(violation.location),
                        RowCell(violation.contract),
                        Self.openFor(status, [violation.id]),
                    ], target: .violation(violation.id), copyText: email, isNew: status.isRecent(violation.id)))
        }
        for contract in summary.contracts where violations(forFile: contract.file).isEmpty {
            rows.append(
                ContentRow(
                    id: "c:" + contract.file,
                    cells: [
                        RowCell("✓ ok", role: .contractOK, sort: .number(9)), RowCell("contract holds", role: .dim),
                        RowCell(contract.qualifiedTable.description), RowCell(contract.name), RowCell(""),
                    ], target: .contract(file: contract.file), copyText: email))
        }
        return ScreenContent(
            title: summary.display, header: header,
            columns: [
                ColumnSpec("LEVEL", min: 5, max: 8, priority: 0),
                ColumnSpec("KIND", min: 10, max: 26, flexible: true, priority: 0),
                ColumnSpec("WHERE", min: 16, max: 64, flexible: true, priority: 0, cut: .start),
                ColumnSpec("CONTRACT", min: 8, max: 50, flexible: true, priority: 2, cut: .middle),
                ColumnSpec("OPEN FOR", min: 8, max: 10, alignRight: true, priority: 1),
            ],
            rows: rows, emptyMessage: "", copyText: email
        )
    }

    // MARK: - Helpers

    static func key(_ id: ViolationID) -> String {
        "\(id.file)|\(id.column ?? "")|\(id.kind.rawValue)"
    }

}
