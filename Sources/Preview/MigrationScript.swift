import Checks

/// Splits a SQL script into statements and says which cannot be previewed inside a transaction.
/// Pure, and aware of what hides semicolons and keywords: '…' and E'…' strings, "…" identifiers,
/// -- and nested /* */ comments, $tag$ … $tag$ bodies, and the SQL-standard bodies of
/// `CREATE FUNCTION … BEGIN ATOMIC … END` (pg_dump writes them for PostgreSQL 14+), which it
/// follows the way psql does. A psql meta-command (`\set`) is a statement of its own.
public struct MigrationScript: Sendable {
    public struct Statement: Sendable, Hashable {
        /// On one line, for messages.
        public var text: String
        /// As written (comments outside quotes dropped): what is sent to the server. Newlines
        /// matter: a `--` comment inside a function body ends at its line.
        public var sql: String
        /// 1-based line where the statement starts.
        public var line: Int
        /// The first keywords, upper-cased (`ALTER TABLE`, `CREATE INDEX CONCURRENTLY`).
        public var keywords: [String]
        /// `-- contractwatch:…` comments that belong to it: inside it, on the lines just above
        /// it, or after its `;` on its last line.
        public var directives: [Directive] = []
        /// The migration file it comes from, when several are previewed together (`line` is
        /// then that file's line).
        public var file: String? = nil

        /// "line 3", or "V7__split.sql:3" when it names its file.
        public var location: String { file.map { "\($0):\(line)" } ?? "line \(line)" }
    }

    /// A `-- contractwatch:…` line comment, as the scanner found it (never inside a string).
    public struct Directive: Sendable, Hashable {
        public var line: Int
        /// The comment's text after `contractwatch:`.
        public var text: String
        public var file: String? = nil
    }

