import Checks
import Foundation
import Preview

/// The outcome of previewing a migration: what it would break and fix. Never applied.
public struct PreviewOutcome: Sendable {
    public var migration: String
    public var at: Date
    public var introduced: [Violation]
    public var fixed: [Violation]
    /// Why the preview could not run (refused script, failed migration, connection).
    public var error: String?
    /// What the migration would do that hurts (locks, rewrites, scans), as `preview` says it.
    public var hazards: [Hazard] = []

    public init(migration: String, at: Date, introduced: [Violation], fixed: [Violation], error: String?) {
        self.migration = migration
        self.at = at
        self.introduced = introduced
        self.fixed = fixed
        self.error = error
    }
}
