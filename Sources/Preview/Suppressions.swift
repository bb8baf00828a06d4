import Checks

/// A hazard the migration's author accepted, with their reason:
/// `-- contractwatch:ignore CW101[,CW103] reason` on a statement (inside it, on the lines just
/// above it, or after its `;`), or `-- contractwatch:ignore-file CW104 reason` anywhere for the
/// whole file. Reports list what was suppressed and why; it no longer fails `--fail-on`.
public struct Suppression: Sendable, Hashable {
    public var codes: [String]
    public var reason: String
    /// The comment's line.
    public var line: Int
    public var fileWide: Bool
    /// The migration file of the comment, when several are previewed together.
    public var file: String?

    public init(codes: [String], reason: String, line: Int, fileWide: Bool, file: String? = nil) {
        self.codes = codes
        self.reason = reason
        self.line = line
        self.fileWide = fileWide
        self.file = file
    }

    /// Nil for a directive that is not an ignore, or names no code.
    public init?(_ directive: MigrationScript.Directive) {
        var words = directive.text.split(whereSeparator: \.isWhitespace)[...]
        guard let verb = words.popFirst(), verb == "ignore" || verb == "ignore-file" else { return nil }
        var codes: [String] = []
        while let word = words.first {
            let parts = word.split(separator: ",").map { $0.uppercased() }
            guard !parts.isEmpty, parts.allSatisfy({ $0.hasPrefix("CW") && $0.dropFirst(2).allSatisfy(\.isNumber) })
            else { break }
            codes += parts
            words = words.dropFirst()
        }
        guard !codes.isEmpty else { return nil }
        self.init(
            codes: codes, reason: words.isEmpty ? "no reason given" : words.joined(separator: " "),
            line: directive.line, fileWide: verb == "ignore-file", file: directive.file)
    }

    /// Suppressions of the whole file, then of each statement (1-based statement number).
    public static func of(_ script: MigrationScript) -> (file: [Suppression], statements: [Int: [Suppression]]) {
        var statements: [Int: [Suppression]] = [:]
        for (offset, statement) in script.statements.enumerated() {
            let found = statement.directives.compactMap(Suppression.init)
            if !found.isEmpty { statements[offset + 1] = found }
        }
        return (script.fileDirectives.compactMap(Suppression.init), statements)
    }

    /// Splits `hazards` into those that stand and those a suppression covers.
    public static func apply(_ hazards: [Hazard], script: MigrationScript) -> (
        kept: [Hazard], suppressed: [SuppressedHazard]
    ) {
        let (file, statements) = of(script)
        var kept: [Hazard] = []
        var suppressed: [SuppressedHazard] = []
        for hazard in hazards {
            // An ignore-file comment covers the statements of its own file only.
            let statementFile =
                script.statements.indices.contains(hazard.statement - 1)
                ? script.statements[hazard.statement - 1].file : nil
            let candidates = (statements[hazard.statement] ?? []) + file.filter { $0.file == statementFile }
            if let match = candidates.first(where: { $0.codes.contains(hazard.code.rawValue) }) {
                suppressed.append(SuppressedHazard(hazard: hazard, suppression: match))
            } else {
                kept.append(hazard)
            }
        }
        return (kept, suppressed)
    }
}

public struct SuppressedHazard: Sendable, Hashable {
    public var hazard: Hazard
    public var suppression: Suppression

    public init(hazard: Hazard, suppression: Suppression) {
        self.hazard = hazard
        self.suppression = suppression
    }
}

extension Hazard.Code {
    /// How bad it is for `--fail-on`: what blocks or rewrites a live table, or loses data, is an
    /// error; what only may hurt (no lock_timeout, renames, an unindexed foreign key) a warning.
    public var severity: Severity {
        switch self {
        case .rewrite, .validationScan, .blockingIndex, .destructive: .error
        case .noLockTimeout, .rename, .unindexedForeignKey: .warning
        }
    }
}
