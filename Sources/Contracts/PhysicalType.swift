import Catalog
import Synchronization

/// Parses a PostgreSQL type as written in ODCS `physicalType` into what a contract expects.
///
/// The text reads as PostgreSQL DDL reads it: `varchar` and `numeric` without a modifier are
/// unlimited (narrowing them is a violation), `char` and `bit` are one wide, `timestamp` has
/// precision 6, `interval` has every field. Two spellings of generated ODCS files (the official
/// AdventureWorks example, JDBC metadata) read as they mean: `varchar[15]` is `varchar(15)`
/// (`varchar[2147483647]` is unlimited) and a bare `bpchar` states no length. A name that is
/// not a built-in type (`year`, `"Name"`, `sales.mood`) names a domain, enum or composite type.
public enum PhysicalType {
    public struct Parsed: Sendable, Hashable {
        /// `information_schema` spelling of a built-in type (`ARRAY` for arrays); nil when the
        /// text names a user type only.
        public var dataType: String?
        public var modifiers = ModifierExpectation()
        public var arrayElementType: String?
        public var elementModifiers = ModifierExpectation()
        public var typeName: TypeName?
        public var elementTypeName: TypeName?
        /// Why PostgreSQL would reject the text (malformed modifiers), one sentence each.
        public var problems: [String] = []
        /// Where the reading differs from PostgreSQL's own, one sentence each.
        public var notes: [String] = []

        /// Whether the type (or the array's element) is a built-in type.
        public var isKnown: Bool { dataType != nil && (dataType != "ARRAY" || arrayElementType != "USER-DEFINED") }
    }

    public static func parse(_ text: String) -> Parsed {
        if let known = parsedSpellings.withLock({ $0[text] }) { return known }
        let parsed = parseSpelling(text)
        parsedSpellings.withLock { cache in
            if cache.count < parsedSpellingsLimit { cache[text] = parsed }
        }
        return parsed
    }

    /// A folder of contracts writes a few dozen spellings thousands of times (`bigint`,
    /// `numeric(11,2)`): parsing is pure, so each is parsed once per process. Bounded, so a
    /// file of a million distinct spellings costs time, not memory.
    private static let parsedSpellings = Mutex<[String: Parsed]>([:])
    static let parsedSpellingsLimit = 10_000

    static func parseSpelling(_ text: String) -> Parsed {
        var tokens: [Token] = []
        var problems: [String] = []
        tokenize(text, into: &tokens, problems: &problems)
        var cursor = tokens[...]
        var parsed = parseArrayOrScalar(&cursor, problems: &problems)
        if let extra = cursor.first {
            problems.append("unexpected \(extra.text) in \"\(text)\"")
        }
        parsed.problems = problems + parsed.problems
        return parsed
    }

    // MARK: - Tokens

    enum Token: Equatable {
        case word(String)
        case quoted(String)
        case number(String)
        case symbol(Character)

        var text: String {
            switch self {
            case .word(let text), .number(let text): text
            case .quoted(let text): "\"\(text)\""
            case .symbol(let character): String(character)
            }
        }
    }

    static func tokenize(_ text: String, into tokens: inout [Token], problems: inout [String]) {
        if !tokenizeASCII(text, into: &tokens) { tokenizeCharacters(text, into: &tokens, problems: &problems) }
    }

