/// Parses a PostgreSQL type as written in ODCS `physicalType` (`varchar(255)`, `numeric(12,2)`,
/// `timestamp(3) with time zone`, `text[]`) into the expectations a seed contract states.
public enum PhysicalType {
    public struct Parsed: Sendable, Hashable {
        /// `information_schema` spelling; `USER-DEFINED` for names it does not know.
        public var dataType: String
        public var characterMaximumLength: Int?
        public var numericPrecision: Int?
        public var numericScale: Int?
        public var datetimePrecision: Int?
        public var arrayElementType: String?
        /// False when the name is not a built-in type (an enum, a domain, or a typo).
        public var isKnown: Bool
    }

    public static func parse(_ text: String) -> Parsed {
        var type = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ").lowercased()
        if type.hasSuffix("[]") {
            while type.hasSuffix("[]") { type.removeLast(2) }
            let element = parse(type)
            return Parsed(dataType: "ARRAY", arrayElementType: element.dataType, isKnown: element.isKnown)
        }
        if type.hasPrefix("array<"), type.hasSuffix(">") {
            let element = parse(String(type.dropFirst(6).dropLast()))
            return Parsed(dataType: "ARRAY", arrayElementType: element.dataType, isKnown: element.isKnown)
        }
        var arguments: [Int] = []
        if let open = type.firstIndex(of: "("), let close = type[open...].firstIndex(of: ")") {
            arguments = type[type.index(after: open)..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: " ")) }
            let before = type[..<open].trimmingCharacters(in: " ")
            let after = type[type.index(after: close)...].trimmingCharacters(in: " ")
            type = after.isEmpty ? before : before + " " + after
        }
        guard let canonical = DataTypeVocabulary.canonical(type) else {
            return Parsed(dataType: "USER-DEFINED", isKnown: false)
        }
        var parsed = Parsed(dataType: canonical, isKnown: true)
        switch canonical {
        case "character varying", "character", "bit", "bit varying":
            parsed.characterMaximumLength = arguments.first
        case "numeric":
            if let precision = arguments.first {
                parsed.numericPrecision = precision
                parsed.numericScale = arguments.count > 1 ? arguments[1] : 0
            }
        case "timestamp without time zone", "timestamp with time zone", "time without time zone", "time with time zone", "interval":
            parsed.datetimePrecision = arguments.first
        default:
            break
        }
        return parsed
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
