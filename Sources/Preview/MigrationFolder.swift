/// A folder of migrations in the order its tool applies them, and which of them are pending.
/// Pure: the caller reads the files (names and bytes) and the tool's history table.
///
/// Layouts, recognised from the file names (and dbmate's section markers):
/// - Flyway: `V<version>__<description>.sql` in version order (`V1_1` is 1.1), then the
///   repeatable `R__<description>.sql` by description; undo (`U…`) files are not applied.
/// - golang-migrate: `<version>_<title>.up.sql` by version; `.down.sql` files are not applied.
/// - dbmate: `<version>_<name>.sql` holding `-- migrate:up` (and `-- migrate:down`): the up
///   section only.
/// - numbered: any other `*.sql`, by name with digit runs compared as numbers (`2_a` < `10_b`).
public struct MigrationFolder: Sendable, Hashable {
    public enum Layout: String, Sendable, Hashable, CaseIterable {
        case flyway
        case golangMigrate = "golang-migrate"
        case dbmate
        case numbered
    }

    public struct File: Sendable, Hashable {
        /// The file's name in the folder.
        public var name: String
        /// The version its tool records (`1.1`, `20240101120000`); the name for numbered files
        /// and for repeatable Flyway files.
        public var version: String
        public var description: String
        /// A Flyway `R__` file: applied again whenever its checksum changes.
        public var repeatable: Bool
        /// What the tool runs: the whole file, or dbmate's `-- migrate:up` section.
        public var sql: String
        /// Lines of the file before `sql` starts (dbmate's marker and what is above it).
        public var lineOffset: Int
        /// Flyway's checksum of the file (a CRC-32 of its lines), as it records it.
        public var checksum: Int32
    }

