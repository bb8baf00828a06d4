import Catalog
import Checks
import Foundation
import Preview
import WatchModel

/// The Migrations screen and a migration file's detail: what the pending files of the watched
/// folder would break and do, from the migration watcher's last run.
extension Screens {
    /// The header both screens share: the folder, how pending was decided, the last run.
    func migrationsHeader(_ migrations: MigrationsStatus) -> [StyledLine] {
        var header: [StyledLine] = []
        var folder = migrations.folder
        if let layout = migrations.layout { folder += " (\(layout.rawValue) layout)" }
        header.append(StyledLine.field("Folder", folder))
        for note in migrations.notes { header.append(StyledLine.field("Pending", note, .dim)) }
        if migrations.running {
            header.append(StyledLine.field("Preview", "running on a schema copy…", .statusWarning))
        } else if let at = migrations.ranAt {
            let seconds = migrations.seconds.map { String(format: " in %.1f s", $0) } ?? ""
            header.append(
                StyledLine.field(
                    "Preview",
                    "\(migrations.ranOn) at \(Self.clock(at))\(seconds)"
                        + (migrations.ranOn == MigrationsStatus.onSchemaCopy ? "; the target is never written" : ""),
                    .dim))
        }
        if let failure = migrations.failure {
            let place = failure.file.map { "\($0):\(failure.line)" } ?? "line \(failure.line)"
            header.append(StyledLine.field("Fails", "\(place): \(failure.message)", .violationError))
        } else if let error = migrations.error {
            header.append(StyledLine.field("Cannot", error, .violationError))
        }
        return header
    }

    func migrationList() -> ScreenContent {
        guard let migrations = status.migrations else {
            return ScreenContent(
                title: "Migrations", columns: [], rows: [],
                emptyMessage:
                    "No migrations folder is watched. Start with --migrations DIR (or migrations: DIR in the config "
                    + "file): its pending files are previewed on a schema copy on every save.")
        }
        let failed = migrations.failure != nil || migrations.error != nil
        let rows = migrations.files.map { file in
            let breaking = file.introduced.filter(\.breaking).count
            let errors = file.hazards.filter { $0.code.severity == .error }.count
            let state: RowCell
            if let failure = file.failure {
                state = RowCell("! fails at line \(failure.line)", role: .violationError, sort: .number(0))
            } else if failed {
                state = RowCell("—", role: .dim, sort: .number(4))
            } else if breaking > 0 {
                state = RowCell("✗ breaks \(breaking)", role: .contractViolated, sort: .number(1))
            } else if errors > 0 {
                state = RowCell("! \(errors) hazard\(plural(errors))", role: .violationWarning, sort: .number(2))
            } else if migrations.running && migrations.runCount == 0 {
                state = RowCell("… previewing", role: .dim, sort: .number(4))
            } else {
                state = RowCell("✓ safe", role: .contractOK, sort: .number(3))
            }
            let codes = Set(file.hazards.map(\.code.rawValue)).sorted().joined(separator: " ")
            let owners = Set(file.introduced.map { Self.ownerName($0.owner) }).sorted().joined(separator: ", ")
            var change = ""
            if file.changedSinceLastRun {
                let new = file.newSinceLastRun.count
                change = new > 0 ? "+\(new)" : ""
                if file.goneSinceLastRun > 0 { change += (change.isEmpty ? "" : " ") + "−\(file.goneSinceLastRun)" }
                if change.isEmpty { change = "edited" }
            }
            return ContentRow(
                id: file.name,
                cells: [
                    RowCell(
                        file.changedSinceLastRun ? "●" : " ", role: .new,
                        sort: .number(file.changedSinceLastRun ? 0 : 1)),
                    RowCell(file.name), state,
                    RowCell(failed ? "—" : codes.isEmpty ? "none" : codes, role: codes.isEmpty ? .dim : nil),
                    RowCell(owners.isEmpty ? "—" : owners, role: owners.isEmpty ? .dim : nil),
                    RowCell(change, role: .new),
                ], target: .migration(file.name), copyText: file.introduced.first?.owner?.email,
                isNew: file.changedSinceLastRun)
        }
        var header = migrationsHeader(migrations)
        if !migrations.fixed.isEmpty {
            header.append(
                StyledLine.field(
                    "Fixes",
                    migrations.fixed.map { "\($0.kind.rawValue) \($0.location)" }.joined(separator: ", "),
                    .contractOK))
        }
        if !migrations.skipped.isEmpty {
            header.append(StyledLine.field("Skipped", migrations.skipped.joined(separator: "; "), .dim))
        }
        return ScreenContent(
            title: "Migrations", header: header,
            columns: [
                ColumnSpec("", min: 1, max: 1, priority: 0),
                ColumnSpec("FILE", min: 12, max: 48, flexible: true, priority: 0, cut: .middle),
                ColumnSpec("PREVIEW", min: 11, max: 18, priority: 0),
                ColumnSpec("HAZARDS", min: 7, max: 30, flexible: true, priority: 1),
                ColumnSpec("OWNERS TO ASK", min: 10, max: 40, flexible: true, priority: 2),
                ColumnSpec("SINCE SAVE", min: 6, max: 10, priority: 3),
            ],
            rows: rows,
            emptyMessage: migrations.error == nil
                ? (migrations.runCount == 0 ? "Reading the folder…" : "Nothing pending: every file is applied.")
                : "")
    }

