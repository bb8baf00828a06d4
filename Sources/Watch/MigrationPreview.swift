import CatalogReader
import Checks
import ContractFiles
import Contracts
import Foundation
import Postgres
import Preview

/// The outcome of previewing a migration: what it would break and fix. Never applied.
public struct PreviewOutcome: Sendable {
    public var migration: String
    public var at: Date
    public var introduced: [Violation]
    public var fixed: [Violation]
    /// Why the preview could not run (refused script, failed migration, connection).
    public var error: String?
}

/// Runs a migration inside a transaction on a writable session, snapshots inside it, and always
/// rolls back. Shared by `contractwatch preview` and the dashboard's `p`.
public enum MigrationPreview {
    public enum Failure: Error, CustomStringConvertible {
        /// The script cannot be previewed (transaction control, non-transactional commands).
        case refused([MigrationScript.Refusal])
        case empty
        case unreadable(String)
        /// The migration itself failed at a statement (1-based, of `count`, at a file line); it
        /// was rolled back.
        case migrationFailed(PostgresError, statement: Int, count: Int, line: Int)
        case database(PostgresError)

        public var description: String {
            switch self {
            case .refused(let refusals): "refusing to preview (nothing was run): " + refusals.map(\.description).joined(separator: "; ")
            case .empty: "the script has no SQL statements"
            case .unreadable(let path): "cannot read \(path)"
            case .migrationFailed(let error, let statement, let count, let line):
                "the migration failed at statement \(statement) of \(count) (line \(line)), so nothing can be previewed (rolled back): "
                    + "\(error.message)" + (error.sqlState.map { " [SQLSTATE \($0)]" } ?? "")
                    + (error.detail.map { "; DETAIL: \($0)" } ?? "") + (error.hint.map { "; HINT: \($0)" } ?? "")
                    + (error.context.map { "; CONTEXT: \($0)" } ?? "")
            case .database(let error): error.description
            }
        }
    }

    /// Checks the script before anything runs.
    public static func validate(_ sql: String) throws(Failure) -> MigrationScript {
        let script = MigrationScript(sql)
        let refusals = script.refusals
        if !refusals.isEmpty { throw .refused(refusals) }
        if script.statements.isEmpty { throw .empty }
        return script
    }

    /// Before and after results of `sql` against `contracts`; the transaction is always rolled back.
    public static func run(_ sql: String, contracts: ContractSet, settings: ConnectionSettings) throws(Failure) -> (before: CheckResult, after: CheckResult) {
        let script = try validate(sql)
        var writable = settings
        writable.readOnly = false
        let session: Connection
        do {
            session = try Connection(writable)
            try session.execute(script: "BEGIN")
        } catch {
            throw .database(error)
        }
        defer { try? session.execute(script: "ROLLBACK") }
        do {
            let before = Checker.check(contracts, against: try CatalogReader.snapshot(session))
            // One statement at a time, so a failure names its statement and line.
            for (offset, statement) in script.statements.enumerated() {
                do {
                    try session.execute(script: statement.text)
                } catch {
                    throw Failure.migrationFailed(error, statement: offset + 1, count: script.statements.count, line: statement.line)
                }
            }
            let after = Checker.check(contracts, against: try CatalogReader.snapshot(session))
            return (before, after)
        } catch let failure as Failure {
            throw failure
        } catch let error as PostgresError {
            throw .database(error)
        } catch {
            throw .unreadable("\(error)")
        }
    }
}

extension Watcher {
    /// Previews a migration file off the UI thread and publishes the outcome in the status.
    public func preview(file path: String) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let outcome = Self.previewOutcome(path, settings: configuration.settings, contractsFolder: configuration.contractsFolder)
            publishPreview(outcome)
        }
    }

    static func previewOutcome(_ path: String, settings: ConnectionSettings, contractsFolder: String) -> PreviewOutcome {
        var outcome = PreviewOutcome(migration: path, at: Date(), introduced: [], fixed: [], error: nil)
        guard let data = FileManager.default.contents(atPath: (path as NSString).expandingTildeInPath) else {
            outcome.error = "cannot read \(path)"
            return outcome
        }
        do {
            let contracts = try ContractFolder.load(contractsFolder)
            let (before, after) = try MigrationPreview.run(String(decoding: data, as: UTF8.self), contracts: contracts, settings: settings)
            let impact = MigrationImpact(before: before, after: after)
            outcome.introduced = impact.introduced
            outcome.fixed = impact.fixed
        } catch let failure as MigrationPreview.Failure {
            outcome.error = failure.description
        } catch {
            outcome.error = "\(error)"
        }
        return outcome
    }
}