    public var layout: Layout
    /// In the order the tool applies them.
    public var files: [File]
    /// `*.sql` files the layout does not apply, with why (a down migration, a name that does not
    /// fit the layout).
    public var skipped: [(name: String, reason: String)]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.layout == rhs.layout && lhs.files == rhs.files
            && lhs.skipped.map(\.name) == rhs.skipped.map(\.name)
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(layout)
        hasher.combine(files)
    }

    /// Reads the folder's `*.sql` files (name → contents, as UTF-8 text).
    public init(files contents: [String: String]) {
        let names = contents.keys.filter { $0.lowercased().hasSuffix(".sql") }.sorted(by: Self.namesInOrder)
        let layout = Self.detect(names: names, contents: contents)
        self.layout = layout
        var files: [File] = []
        var skipped: [(String, String)] = []
        for name in names {
            let text = contents[name] ?? ""
            switch Self.file(name, text: text, layout: layout) {
            case .success(let file): files.append(file)
            case .failure(let reason): skipped.append((name, reason.text))
            }
        }
        self.files = files.sorted(by: { Self.applied($0, before: $1, layout: layout) })
        self.skipped = skipped
    }

    /// The layout the names (and, for dbmate, the contents) say.
    static func detect(names: [String], contents: [String: String]) -> Layout {
        if names.contains(where: { flywayParts($0) != nil }) { return .flyway }
        if names.contains(where: { $0.hasSuffix(".up.sql") && leadingDigits($0) != nil }) { return .golangMigrate }
        if names.contains(where: { name in
            leadingDigits(name) != nil && dbmateSections(contents[name] ?? "") != nil
        }) {
            return .dbmate
        }
        return .numbered
    }

    struct Skip: Error {
        var text: String
    }

    static func file(_ name: String, text raw: String, layout: Layout) -> Result<File, Skip> {
        // Flyway and psql skip a byte-order mark.
        let text = raw.hasPrefix("\u{FEFF}") ? String(raw.dropFirst()) : raw
        let stem = String(name.dropLast(4))
        switch layout {
        case .flyway:
            guard let (prefix, version, description) = flywayParts(name) else {
                return name.first == "U"
                    ? .failure(Skip(text: "an undo migration (Flyway does not apply it)"))
                    : .failure(Skip(text: "not a Flyway name (V<version>__<description>.sql or R__<description>.sql)"))
            }
            return .success(
                File(
                    name: name, version: version, description: description, repeatable: prefix == "R", sql: text,
                    lineOffset: 0, checksum: flywayChecksum(raw)))
        case .golangMigrate:
            if name.hasSuffix(".down.sql") { return .failure(Skip(text: "a down migration")) }
            guard name.hasSuffix(".up.sql"), let digits = leadingDigits(name) else {
                return .failure(Skip(text: "not a golang-migrate name (<version>_<title>.up.sql)"))
            }
            let title = name.dropFirst(digits.count).dropLast(".up.sql".count)
            return .success(
                File(
                    name: name, version: String(Int(digits).map(String.init) ?? digits),
                    description: String(title.drop { $0 == "_" }), repeatable: false, sql: text, lineOffset: 0,
                    checksum: 0))
        case .dbmate:
            guard let digits = leadingDigits(name) else {
                return .failure(Skip(text: "not a dbmate name (<version>_<name>.sql)"))
            }
            guard let (up, offset) = dbmateSections(text) else {
                return .failure(Skip(text: "no -- migrate:up section"))
            }
            return .success(
                File(
                    name: name, version: digits, description: String(stem.dropFirst(digits.count).drop { $0 == "_" }),
                    repeatable: false, sql: up, lineOffset: offset, checksum: 0))
        case .numbered:
            return .success(
                File(
                    name: name, version: stem, description: stem, repeatable: false, sql: text, lineOffset: 0,
                    checksum: 0))
        }
    }

    /// `V1_2__add_x.sql` → ("V", "1.2", "add x"); `R__views.sql` → ("R", "", "views").
    static func flywayParts(_ name: String) -> (String, String, String)? {
        guard name.hasSuffix(".sql"), let separator = name.range(of: "__") else { return nil }
        let head = name[..<separator.lowerBound]
        let description = name[separator.upperBound...].dropLast(4).replacingUnderscores()
        guard let prefix = head.first, prefix == "V" || prefix == "R" else { return nil }
        let version = head.dropFirst()
        if prefix == "R" { return version.isEmpty ? ("R", "", description) : nil }
        guard let first = version.first, first.isNumber,
            version.allSatisfy({ $0.isNumber || $0 == "." || $0 == "_" })
        else { return nil }
        return ("V", version.replacingOccurrences("_", with: "."), description)
    }

    static func leadingDigits(_ name: String) -> String? {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty ? nil : String(digits)
    }

    /// dbmate's up section (between `-- migrate:up` and `-- migrate:down`, or the end) and the
    /// number of lines above it; nil when the file has no up marker.
    static func dbmateSections(_ text: String) -> (String, Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func marker(_ line: Substring, _ word: String) -> Bool {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("--") else { return false }
            return trimmed.dropFirst(2).drop { $0 == " " }.hasPrefix("migrate:" + word)
        }
        guard let up = lines.firstIndex(where: { marker($0, "up") }) else { return nil }
        let end = lines[(up + 1)...].firstIndex { marker($0, "down") } ?? lines.endIndex
        return (lines[(up + 1)..<end].joined(separator: "\n"), up + 1)
    }

    static func applied(_ lhs: File, before rhs: File, layout: Layout) -> Bool {
        switch layout {
        case .flyway:
            if lhs.repeatable != rhs.repeatable { return !lhs.repeatable }
            if lhs.repeatable { return lhs.description < rhs.description }
            return compareVersions(lhs.version, rhs.version) < 0
        case .golangMigrate, .dbmate:
            let order = compareVersions(lhs.version, rhs.version)
            return order != 0 ? order < 0 : lhs.name < rhs.name
        case .numbered:
            return namesInOrder(lhs.name, rhs.name)
        }
    }

    /// Dotted versions compared part by part as numbers (`1.10` after `1.9`; `1.0` = `1`).
    public static func compareVersions(_ lhs: String, _ rhs: String) -> Int {
        let left = lhs.split(separator: ".").map { Substring($0.drop { $0 == "0" }) }
        let right = rhs.split(separator: ".").map { Substring($0.drop { $0 == "0" }) }
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : ""
            let b = index < right.count ? right[index] : ""
            if a.count != b.count { return a.count < b.count ? -1 : 1 }
            if a != b { return a < b ? -1 : 1 }
        }
        return 0
    }

    /// Names with their digit runs compared as numbers: `2_a.sql` before `10_b.sql`.
    public static func namesInOrder(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs[...]
        var right = rhs[...]
        while let a = left.first, let b = right.first {
            if a.isASCII && a.isNumber && b.isASCII && b.isNumber {
                let x = left.prefix { $0.isASCII && $0.isNumber }
                let y = right.prefix { $0.isASCII && $0.isNumber }
                let order = compareVersions(String(x), String(y))
                if order != 0 { return order < 0 }
                if x.count != y.count { return x.count < y.count }
                left = left.dropFirst(x.count)
                right = right.dropFirst(y.count)
                continue
            }
            if a != b { return a < b }
            left = left.dropFirst()
            right = right.dropFirst()
        }
        return left.count < right.count
    }

    /// Flyway's checksum: a CRC-32 over the UTF-8 bytes of each line without its line ending
    /// (and without a leading byte-order mark), as the signed 32-bit number it stores.
    public static func flywayChecksum(_ text: String) -> Int32 {
        var crc: UInt32 = 0xFFFF_FFFF
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == 0x0A { continue }
            if byte == 0x0D {
                if index < bytes.count && bytes[index] == 0x0A { index += 1 }
                continue
            }
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return Int32(bitPattern: crc ^ 0xFFFF_FFFF)
    }

    static let crcTable: [UInt32] = (0..<256).map { seed in
        var value = UInt32(seed)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}

extension Substring {
    fileprivate func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
    fileprivate func replacingOccurrences(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
