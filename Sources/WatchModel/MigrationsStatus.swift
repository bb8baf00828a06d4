import Catalog
import Checks
import Foundation
import Preview

/// What the Migrations screen shows: the watched folder's pending files, previewed together on
/// a schema copy, each with the contracts it would break and what it would do (hazards,
/// effects). Published by the migration watcher after every run; pure values.
public struct MigrationsStatus: Sendable {
    /// One pending file and what the preview attributed to it.
    public struct PendingFile: Sendable {
        public var name: String
        public var version: String
        public var statements: [MigrationScript.Statement]
        /// The run's number (1-based, over all pending files) of its first statement.
        public var firstStatement: Int
        /// The violations it would introduce, with the statement (1-based, of the whole run)
        /// after which each appears.
        public var introduced: [Violation]
        public var introducedBy: [ViolationID: Int]
        public var hazards: [Hazard]
        public var suppressed: [SuppressedHazard]
        public var effects: [StatementEffect]
        /// Findings (`MigrationsStatus.key`) that were not there at the previous run.
        public var newSinceLastRun: Set<String> = []
        /// Findings of the previous run that are gone.
        public var goneSinceLastRun = 0
        /// Its text or its findings differ from the previous run's.
        public var changedSinceLastRun = false
        /// The statement of this file that failed, when the run failed in it.
        public var failure: Failure?

        public init(
            name: String, version: String, statements: [MigrationScript.Statement], firstStatement: Int = 1,
            introduced: [Violation] = [],
            introducedBy: [ViolationID: Int] = [:], hazards: [Hazard] = [], suppressed: [SuppressedHazard] = [],
            effects: [StatementEffect] = []
        ) {
            self.name = name
            self.version = version
            self.statements = statements
            self.firstStatement = firstStatement
            self.introduced = introduced
            self.introducedBy = introducedBy
            self.hazards = hazards
            self.suppressed = suppressed
            self.effects = effects
        }

        /// Every finding's key, for "what changed since the last save".
        public var findingKeys: Set<String> {
            Set(introduced.map { MigrationsStatus.key($0.id) } + hazards.map(MigrationsStatus.key))
        }

        /// The statement a violation appears after (its line in this file).
        public func cause(of id: ViolationID) -> MigrationScript.Statement? {
            introducedBy[id].flatMap { statement($0) }
        }

        /// The statement by its number in the run, if it is one of this file's.
        public func statement(_ number: Int) -> MigrationScript.Statement? {
            let index = number - firstStatement
            return statements.indices.contains(index) ? statements[index] : nil
        }
    }

    /// The migration failed at a statement (a syntax error, a missing table): the message
    /// replaces the results, which would be stale.
    public struct Failure: Sendable, Hashable {
        public var file: String?
        public var line: Int
        public var message: String

        public init(file: String?, line: Int, message: String) {
            self.file = file
            self.line = line
            self.message = message
        }
    }

    public var folder: String
    public var layout: MigrationFolder.Layout?
    /// How pending was decided, and what is odd (failed or dirty migrations, changed checksums).
    public var notes: [String] = []
    /// Files the layout does not apply, with why.
    public var skipped: [String] = []
    public var appliedCount = 0
    public var files: [PendingFile] = []
    /// The violations the pending files would fix (not attributed to one file).
    public var fixed: [Violation] = []
    /// Why nothing could be previewed (unreadable folder, a refused statement, no schema copy).
    public var error: String?
    public var failure: Failure?
    public var ranAt: Date?
    public var seconds: Double?
    /// A run is in progress (the results shown are the previous run's).
    public var running = false
    public var ranOn = MigrationsStatus.onSchemaCopy
    public static let onSchemaCopy = "on a schema copy"
    public var runCount = 0

    public init(folder: String) {
        self.folder = folder
    }

    public static func key(_ id: ViolationID) -> String {
        "v|\(id.file)|\(id.table)|\(id.column ?? "")|\(id.kind.rawValue)"
    }

    public static func key(_ hazard: Hazard) -> String {
        "h|\(hazard.code.rawValue)|\(hazard.relation?.description ?? "")|\(hazard.detail)"
    }

    /// The pending file whose preview introduced this violation, if any.
    public func file(introducing id: ViolationID) -> PendingFile? {
        files.first { $0.introducedBy[id] != nil }
    }

    /// The pending file that made a catalog change: the one whose preview predicted a violation
    /// the change opened, else the one whose statements touched (locked) the change's table.
    public func file(causing event: ChangeEvent) -> String? {
        for id in event.opened {
            if let file = file(introducing: id) { return file.name }
        }
        return files.first { file in
            file.effects.contains { effect in effect.locks.contains { $0.relation == event.change.table } }
        }?.name
    }

    /// Splits one run over the pending files (statements carry their file) and marks what
    /// changed since `previous`.
    public mutating func attribute(
        statements: [MigrationScript.Statement], versions: [String: String], introduced: [Violation],
        introducedBy: [ViolationID: Int], hazards: [Hazard], suppressed: [SuppressedHazard],
        effects: [StatementEffect], previous: MigrationsStatus?
    ) {
        let names = statements.compactMap(\.file).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        files = names.map { name in
            let numbers = Set(statements.indices.filter { statements[$0].file == name }.map { $0 + 1 })
            let own = statements.filter { $0.file == name }
            let mine = introduced.filter { introducedBy[$0.id].map(numbers.contains) ?? false }
            var file = PendingFile(
                name: name, version: versions[name] ?? "", statements: own, firstStatement: numbers.min() ?? 1,
                introduced: mine,
                introducedBy: introducedBy.filter { numbers.contains($0.value) },
                hazards: hazards.filter { $0.file == name }, suppressed: suppressed.filter { $0.hazard.file == name },
                effects: effects.filter { numbers.contains($0.statement) })
            if let before = previous?.files.first(where: { $0.name == name }) {
                let now = file.findingKeys
                let then = before.findingKeys
                file.newSinceLastRun = now.subtracting(then)
                file.goneSinceLastRun = then.subtracting(now).count
                file.changedSinceLastRun =
                    !file.newSinceLastRun.isEmpty || file.goneSinceLastRun > 0
                    || before.statements.map(\.sql) != own.map(\.sql)
            } else if previous?.runCount ?? 0 > 0 {
                file.newSinceLastRun = file.findingKeys
                file.changedSinceLastRun = true
            }
            return file
        }
    }
}