    /// Any text, by Characters (letters and digits of every script, quoted names).
    static func tokenizeCharacters(_ text: String, into tokens: inout [Token], problems: inout [String]) {
        var characters = Array(text)[...]
        while let character = characters.first {
            if character.isWhitespace {
                characters.removeFirst()
            } else if character == "\"" {
                characters.removeFirst()
                var identifier = ""
                var closed = false
                while let next = characters.popFirst() {
                    if next == "\"" {
                        if characters.first == "\"" {
                            identifier.append("\"")
                            characters.removeFirst()
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        identifier.append(next)
                    }
                }
                if !closed { problems.append("an unterminated quoted name in \"\(text)\"") }
                tokens.append(.quoted(identifier))
            } else if character.isNumber
                || ((character == "-" || character == "+") && characters.dropFirst().first?.isNumber == true)
            {
                var number = String(characters.removeFirst())
                while let next = characters.first, next.isNumber || next == "." {
                    number.append(next)
                    characters.removeFirst()
                }
                tokens.append(.number(number))
            } else if character.isLetter || character == "_" {
                var word = ""
                while let next = characters.first,
                    next.isLetter || next.isNumber || next == "_" || next == "$" || next == "-"
                {
                    word.append(next)
                    characters.removeFirst()
                }
                tokens.append(.word(word))
            } else {
                tokens.append(.symbol(characters.removeFirst()))
            }
        }
    }

    /// The same tokens as `tokenize` for the text nearly every type is written in (ASCII, no
    /// quoted names), read by bytes: Character properties cost more than the rest of reading a
    /// contract. False, with `tokens` untouched, for anything else.
    static func tokenizeASCII(_ text: String, into tokens: inout [Token]) -> Bool {
        let bytes = text.utf8
        guard bytes.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\"") }) else { return false }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func isLetter(_ byte: UInt8) -> Bool {
            (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
        }
        func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        var index = bytes.startIndex
        func run(while belongs: (UInt8) -> Bool) -> String {
            let start = index
            while index < bytes.endIndex, belongs(bytes[index]) { index = bytes.index(after: index) }
            return String(text[start..<index])
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            let next = bytes.index(after: index)
            if isWhitespace(byte) {
                index = next
            } else if isDigit(byte)
                || ((byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")) && next < bytes.endIndex
                    && isDigit(bytes[next]))
            {
                index = next
                let rest = run { isDigit($0) || $0 == UInt8(ascii: ".") }
                tokens.append(.number(String(UnicodeScalar(byte)) + rest))
            } else if isLetter(byte) || byte == UInt8(ascii: "_") {
                tokens.append(
                    .word(
                        run {
                            isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "$")
                                || $0 == UInt8(ascii: "-")
                        }))
            } else {
                tokens.append(.symbol(Character(UnicodeScalar(byte))))
                index = next
            }
        }
        return true
    }

    // MARK: - Grammar

    /// `array<T>`, or a scalar type followed by `[]`, `[N]` or `array`.
    static func parseArrayOrScalar(_ tokens: inout ArraySlice<Token>, problems: inout [String]) -> Parsed {
        if case .word(let word)? = tokens.first, word.lowercased() == "array", tokens.dropFirst().first == .symbol("<")
        {
            tokens.removeFirst(2)
            let element = parseArrayOrScalar(&tokens, problems: &problems)
            if tokens.first == .symbol(">") {
                tokens.removeFirst()
            } else {
                problems.append("array<…> is not closed with >")
            }
            return array(of: element)
        }
        let scalar = Scalar.parse(&tokens, problems: &problems)
        var suffixes: [String] = []
        while let token = tokens.first {
            if token == .symbol("[") {
                tokens.removeFirst()
                var inside = ""
                while let next = tokens.first, next != .symbol("]") {
                    inside += next.text
                    tokens.removeFirst()
                }
                if tokens.first == .symbol("]") {
                    tokens.removeFirst()
                } else {
                    problems.append("[ is not closed with ]")
                }
                suffixes.append(inside)
            } else if case .word(let word) = token, word.lowercased() == "array" {
                tokens.removeFirst()
                suffixes.append("")
            } else {
                break
            }
        }
        // `varchar[15]`: the length, as generated ODCS files write it (a JDBC column size).
        if suffixes.count == 1, let size = Int(suffixes[0]), scalar.arguments == nil, scalar.takesLength {
            var lengthScalar = scalar
            let unlimited = size == Int(Int32.max) // what JDBC reports for a varchar without a limit
            lengthScalar.arguments = unlimited ? nil : [suffixes[0]]
            var parsed = lengthScalar.expectation()
            if unlimited { parsed.modifiers.characterMaximumLength = .unlimited }
            let meant = unlimited ? scalar.written : "\(scalar.written)(\(size))"
            parsed.notes.append(
                "\(scalar.written)[\(size)] is read as \(meant), as generated ODCS files mean it; PostgreSQL "
                    + "reads it as an array: write \(meant), or \(scalar.written)[] for an array"
            )
            return parsed
        }
        let parsed = scalar.expectation()
        return suffixes.isEmpty ? parsed : array(of: parsed)
    }

    static func array(of element: Parsed) -> Parsed {
        var parsed = Parsed(dataType: "ARRAY")
        parsed.arrayElementType = element.dataType ?? "USER-DEFINED"
        if element.dataType == "ARRAY" {
            // `int[][]` is still an array of int in PostgreSQL: dimensions are not part of the type.
            return element
        }
        parsed.elementModifiers = element.modifiers
        parsed.elementTypeName = element.typeName
        parsed.problems = element.problems
        parsed.notes = element.notes
        return parsed
    }

    /// One type name with its modifiers, before any array suffix.
    struct Scalar {
        /// Name parts separated by dots; each word of a multi-word name (`double precision`).
        var parts: [[(text: String, quoted: Bool)]] = [[]]
        var arguments: [String]?
        var written: String {
            parts.map { $0.map { $0.quoted ? "\"\($0.text)\"" : $0.text }.joined(separator: " ") }.joined(
                separator: ".")
        }

        static func parse(_ tokens: inout ArraySlice<Token>, problems: inout [String]) -> Scalar {
            var scalar = Scalar()
            while let token = tokens.first {
                switch token {
                case .word(let word) where word.lowercased() == "array" && !scalar.parts[0].isEmpty:
                    return scalar
                case .word(let word):
                    scalar.parts[scalar.parts.count - 1].append((word, false))
                case .quoted(let name):
                    scalar.parts[scalar.parts.count - 1].append((name, true))
                case .symbol("."):
                    scalar.parts.append([])
                case .symbol("("):
                    tokens.removeFirst()
                    var arguments: [String] = []
                    var current = ""
                    while let next = tokens.first, next != .symbol(")") {
                        tokens.removeFirst()
                        if next == .symbol(",") {
                            arguments.append(current)
                            current = ""
                        } else {
                            current += next.text
                        }
                    }
                    arguments.append(current)
                    if tokens.first == .symbol(")") {
                        tokens.removeFirst()
                    } else {
                        problems.append("( is not closed with )")
                    }
                    if scalar.arguments != nil { problems.append("two modifier lists in \(scalar.written)") }
                    scalar.arguments = arguments
                    continue
                default:
                    return scalar
                }
                tokens.removeFirst()
            }
            return scalar
        }

        /// The built-in canonical name, if the name is one (`pg_catalog.int4` too).
        var builtIn: String? {
            var nameParts = parts
            if nameParts.count == 2, nameParts[0].count == 1, !nameParts[0][0].quoted,
                nameParts[0][0].text.lowercased() == "pg_catalog"
            {
                nameParts.removeFirst()
            }
            guard nameParts.count == 1, let words = nameParts.first, !words.isEmpty else { return nil }
            if words.count == 1, words[0].quoted {
                return words[0].text == "char" ? "\"char\"" : nil // the one built-in that is spelled quoted
            }
            if words.contains(where: \.quoted) { return nil }
            let lower = words.map { $0.text.lowercased() }
            if lower[0] == "interval" { return "interval" }
            return DataTypeVocabulary.canonical(lower.joined(separator: " "))
        }

        var takesLength: Bool {
            ["character varying", "character", "bit", "bit varying"].contains(builtIn ?? "")
        }

        /// The interval fields after `interval` (`year to month`), nil when none are written.
        var intervalFields: String? {
            guard let words = parts.last, words.count > 1 else { return nil }
            return words.dropFirst().map { $0.text.uppercased() }.joined(separator: " ")
        }

        func expectation() -> Parsed {
            var parsed = Parsed()
            guard let canonical = builtIn else {
                if parts.contains(where: \.isEmpty) || parts.count > 2 {
                    parsed.problems.append("\"\(written)\" is not a type name (write name or schema.name)")
                }
                let schema = parts.count == 2 ? parts[0].map(\.text).joined(separator: " ") : nil
                let quoted = parts.contains { $0.contains(where: \.quoted) }
                parsed.typeName = TypeName(
                    schema: schema, name: parts.last?.map(\.text).joined(separator: " ") ?? "", quoted: quoted)
                if let arguments {
                    parsed.problems.append(
                        "modifiers (\(arguments.joined(separator: ","))) on \(written) cannot be checked; a "
                            + "domain or enum has none"
                    )
                }
                return parsed
            }
            parsed.dataType = canonical
            // A built-in spelled with capitals may also be a domain of that exact name (`Name`).
            if parts.count == 1, parts[0].count == 1, !parts[0][0].quoted,
                parts[0][0].text != parts[0][0].text.lowercased(),
                canonical != "interval"
            {
                parsed.typeName = TypeName(name: parts[0][0].text)
            }
            let values = (arguments ?? []).map { $0.trimmingCharacters(in: " ") }
            var numbers: [Int] = []
            for value in values {
                guard let number = Int(value) else {
                    parsed.problems.append(
                        "\"\(value)\" in \(written)(\(values.joined(separator: ","))) is not a whole number")
                    return parsed
                }
                numbers.append(number)
            }
            func expectCount(_ allowed: ClosedRange<Int>, _ what: String) -> Bool {
                if allowed.contains(numbers.count) { return true }
                parsed.problems.append("\(written)(\(values.joined(separator: ","))) takes \(what)")
                return false
            }
            let bare = parts.last?.first?.text.lowercased() ?? ""
            switch canonical {
            case "character varying", "bit varying":
                guard expectCount(0...1, "one length") else { break }
                if let length = numbers.first {
                    if length < 1 || length > 10_485_760 {
                        parsed.problems.append("the length of \(written) must be 1 to 10485760")
                    }
                    parsed.modifiers.characterMaximumLength = .limited(length)
                } else {
                    parsed.modifiers.characterMaximumLength = .unlimited
                }
            case "character", "bit":
                guard expectCount(0...1, "one length") else { break }
                if let length = numbers.first {
                    if length < 1 || length > 10_485_760 {
                        parsed.problems.append("the length of \(written) must be 1 to 10485760")
                    }
                    parsed.modifiers.characterMaximumLength = .limited(length)
                } else if bare != "bpchar" {
                    // `char` and `bit` are one wide; `bpchar` is what drivers report for every char(n).
                    parsed.modifiers.characterMaximumLength = .limited(1)
                }
            case "numeric":
                guard expectCount(0...2, "a precision and an optional scale") else { break }
                if let precision = numbers.first {
                    let scale = numbers.count > 1 ? numbers[1] : 0
                    if precision < 1 || precision > 1000 {
                        parsed.problems.append("the precision of \(written) must be 1 to 1000")
                    }
                    if scale < -1000 || scale > 1000 {
                        parsed.problems.append("the scale of \(written) must be -1000 to 1000")
                    }
                    parsed.modifiers.numericPrecision = .limited(precision)
                    parsed.modifiers.numericScale = .limited(scale)
                } else {
                    parsed.modifiers.numericPrecision = .unlimited
                    parsed.modifiers.numericScale = .unlimited
                }
            case "double precision" where bare == "float", "real" where bare == "float":
                guard expectCount(0...1, "one precision in bits (1 to 53)") else { break }
                if let bits = numbers.first {
                    if bits < 1 || bits > 53 {
                        parsed.problems.append("\(written)(\(bits)): the precision must be 1 to 53 bits")
                    }
                    parsed.dataType = bits <= 24 ? "real" : "double precision"
                }
            case "timestamp without time zone", "timestamp with time zone", "time without time zone",
                "time with time zone":
                guard expectCount(0...1, "one precision (0 to 6)") else { break }
                let precision = numbers.first ?? 6
                if precision < 0 || precision > 6 {
                    parsed.problems.append("the precision of \(written) must be 0 to 6")
                }
                parsed.modifiers.datetimePrecision = precision
            case "interval":
                guard expectCount(0...1, "one precision (0 to 6)") else { break }
                let precision = numbers.first ?? 6
                if precision < 0 || precision > 6 {
                    parsed.problems.append("the precision of \(written) must be 0 to 6")
                }
                parsed.modifiers.datetimePrecision = precision
                if let fields = intervalFields {
                    if InformationSchemaVocabulary.isIntervalFields(fields) {
                        parsed.modifiers.intervalType = .limited(fields)
                    } else {
                        parsed.problems.append(
                            "\"\(fields.lowercased())\" are not interval fields (e.g. year to month, day to second)")
                    }
                } else {
                    parsed.modifiers.intervalType = .unlimited
                }
            default:
                if !numbers.isEmpty {
                    parsed.problems.append(
                        "\(canonical) takes no modifier, found \(written)(\(values.joined(separator: ",")))")
                }
            }
            return parsed
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var view = self[...]
        while view.first == character { view.removeFirst() }
        while view.last == character { view.removeLast() }
        return String(view)
    }
}