    /// One pending file: each statement with its SQL, then what it would break (Enter opens
    /// the diff and the owner) and what it would do.
    func migrationDetail(_ name: String) -> ScreenContent {
        guard let migrations = status.migrations, let file = migrations.files.first(where: { $0.name == name }) else {
            return ScreenContent(
                title: name, header: [StyledLine.field("File", "no longer pending (applied, or renamed)", .dim)],
                columns: [], rows: [], emptyMessage: "", rowsSelectable: false)
        }
        var header: [StyledLine] = [StyledLine.field("File", "\(migrations.folder)/\(file.name)")]
        if !file.version.isEmpty && file.version != file.name.dropLast(4) {
            header.append(StyledLine.field("Version", file.version))
        }
        header += migrationsHeader(migrations).dropFirst()
        if file.changedSinceLastRun {
            header.append(
                StyledLine.field(
                    "Since save",
                    "\(file.newSinceLastRun.count) new finding\(plural(file.newSinceLastRun.count)) (●), "
                        + "\(file.goneSinceLastRun) gone", .new))
        }
        var rows: [ContentRow] = []
        for (offset, statement) in file.statements.enumerated() {
            let number = file.firstStatement + offset
            let failedHere = file.failure?.line == statement.line
            rows.append(
                ContentRow(
                    id: "s|\(number)",
                    cells: [
                        RowCell(String(statement.line), role: .dim),
                        RowCell(statement.text.split(whereSeparator: \.isWhitespace).joined(separator: " "), cut: .end),
                    ],
                    role: failedHere ? .violationError : .diffHeader))
            if failedHere, let failure = file.failure {
                rows.append(
                    ContentRow(
                        id: "f|\(number)", cells: [RowCell(""), RowCell("  ! fails: \(failure.message)")],
                        role: .violationError))
            }
            for violation in file.introduced where file.introducedBy[violation.id] == number {
                let key = MigrationsStatus.key(violation.id)
                rows.append(
                    ContentRow(
                        id: "v|" + key,
                        cells: [
                            RowCell(""),
                            RowCell(
                                "  ✗ breaks \(violation.kind.rawValue) \(violation.location): expected "
                                    + "\(violation.expected), after \(violation.actual) — \(violation.contract), "
                                    + "ask \(Self.ownerName(violation.owner))"),
                        ],
                        role: violation.severity == .error ? .violationError : .violationWarning,
                        target: .wouldBreak(violation.id), copyText: violation.owner?.email,
                        isNew: file.newSinceLastRun.contains(key)))
            }
            for hazard in file.hazards where hazard.statement == number {
                let key = MigrationsStatus.key(hazard)
                rows.append(
                    ContentRow(
                        id: "h|" + key,
                        cells: [
                            RowCell(""),
                            RowCell("  \(hazard.code.rawValue) \(hazard.code.severity.rawValue): \(hazard.detail)"),
                        ],
                        role: hazard.code.severity == .error ? .violationError : .violationWarning,
                        isNew: file.newSinceLastRun.contains(key)))
                rows.append(
                    ContentRow(
                        id: "r|" + key, cells: [RowCell(""), RowCell("      instead: \(hazard.code.recipe)")],
                        role: .dim))
            }
            for entry in file.suppressed where entry.hazard.statement == number {
                rows.append(
                    ContentRow(
                        id: "i|" + MigrationsStatus.key(entry.hazard),
                        cells: [
                            RowCell(""),
                            RowCell(
                                "  \(entry.hazard.code.rawValue) ignored (\(entry.suppression.reason)): "
                                    + entry.hazard.detail),
                        ], role: .dim))
            }
            if let effect = file.effects.first(where: { $0.statement == number }) {
                var did: [String] = []
                // The strongest lock it took on each relation, in the order taken.
                var strongest: [QualifiedName: HeldLock] = [:]
                for (relation, lock) in effect.locks where lock.strength > strongest[relation]?.strength ?? -1 {
                    strongest[relation] = lock
                }
                var named = Set<QualifiedName>()
                let locks = effect.locks.map(\.relation).filter { named.insert($0).inserted }
                if !locks.isEmpty {
                    did.append(
                        "locks "
                            + locks.compactMap { relation in strongest[relation].map { "\($0.spelled) on \(relation)" }
                            }
                            .joined(separator: ", "))
                }
                if !effect.rewritten.isEmpty {
                    did.append("rewrites " + effect.rewritten.map(\.description).joined(separator: ", "))
                }
                if !effect.scanned.isEmpty {
                    did.append("reads whole " + effect.scanned.map(\.description).joined(separator: ", "))
                }
                if !did.isEmpty {
                    rows.append(
                        ContentRow(
                            id: "e|\(number)", cells: [RowCell(""), RowCell("  " + did.joined(separator: "; "))],
                            role: .dim))
                }
            }
        }
        return ScreenContent(
            title: file.name, header: header,
            columns: [
                ColumnSpec("LINE", min: 4, max: 6, alignRight: true, priority: 0),
                ColumnSpec("STATEMENT AND WHAT IT WOULD DO", min: 20, max: 400, flexible: true, priority: 0),
            ],
            rows: rows, emptyMessage: "The file has no SQL statements.",
            copyText: file.introduced.first?.owner?.email)
    }

    /// A violation a preview predicts: from `p`, or from a watched migration file.
    func predicted(_ id: ViolationID) -> (violation: Violation, migration: String, at: Date?)? {
        if let preview = status.preview, let violation = preview.introduced.first(where: { $0.id == id }) {
            return (violation, preview.migration, preview.at)
        }
        guard let migrations = status.migrations, let file = migrations.file(introducing: id),
            let violation = file.introduced.first(where: { $0.id == id })
        else { return nil }
        let place = file.cause(of: id).map { "\(file.name):\($0.line)" } ?? file.name
        return (violation, place, migrations.ranAt)
    }
}
