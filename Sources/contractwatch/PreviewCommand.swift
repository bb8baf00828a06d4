import ArgumentParser
import Catalog
import CatalogReader
import Checks
import ContractFiles
import Contracts
import Foundation
import Postgres
import Preview
import Reports
import Watch

/// Which violations fail the gate: breaking ones (`error`, the default) or any (`warning`).
enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case error, warning

    /// `hazards`: a preview's (suppressed ones are not passed): CW codes of that severity or
    /// worse fail the gate too.
    func fails(_ result: CheckResult, violations: [Violation]? = nil, hazards: [Hazard] = []) -> Bool {
        if !result.contractErrors.isEmpty { return true }
        let relevant = violations ?? result.violations
        if self == .warning { return !relevant.isEmpty || !hazards.isEmpty }
        return relevant.contains { $0.severity == .error } || hazards.contains { $0.code.severity == .error }
    }
}

struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Report what a migration would break, without applying it.",
        discussion: """
            By default the migration runs on a scratch copy: the target's schema (pg_dump \
            --schema-only, no data) restored into a private throwaway PostgreSQL server of the same \
            major version, which is removed afterwards. The target is only read: it is never written, \
            and never locked by the migration. Effects are reported with the target's real sizes. \
            --in-place runs it on the target itself, in a transaction that is always rolled back \
            (catches data-dependent failures; holds the migration's locks while it runs): for \
            development databases, and a server that is not local needs --yes. Reports the \
            violations the migration would introduce and fix, and its hazards (locks, rewrites, \
            scans), in the formats and with the exit codes of `check`. Scripts with transaction \
            control (BEGIN, COMMIT…) or commands that cannot run in a transaction (VACUUM, CREATE \
            DATABASE…) are refused before anything runs; on the schema copy CREATE/DROP INDEX \
            CONCURRENTLY run without the word and are judged as written. In place, sequences moved by \
            the script stay advanced (PostgreSQL never rolls them back).
            """
    )

    @Argument(
        help: ArgumentHelp(
            "The migration script, or a folder of migrations (its pending files are previewed together, in order).",
            discussion:
                "Folder layouts: Flyway (V1__x.sql, R__x.sql), golang-migrate (1_x.up.sql), dbmate (-- migrate:up), "
                + "or numbered *.sql files by name. Pending is read from the tool's history table "
                + "(flyway_schema_history, schema_migrations) when there is one.",
            valueName: "MIGRATION.sql|DIR"))
    var migration: String

    @Option(
        name: .customLong("from"),
        help: ArgumentHelp(
            "With a folder: the first pending file (instead of the tool's history table).", valueName: "FILE"))
    var from: String?

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var contractOptions: ContractOptions

    @Option(name: .long, help: CheckReport.Format.help)
    var format: CheckReport.Format = .text

    @Option(
        name: .customLong("fail-on"),
        help: "Fail on violations and hazards of this severity or worse: error (breaking) or warning."
    )
    var failOn: FailOn = .error

    @Flag(
        name: .customLong("in-place"),
        help: "Run on the target itself, in a transaction that is rolled back (holds the migration's locks meanwhile)."
    )
    var inPlace = false

    @Flag(name: .customLong("yes"), help: "With --in-place: allow a server that is not on this machine.")
    var yes = false

    @Flag(
        name: .customLong("data-checks"),
        help: ArgumentHelp(
            "Ask the target (read-only, within the statement timeout) what the migration assumes about its data.",
            discussion:
                "NULLs before NOT NULL, rows before a NOT NULL column without default, duplicates before a "
                + "unique index, rows and values a drop deletes."))
    var dataChecks = false

    func run() throws {
        let settings = connection.settings()
        guard let unchecked = try readScript(settings: settings) else { return }
        let script: MigrationScript
        do { script = try MigrationPreview.validate(unchecked, standIns: !inPlace) } catch {
            let hint =
                inPlace && unchecked.refusals(allowingStandIns: true).isEmpty
                ? " (without --in-place, preview runs CONCURRENTLY forms on the schema copy)" : ""
            throw CommandFailure.usage("\(migration): \(error.description)\(hint)")
        }
        let contracts: ContractSet
        contracts = try contractOptions.load()
        let run: MigrationPreview.Run
        if inPlace {
            run = try runInPlace(script, contracts: contracts, settings: settings)
        } else {
            run = try runOnScratchCopy(script, contracts: contracts, settings: settings)
        }
        try report(run, script: script)
    }

    /// The file's script, or a folder's pending files as one script; nil when nothing is pending.
    func readScript(settings: ConnectionSettings) throws -> MigrationScript? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: migration, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            if from != nil { throw CommandFailure.usage("--from FILE is for a folder of migrations") }
            switch ContractFolder.readFile(migration, limit: MigrationPreview.maximumScriptSize) {
            case .success(let read): return MigrationScript(String(decoding: read, as: UTF8.self))
            case .failure(let unreadable):
                throw CommandFailure.usage("cannot read \(migration): \(unreadable.reason)")
            }
        }
        let found: (folder: MigrationFolder, pending: PendingMigrations)
        do { found = try MigrationSource.pending(folder: migration, settings: settings, from: from) } catch {
            throw CommandFailure.couldNotCheck(error.description)
        }
        for skipped in found.folder.skipped {
            Output.error("contractwatch preview: skipping \(skipped.name): \(skipped.reason)")
        }
        for note in found.pending.notes { Output.error("contractwatch preview: \(note)") }
        guard !found.pending.pending.isEmpty else {
            Output.error(
                "contractwatch preview: nothing pending in \(migration) (\(found.folder.layout.rawValue) layout, "
                    + "\(found.folder.files.count) file\(found.folder.files.count == 1 ? "" : "s"))")
            return nil
        }
        Output.error(
            "contractwatch preview: \(found.folder.layout.rawValue) layout; pending, in order: "
                + found.pending.pending.map(\.name).joined(separator: ", "))
        return MigrationScript(files: found.pending.pending.map { ($0.name, $0.sql, $0.lineOffset) })
    }

    /// The default: the migration runs on a throwaway copy of the target's schema.
    func runOnScratchCopy(_ script: MigrationScript, contracts: ContractSet, settings: ConnectionSettings) throws
        -> MigrationPreview.Run
    {
        let sizes: [QualifiedName: RelationSize]
        let copy: ScratchCopy
        do throws(PostgresError) {
            sizes = try MigrationPreview.sizes(settings)
            copy = try ScratchCopy.make(from: settings)
        } catch {
            throw CommandFailure.couldNotCheck("cannot make the scratch copy: \(error.description)")
        }
        defer { copy.tearDown() }
        Output.error(
            String(
                format: "contractwatch preview: running on a schema copy of %@ (PostgreSQL %@, made in %.1f s, no "
                    + "data); the target is only read, never written or locked by the migration",
                copy.database, copy.serverVersion, copy.seconds))
        if let first = copy.restoreErrors.first {
            Output.error(
                "contractwatch preview: warning: the copy could not restore \(copy.restoreErrors.count) statement(s) "
                    + "of the schema (first: \(first)); statements that depend on them may fail or differ")
        }
        do throws(MigrationPreview.Failure) {
            return try MigrationPreview.run(
                script: script, contracts: contracts, settings: copy.settings, sizes: sizes, standIns: true)
        } catch {
            var message = error.description
            if case .migrationFailed = error {
                message += " (on the schema copy)"
            }
            throw CommandFailure.couldNotCheck(message)
        }
    }

    /// `--in-place`: on the target, in a transaction that is always rolled back.
    func runInPlace(_ script: MigrationScript, contracts: ContractSet, settings: ConnectionSettings)
        throws -> MigrationPreview.Run
    {
        // Decided from the settings, before anything connects.
        let libpq = (try? Connection.clientEnvironment(dsn: settings.dsn)) ?? [:]
        let environment = ProcessInfo.processInfo.environment
        let hosts = (libpq["PGHOSTADDR"] ?? libpq["PGHOST"] ?? environment["PGHOSTADDR"] ?? environment["PGHOST"] ?? "")
            .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if let remote = hosts.first(where: { !Self.isLocal($0) }), !yes {
            throw CommandFailure.usage(
                "--in-place would run the migration on \(remote), which is not this machine, and hold its locks "
                    + "until the rollback; add --yes if that is a development database, or drop --in-place to "
                    + "preview on a scratch copy")
        }
        let server: ServerInfo
        do { server = try Connection(settings).info } catch {
            throw CommandFailure.couldNotCheck(error.description)
        }
        Output.error(
            "contractwatch preview: --in-place: running on \(server.target) in a transaction that is rolled back; "
                + "until then it holds the locks its statements take")
        let run: MigrationPreview.Run
        do {
            run = try MigrationPreview.run(script: script, contracts: contracts, settings: settings)
        } catch {
            if error.rolledBack {
                Output.error("contractwatch preview: rolled back (PostgreSQL confirms the transaction was aborted)")
            }
            throw CommandFailure.couldNotCheck(error.description)
        }
        // The strongest lock on each relation.
        let held = Dictionary(
            run.effects.flatMap(\.locks).map { ($0.relation.description, $0.lock) },
            uniquingKeysWith: { a, b in a.strength >= b.strength ? a : b }
        ).mapValues(\.spelled)
        if !held.isEmpty {
            Output.error(
                "contractwatch preview: held on the target while it ran: "
                    + held.sorted { $0.key < $1.key }.map { "\($0.value) on \($0.key)" }.joined(separator: ", "))
        }
        if run.catalogUnchanged {
            Output.error(
                "contractwatch preview: rolled back; the database is unchanged (PostgreSQL confirms the "
                    + "transaction was aborted)"
            )
        } else {
            Output.error(
                "contractwatch preview: rolled back (PostgreSQL confirms the transaction was aborted), but the "
                    + "catalog changed while it ran: another session, or an effect PostgreSQL does not roll back "
                    + "(dblink, a background worker)"
            )
        }
        if ["nextval", "setval"].contains(where: { name in
            script.statements.contains { $0.sql.range(of: name, options: .caseInsensitive) != nil }
        })
            || script.statements.contains(where: { $0.keywords.first == "INSERT" })
        {
            Output.error(
                "contractwatch preview: note: sequences moved by the script (nextval, setval, serial columns) are "
                    + "not rolled back by PostgreSQL"
            )
        }

        return run
    }

    /// Socket directories and loopback addresses.
    static func isLocal(_ host: String) -> Bool {
        host.isEmpty || host.hasPrefix("/") || host.hasPrefix("@") || ["localhost", "127.0.0.1", "::1"].contains(host)
    }

    func report(_ run: MigrationPreview.Run, script: MigrationScript) throws {
        let (before, after) = (run.before, run.after)
        var checks = run.dataChecks
        if dataChecks && !checks.isEmpty {
            Output.error(
                "contractwatch preview: asking the target \(checks.count) data question\(checks.count == 1 ? "" : "s") "
                    + "(read-only, each within the statement timeout)")
            checks = MigrationPreview.runDataChecks(checks, settings: connection.settings())
        }
        let impact = MigrationImpact(before: before, after: after)
        let report = PreviewReport(
            migration: migration, statementCount: script.statements.count, introduced: impact.introduced,
            fixed: impact.fixed, violationsBefore: before.violations.count, violationsAfter: after.violations.count,
            after: after, checkedAt: Date(), effects: run.effects, hazards: run.hazards, suppressed: run.suppressed,
            ranOn: inPlace ? "in place" : "on a schema copy", dataChecks: checks, introducedBy: run.introducedBy,
            statements: run.statements)
        Output.write(report.render(format))
        if format == .github { Output.stepSummary { report.render(.markdown) } }
        if failOn.fails(report.check.result, violations: impact.introduced) {
            throw CommandFailure(status: ExitStatus.violations, message: "the migration would break contracts")
        }
        let found = checks.filter { $0.outcome == .found && (failOn == .warning || $0.severity == .error) }
        if let first = found.first {
            throw CommandFailure(
                status: ExitStatus.violations,
                message: "the target's data says: \(first.summary)"
                    + (found.count > 1 ? " (and \(found.count - 1) more)" : ""))
        }
        if failOn.fails(report.check.result, violations: [], hazards: run.hazards) {
            throw CommandFailure(
                status: ExitStatus.violations,
                message: "the migration has hazards of severity \(failOn.rawValue) or worse (accept one with "
                    + "`-- contractwatch:ignore CODE reason` on its statement)")
        }
    }
}