    public struct Refusal: Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var statement: String
        public var reason: String
        public var file: String? = nil
        public var description: String {
            (file.map { "\($0):\(line)" } ?? "line \(line)") + ": \(reason): \(statement)"
        }
    }

    public let statements: [Statement]
    /// `-- contractwatch:ignore-file …` comments, anywhere in the file.
    public let fileDirectives: [Directive]

    public init(_ sql: String) {
        let (statements, fileDirectives) = Self.split(sql)
        self.statements = statements
        self.fileDirectives = fileDirectives
    }

    /// Several migration files run one after the other as one script: each statement and
    /// directive names its file and its line there (`lineOffset`: lines above `sql` in the
    /// file). An `ignore-file` comment covers only its own file.
    public init(files: [(name: String, sql: String, lineOffset: Int)]) {
        var statements: [Statement] = []
        var fileDirectives: [Directive] = []
        for file in files {
            func located(_ directive: Directive) -> Directive {
                var directive = directive
                directive.file = file.name
                directive.line += file.lineOffset
                return directive
            }
            let (found, directives) = Self.split(file.sql)
            statements += found.map { statement in
                var statement = statement
                statement.file = file.name
                statement.line += file.lineOffset
                statement.directives = statement.directives.map(located)
                return statement
            }
            fileDirectives += directives.map(located)
        }
        self.statements = statements
        self.fileDirectives = fileDirectives
    }

    /// The files the statements come from, in order (empty for a single script).
    public var files: [String] {
        var seen = Set<String>()
        return statements.compactMap(\.file).filter { seen.insert($0).inserted }
    }

    /// Statements `preview` must refuse: transaction control (it would end the preview's own
    /// transaction and could commit) and commands PostgreSQL will not run in a transaction block.
    public var refusals: [Refusal] { refusals(allowingStandIns: false) }

    /// With `allowingStandIns` (on a schema copy), the commands that have a
    /// `transactionalStandIn` are not refused.
    public func refusals(allowingStandIns: Bool) -> [Refusal] {
        statements.compactMap { statement in
            if allowingStandIns && statement.transactionalStandIn != nil { return nil }
            var refusal = Self.refusal(statement)
            refusal?.file = statement.file
            return refusal
        }
    }

    private static func refusal(_ statement: Statement) -> Refusal? {
        let words = statement.keywords
        func starts(_ prefix: [String]) -> Bool { Array(words.prefix(prefix.count)) == prefix }
        func starts(_ prefix: String...) -> Bool { starts(prefix) }
        let short = statement.text.count > 70 ? String(statement.text.prefix(67)) + "…" : statement.text
        if let first = words.first, first.hasPrefix("\\") {
            return Refusal(
                line: statement.line, statement: short,
                reason:
                    "\(first) is a psql meta-command, not SQL (preview runs SQL statements only; psql "
                    + "variables and includes are not supported)"
            )
        }
        let control = ["BEGIN", "COMMIT", "ROLLBACK", "END", "ABORT", "SAVEPOINT", "RELEASE"]
        if let first = words.first,
            control.contains(first) || starts("START", "TRANSACTION") || starts("PREPARE", "TRANSACTION")
                || starts("COMMIT", "PREPARED") || starts("ROLLBACK", "PREPARED") || starts("SET", "TRANSACTION")
        {
            return Refusal(
                line: statement.line, statement: short,
                reason:
                    "transaction control is not allowed (preview runs the script in its own transaction and "
                    + "rolls it back)"
            )
        }
        let outside: [[String]] = [
            ["CREATE", "DATABASE"], ["DROP", "DATABASE"], ["ALTER", "SYSTEM"], ["CREATE", "TABLESPACE"],
            ["DROP", "TABLESPACE"],
            ["VACUUM"], ["CREATE", "INDEX", "CONCURRENTLY"], ["CREATE", "UNIQUE", "INDEX", "CONCURRENTLY"],
            ["DROP", "INDEX", "CONCURRENTLY"], ["REINDEX", "DATABASE"], ["REINDEX", "SYSTEM"],
            ["CREATE", "SUBSCRIPTION"], ["DROP", "SUBSCRIPTION"], ["ALTER", "SUBSCRIPTION"],
        ]
        let upper = statement.text.uppercased()
        if words.first == "COPY", upper.contains(" PROGRAM ") || upper.contains(" PROGRAM'") {
            return Refusal(
                line: statement.line, statement: short,
                reason: "COPY … PROGRAM runs a shell command on the server, which no rollback undoes")
        }
        if outside.contains(where: { starts($0) }) || (words.first == "REINDEX" && upper.contains("CONCURRENTLY"))
            || (words.first == "ALTER" && upper.contains("DETACH PARTITION") && upper.contains("CONCURRENTLY"))
        {
            return Refusal(line: statement.line, statement: short, reason: "cannot run inside a transaction block")
        }
        return nil
    }

    static func split(_ sql: String) -> ([Statement], [Directive]) {
        let characters = Array(sql)
        var statements: [Statement] = []
        var pending: [Directive] = [] // directives for the statement in progress or the next one
        var fileDirectives: [Directive] = []
        var lastEndLine = 0
        var current = ""
        var startLine = 1
        var line = 1
        var index = 0
        var hasContent = false
        var words: [String] = []
        var word = ""
        // psql's rule for SQL-standard bodies: in CREATE [OR REPLACE] FUNCTION|PROCEDURE, outside
        // parentheses, BEGIN (and CASE within it) opens a block that END closes; a semicolon in
        // a block does not end the statement.
        var leadingWords: [String] = []
        var wordCount = 0
        var parenthesisDepth = 0
        var blockDepth = 0

        func finishWord() {
            guard !word.isEmpty else { return }
            let upper = word.uppercased()
            word = ""
            if words.count < 6 { words.append(upper) }
            if wordCount < 4, ["CREATE", "FUNCTION", "PROCEDURE", "OR", "REPLACE"].contains(upper) {
                leadingWords.append(upper)
            }
            wordCount += 1
            let routine =
                leadingWords.starts(with: ["CREATE", "FUNCTION"]) || leadingWords.starts(with: ["CREATE", "PROCEDURE"])
                || leadingWords.starts(with: ["CREATE", "OR", "REPLACE", "FUNCTION"])
                || leadingWords.starts(with: ["CREATE", "OR", "REPLACE", "PROCEDURE"])
            guard routine, parenthesisDepth == 0 else { return }
            if upper == "BEGIN" || (upper == "CASE" && blockDepth > 0) {
                blockDepth += 1
            } else if upper == "END", blockDepth > 0 {
                blockDepth -= 1
            }
        }
        func finishStatement() {
            finishWord()
            let text = current.trimmingCharacters(in: " \n\t\r")
            if hasContent, !text.isEmpty {
                statements.append(
                    Statement(
                        text: text.split(whereSeparator: \.isNewline).joined(separator: " "), sql: text,
                        line: startLine, keywords: words, directives: pending))
                pending = []
                lastEndLine = line
            }
            current = ""
            words = []
            hasContent = false
            leadingWords = []
            wordCount = 0
            parenthesisDepth = 0
            blockDepth = 0
        }

        while index < characters.count {
            let c = characters[index]
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            if !hasContent && !c.isWhitespace && !(c == "-" && next == "-") && !(c == "/" && next == "*") {
                hasContent = true
                startLine = line
            }
            if c == "-" && next == "-" { // line comment
                var comment = ""
                while index < characters.count && !characters[index].isNewline {
                    comment.append(characters[index])
                    index += 1
                }
                if let found = comment.range(of: "contractwatch:") {
                    let directive = Directive(line: line, text: String(comment[found.upperBound...]))
                    if directive.text.hasPrefix("ignore-file") {
                        fileDirectives.append(directive)
                    } else if !hasContent && line == lastEndLine && !statements.isEmpty {
                        statements[statements.count - 1].directives.append(directive) // `…; -- contractwatch:`
                    } else {
                        pending.append(directive)
                    }
                }
                continue
            }
            if c == "/" && next == "*" { // nested block comment
                var depth = 0
                repeat {
                    if characters[index] == "/", index + 1 < characters.count, characters[index + 1] == "*" {
                        depth += 1
                        index += 2
                        continue
                    }
                    if characters[index] == "*", index + 1 < characters.count, characters[index + 1] == "/" {
                        depth -= 1
                        index += 2
                        continue
                    }
                    if characters[index].isNewline { line += 1 }
                    index += 1
                } while index < characters.count && depth > 0
                finishWord()
                current.append(" ")
                continue
            }
            if c == "'" || c == "\"" { // string or quoted identifier ('' and "" escape themselves)
                finishWord()
                // E'…' only when the E stands alone: in `name'a\'` the e ends a type name.
                let beforeE = current.dropLast().last
                let escapes =
                    c == "'" && (current.last == "E" || current.last == "e")
                    && !(beforeE.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" } ?? false)
                current.append(c)
                index += 1
                while index < characters.count {
                    let d = characters[index]
                    current.append(d)
                    if d.isNewline { line += 1 }
                    if escapes && d == "\\", index + 1 < characters.count {
                        index += 1
                        current.append(characters[index])
                        index += 1
                        continue
                    }
                    if d == c {
                        if index + 1 < characters.count, characters[index + 1] == c {
                            index += 1
                            current.append(c)
                        } else {
                            break
                        }
                    }
                    index += 1
                }
                index += 1
                continue
            }
            // dollar quote: $tag$ … $tag$, unless the $ continues an identifier (`x$$` is a name)
            if c == "$", !(current.last.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" } ?? false) {
                var end = index + 1
                while end < characters.count,
                    characters[end] == "_" || characters[end].isLetter || characters[end].isNumber
                { end += 1 }
                if end < characters.count, characters[end] == "$", !(characters[index + 1].isNumber) {
                    let tag = String(characters[index...end])
                    finishWord()
                    current += tag
                    index = end + 1
                    while index < characters.count {
                        if characters[index] == "$",
                            String(characters[index..<min(characters.count, index + tag.count)]) == tag
                        {
                            current += tag
                            index += tag.count
                            break
                        }
                        if characters[index].isNewline { line += 1 }
                        current.append(characters[index])
                        index += 1
                    }
                    continue
                }
            }
            if c == "\\" { // a psql meta-command runs to the end of the line
                finishStatement()
                var command = ""
                while index < characters.count && !characters[index].isNewline {
                    command.append(characters[index])
                    index += 1
                }
                let name = command.prefix { !$0.isWhitespace }
                statements.append(Statement(text: command, sql: command, line: line, keywords: [String(name)]))
                continue
            }
            if c == "(" {
                finishWord()
                parenthesisDepth += 1
            }
            if c == ")" {
                finishWord()
                parenthesisDepth = max(0, parenthesisDepth - 1)
            }
            if c == ";" {
                finishWord()
                if blockDepth > 0 {
                    current.append(c)
                    index += 1
                    continue
                }
                finishStatement()
                index += 1
                continue
            }
            if c.isLetter || c == "_" { word.append(c) } else { finishWord() }
            if c.isNewline { line += 1 }
            current.append(c)
            index += 1
        }
        finishStatement()
        // Directives after the last statement belong to no statement: they suppress nothing.
        return (statements, fileDirectives)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var view = self[...]
        while let first = view.first, set.contains(first) { view.removeFirst() }
        while let last = view.last, set.contains(last) { view.removeLast() }
        return String(view)
    }
}

/// What a migration would change in the findings: compared by identity and values, so a
/// violation whose actual value changes counts as fixed and introduced.
public struct MigrationImpact: Sendable {
    public var introduced: [Violation]
    public var fixed: [Violation]

    public init(before: CheckResult, after: CheckResult) {
        struct Key: Hashable {
            var id: ViolationID
            var expected: FindingValue
            var actual: FindingValue
        }
        let beforeKeys = Set(before.violations.map { Key(id: $0.id, expected: $0.expected, actual: $0.actual) })
        let afterKeys = Set(after.violations.map { Key(id: $0.id, expected: $0.expected, actual: $0.actual) })
        introduced = after.violations.filter {
            !beforeKeys.contains(Key(id: $0.id, expected: $0.expected, actual: $0.actual))
        }
        // A finding on a table the migration drops is not fixed: the table is missing instead.
        let goneTables = Set(after.violations.filter { $0.kind == .tableMissing }.map(\.file))
        fixed = before.violations.filter {
            !afterKeys.contains(Key(id: $0.id, expected: $0.expected, actual: $0.actual))
                && !goneTables.contains($0.file)
        }
    }
}

extension MigrationScript.Statement {
    /// What to run in its place inside the preview's transaction, for the safe forms that
    /// PostgreSQL runs only outside a transaction block but whose result the catalog shows the
    /// same way: `CREATE [UNIQUE] INDEX CONCURRENTLY` and `DROP INDEX CONCURRENTLY` run without
    /// the word; `REINDEX … CONCURRENTLY` changes nothing a snapshot shows and is skipped. Nil
    /// for every other statement. Used on a schema copy only, where the stand-in's stronger
    /// lock blocks nobody; the hazard rules judge the statement as written.
    public var transactionalStandIn: String? {
        let concurrent =
            keywords.starts(with: ["CREATE", "INDEX", "CONCURRENTLY"])
            || keywords.starts(with: ["CREATE", "UNIQUE", "INDEX", "CONCURRENTLY"])
            || keywords.starts(with: ["DROP", "INDEX", "CONCURRENTLY"])
        if concurrent {
            // Only keywords come before it, so its first whole word is the keyword.
            var index = sql.startIndex
            while index < sql.endIndex {
                guard sql[index].isLetter else {
                    index = sql.index(after: index)
                    continue
                }
                let end = sql[index...].firstIndex { !($0.isLetter || $0 == "_") } ?? sql.endIndex
                if sql[index..<end].uppercased() == "CONCURRENTLY" {
                    return String(sql[..<index]) + String(sql[end...])
                }
                index = end
            }
            return nil
        }
        if keywords.first == "REINDEX", keywords.contains("CONCURRENTLY") {
            return "SELECT NULL -- REINDEX … CONCURRENTLY: nothing a snapshot shows changes"
        }
        return nil
    }
}

extension MigrationScript {
    /// The hazard with its statement's file.
    public func locate(_ hazard: Hazard) -> Hazard {
        var hazard = hazard
        hazard.file = statement(hazard.statement)?.file
        return hazard
    }

    /// The data check with its statement's file.
    public func locate(_ check: DataCheck) -> DataCheck {
        var check = check
        check.file = statement(check.statement)?.file
        return check
    }

    /// The statement by its 1-based number.
    public func statement(_ number: Int) -> Statement? {
        statements.indices.contains(number - 1) ? statements[number - 1] : nil
    }
}
