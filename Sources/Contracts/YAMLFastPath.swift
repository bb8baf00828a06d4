import Yams

/// A direct reader for the YAML that contract files are made of (block mappings and sequences,
/// one-line plain and quoted scalars, one-line flow collections, comments), giving the same
/// `PositionedJSON` as the full reader, with the same locations, several times faster. Anything
/// else (anchors, aliases, tags, block scalars, multi-line scalars, escapes, merge keys,
/// duplicate keys, errors) returns nil and the full reader (libyaml through Yams) reads the
/// file, so what a file means and how its errors read never depend on which path ran.
/// `Tests/ContractsTests/YAMLFastPathTests.swift` compares both on real and generated files.
///
/// It reads UTF-8 bytes: every character YAML gives a meaning to is ASCII, and no byte of a
/// multi-byte UTF-8 sequence is, so comparing bytes is comparing characters. Columns are counted
/// in Unicode scalars, as libyaml counts them.
enum YAMLFastPath {
    static func parse(_ text: String) -> PositionedJSON? {
        var reader = Reader(bytes: Array(text.utf8))
        guard reader.prepare(), !reader.lines.isEmpty else { return nil }
        guard let root = reader.node(minimumIndent: 0), reader.index == reader.lines.count else { return nil }
        return root
    }

    typealias Byte = UInt8

    /// One line with something on it: where it starts and what it says (comment removed).
    struct Line {
        var number: Int
        /// The column where `start` is, counted from 0 (the indentation, or after `- `).
        var indent: Int
        /// The content after the indentation: `bytes[start..<end]`.
        var start: Int
        var end: Int
    }

    static let space = Byte(ascii: " ")
    static let tab = Byte(ascii: "\t")
    static let colon = Byte(ascii: ":")
    static let dash = Byte(ascii: "-")
    static let singleQuote = Byte(ascii: "'")
    static let doubleQuote = Byte(ascii: "\"")

    /// Bytes that cannot start a plain scalar or a key here (or need the full reader).
    static let isIndicator: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for character in "-?:,[]{}#&*!|>'\"%@`".utf8 { table[Int(character)] = true }
        return table
    }()

    /// Where a quote can open a scalar: after these (or at the start of a line).
    static func opensScalar(after byte: Byte) -> Bool {
        switch byte {
        case colon, dash, Byte(ascii: "["), Byte(ascii: "{"), Byte(ascii: ","), Byte(ascii: "?"): true
        default: false
        }
    }

    struct Reader {
        let bytes: [Byte]
        var lines: [Line] = []
        var index = 0
        /// Block collections open around `index`: past `PositionedJSON.maximumNesting` the file
        /// is left to the full reader, whose guard reports it (this reader recurses per level too).
        var depth = 0

        init(bytes: [Byte]) {
            self.bytes = bytes
        }

        /// Splits the text into lines, removes comments and blank lines; false for what the
        /// fast path does not read (tabs in indentation, directives, several documents, a
        /// quoted scalar across lines).
        mutating func prepare() -> Bool {
            guard onlyPrintableCharacters() else { return false }
            var number = 0
            var sawContent = false
            var lineStart = 0
            let count = bytes.count
            while lineStart <= count {
                number += 1
                var lineEnd = lineStart
                while lineEnd < count, bytes[lineEnd] != Byte(ascii: "\n") { lineEnd += 1 }
                defer { lineStart = lineEnd + 1 }
                var end = lineEnd
                if end > lineStart, bytes[end - 1] == Byte(ascii: "\r") { end -= 1 }
                var start = lineStart
                while start < end, bytes[start] == space { start += 1 }
                if start < end, bytes[start] == tab { return false }
                guard let withoutComment = endWithoutComment(start, end) else { return false }
                end = withoutComment
                while end > start, bytes[end - 1] == space || bytes[end - 1] == tab { end -= 1 }
                // A tab between tokens is white space to libyaml, and not everywhere.
                if bytes[start..<end].contains(tab) { return false }
                if start == end { continue }
                let indent = start - lineStart
                let length = end - start
                if indent == 0, bytes[start] == Byte(ascii: "%") { return false }
                if indent == 0, length >= 3, bytes[start] == dash, bytes[start + 1] == dash, bytes[start + 2] == dash,
                    length == 3 || bytes[start + 3] == space
                {
                    if sawContent || length > 3 { return false }
                    continue
                }
                if indent == 0, length >= 3, bytes[start] == Byte(ascii: "."), bytes[start + 1] == Byte(ascii: "."),
                    bytes[start + 2] == Byte(ascii: ".")
                {
                    return false
                }
                sawContent = true
                lines.append(Line(number: number, indent: indent, start: start, end: end))
            }
            return true
        }

        /// Whether every character is one libyaml reads as this reader does: false for a byte
        /// order mark, a carriage return not before a line feed, the line separators YAML 1.1
        /// also breaks lines at (NEL, U+2028, U+2029), and the characters libyaml refuses (C0 and
        /// C1 controls but tab and line feed, DEL, U+FFFE, U+FFFF).
        func onlyPrintableCharacters() -> Bool {
            let count = bytes.count
            var index = 0
            while index < count {
                let byte = bytes[index]
                switch byte {
                case 0x0A, 0x09, 0x20..<0x7F: break
                case 0x0D: if index + 1 == count || bytes[index + 1] != 0x0A { return false }
                case 0xC2: if index + 1 < count, bytes[index + 1] < 0xA0 { return false }
                case 0xE2:
                    if index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] & 0xFE == 0xA8 { return false }
                case 0xEF:
                    if index + 2 < count,
                        (bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF)
                            || (bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE)
                    {
                        return false
                    }
                case 0x80...: break
                default: return false
                }
                index += 1
            }
            return true
        }

        /// Where `bytes[start..<end]` ends without its comment; nil when a quote opened on it
        /// does not close on it.
        func endWithoutComment(_ start: Int, _ end: Int) -> Int? {
            var quote: Byte?
            var index = start
            var previous = space
            var lastSignificant = colon
            while index < end {
                let character = bytes[index]
                if let open = quote {
                    if character == open {
                        if open == singleQuote, index + 1 < end, bytes[index + 1] == singleQuote {
                            index += 2
                            continue
                        }
                        quote = nil
                    }
                } else if character == Byte(ascii: "#"), previous == space || previous == tab || index == start {
                    return index
                } else if character == singleQuote || character == doubleQuote, opensScalar(after: lastSignificant) {
                    quote = character
                }
                if character != space { lastSignificant = character }
                previous = character
                index += 1
            }
            return quote == nil ? end : nil
        }

        /// The location of `bytes[at]` on `line`: its column counts Unicode scalars (UTF-8
        /// continuation bytes are not counted).
        func location(_ line: Line, _ at: Int) -> SourceLocation {
            var column = line.indent + 1
            var index = line.start
            while index < at {
                if bytes[index] & 0xC0 != 0x80 { column += 1 }
                index += 1
            }
            return SourceLocation(line: line.number, column: column)
        }

        func text(_ start: Int, _ end: Int) -> String {
            String(decoding: bytes[start..<end], as: UTF8.self)
        }

        /// The block node that starts on the current line (indented at least `minimumIndent`).
        mutating func node(minimumIndent: Int) -> PositionedJSON? {
            guard index < lines.count, lines[index].indent >= minimumIndent else { return nil }
            depth += 1
            defer { depth -= 1 }
            guard depth <= PositionedJSON.maximumNesting else { return nil }
            let line = lines[index]
            if isSequenceEntry(line) { return sequence(indent: line.indent) }
            if keyEnd(line) != nil { return mapping(indent: line.indent) }
            return nil
        }

        func isSequenceEntry(_ line: Line) -> Bool {
            bytes[line.start] == dash && (line.end - line.start == 1 || bytes[line.start + 1] == space)
        }

        /// Where a `key:` on `line` ends (the index of the colon), for a plain or quoted
        /// one-line key.
        func keyEnd(_ line: Line) -> Int? {
            let first = bytes[line.start]
            if first == singleQuote || first == doubleQuote {
                guard let (_, end) = quoted(line.start, line.end), end < line.end, bytes[end] == colon,
                    end + 1 == line.end || bytes[end + 1] == space
                else { return nil }
                return end
            }
            if isIndicator[Int(first)] { return nil }
            var index = line.start
            while index < line.end {
                if bytes[index] == colon, index + 1 == line.end || bytes[index + 1] == space { return index }
                index += 1
            }
            return nil
        }

        /// A quoted scalar starting at `start` (before `end`): its text and the index after the
        /// closing quote; nil for escapes in double quotes (the full reader decodes those).
        func quoted(_ start: Int, _ end: Int) -> (String, Int)? {
            let open = bytes[start]
            var index = start + 1
            var runStart = index
            var text = ""
            while index < end {
                let character = bytes[index]
                if open == doubleQuote && character == Byte(ascii: "\\") { return nil }
                if character == open {
                    if open == singleQuote, index + 1 < end, bytes[index + 1] == singleQuote {
                        // `''` is one quote: keep the text up to and with the first.
                        text += self.text(runStart, index + 1)
                        index += 2
                        runStart = index
                        continue
                    }
                    text += self.text(runStart, index)
                    return (text, index + 1)
                }
                index += 1
            }
            return nil
        }

        mutating func mapping(indent: Int) -> PositionedJSON? {
            let start = location(lines[index], lines[index].start)
            var members: [PositionedJSON.Member] = []
            var keys: Set<String> = []
            while index < lines.count, lines[index].indent == indent {
                let line = lines[index]
                guard let colon = keyEnd(line) else { return nil }
                let keyText: String
                if bytes[line.start] == singleQuote || bytes[line.start] == doubleQuote {
                    guard let (text, _) = quoted(line.start, line.end) else { return nil }
                    keyText = text
                } else {
                    var written = colon
                    while written > line.start, bytes[written - 1] == space { written -= 1 }
                    keyText = text(line.start, written)
                    if keyText == "<<" { return nil }
                }
                guard keys.insert(keyText).inserted else { return nil } // the full reader says where
                let keyLocation = location(line, line.start)
                var valueStart = colon + 1
                while valueStart < line.end, bytes[valueStart] == space { valueStart += 1 }
                index += 1
                let value: PositionedJSON
                if valueStart < line.end {
                    guard let inline = inlineValue(line, from: valueStart) else { return nil }
                    value = inline
                    // More-indented lines after a one-line value would continue a plain scalar.
                    if index < lines.count, lines[index].indent > indent { return nil }
                } else if index < lines.count, lines[index].indent > indent {
                    guard let nested = node(minimumIndent: indent + 1) else { return nil }
                    value = nested
                } else if index < lines.count, lines[index].indent == indent, isSequenceEntry(lines[index]) {
                    guard let list = sequence(indent: indent) else { return nil }
                    value = list
                } else {
                    return nil // an empty value: the full reader places its null
                }
                members.append(PositionedJSON.Member(key: keyText, keyLocation: keyLocation, value: value))
            }
            if index < lines.count, lines[index].indent > indent { return nil }
            return PositionedJSON(value: .object(members), location: start)
        }

        mutating func sequence(indent: Int) -> PositionedJSON? {
            let start = location(lines[index], lines[index].start)
            var items: [PositionedJSON] = []
            while index < lines.count, lines[index].indent == indent, isSequenceEntry(lines[index]) {
                let line = lines[index]
                var restStart = line.start + 1
                while restStart < line.end, bytes[restStart] == space { restStart += 1 }
                if restStart >= line.end {
                    index += 1
                    guard index < lines.count, lines[index].indent > indent,
                        let nested = node(minimumIndent: indent + 1)
                    else { return nil }
                    items.append(nested)
                    continue
                }
                // The dash and the spaces after it are ASCII: as many columns as bytes.
                let rest = Line(
                    number: line.number, indent: indent + (restStart - line.start), start: restStart, end: line.end)
                if isSequenceEntry(rest) { return nil }
                if keyEnd(rest) != nil {
                    // `- key: value`: a mapping whose keys line up after the dash.
                    lines[index] = rest
                    guard let nested = mapping(indent: rest.indent) else { return nil }
                    items.append(nested)
                    continue
                }
                index += 1
                guard let inline = inlineValue(line, from: restStart) else { return nil }
                if index < lines.count, lines[index].indent > indent { return nil }
                items.append(inline)
            }
            if index < lines.count, lines[index].indent > indent { return nil }
            return PositionedJSON(value: .array(items), location: start)
        }

        /// A value written on its line from `start`: a scalar or a one-line flow collection.
        func inlineValue(_ line: Line, from start: Int) -> PositionedJSON? {
            var flow = FlowReader(reader: self, line: line, index: start)
            guard let value = flow.value(inFlow: false) else { return nil }
            flow.skipSpaces()
            return flow.index == line.end ? value : nil
        }

        /// The words Yams' resolver (Resolver.default) reads as booleans or null (YAML 1.1), with
        /// what it reads them as. Written out: asking the resolver costs its regular expressions
        /// at every start; `YAMLFastPathTests` checks the table against it.
        static let resolvedWords: [String: PositionedJSON.Value] = {
            let meanings: [(String, PositionedJSON.Value)] = [
                ("yes", .bool(true)), ("true", .bool(true)), ("on", .bool(true)), ("no", .bool(false)),
                ("false", .bool(false)), ("off", .bool(false)), ("null", .null),
            ]
            var words: [String: PositionedJSON.Value] = [:]
            for (word, value) in meanings {
                // Each in three spellings: `true`, `True`, `TRUE`.
                for spelling in [word, word.prefix(1).uppercased() + word.dropFirst(), word.uppercased()] {
                    words[spelling] = value
                }
            }
            return words
        }()

        /// The plain scalar `bytes[start..<end]` typed the way the full reader types it (Yams'
        /// resolver).
        func plain(_ start: Int, _ end: Int, at location: SourceLocation) -> PositionedJSON {
            let first = bytes[start]
            let text = text(start, end)
            // Most values are words: only these words, and text starting with a digit, a sign, a
            // dot or `~`, can be anything but a string to Yams' resolver (Resolver.default).
            let startsAWord =
                first < 0x80
                ? ((first | 0x20) >= Byte(ascii: "a") && (first | 0x20) <= Byte(ascii: "z"))
                    || first == Byte(ascii: "_")
                : text.unicodeScalars.first?.properties.isAlphabetic == true
            if startsAWord {
                return PositionedJSON(value: Self.resolvedWords[text] ?? .string(text), location: location)
            }
            // A decimal integer without a leading zero (a leading zero is octal to the resolver)
            // and short enough for an Int is itself.
            if end - start <= 18, first != Byte(ascii: "0") || end - start == 1,
                bytes[start..<end].allSatisfy({ $0 >= Byte(ascii: "0") && $0 <= Byte(ascii: "9") })
            {
                return PositionedJSON(value: .number(text), location: location)
            }
            // Digits with two dots or more (`version: 1.0.0`) are text to every rule of the
            // resolver (a number has one dot at most), so its regular expressions are not asked.
            var dots = 0
            if bytes[start..<end].allSatisfy({ byte in
                if byte == Byte(ascii: ".") { dots += 1 }
                return byte == Byte(ascii: ".") || (byte >= Byte(ascii: "0") && byte <= Byte(ascii: "9"))
            }), dots >= 2 {
                return PositionedJSON(value: .string(text), location: location)
            }
            return Self.resolved(text, at: location)
        }

        /// What Yams' resolver makes of a plain scalar.
        static func resolved(_ text: String, at location: SourceLocation) -> PositionedJSON {
            let node = Node(text, .implicit, .plain)
            if node.null != nil { return PositionedJSON(value: .null, location: location) }
            if let flag = node.bool { return PositionedJSON(value: .bool(flag), location: location) }
            if let integer = node.int { return PositionedJSON(value: .number(String(integer)), location: location) }
            if let double = node.float, double.isFinite {
                return PositionedJSON(value: .number(String(double)), location: location)
            }
            return PositionedJSON(value: .string(text), location: location)
        }
    }

    /// Scalars and flow collections within one line.
    struct FlowReader {
        let reader: Reader
        let line: Line
        var index: Int
        /// Values open in this line (as `Reader.depth`, bounded the same way).
        var depth = 0

        var bytes: [Byte] { reader.bytes }
        var end: Int { line.end }

        mutating func skipSpaces() {
            while index < end, bytes[index] == space { index += 1 }
        }

        mutating func value(inFlow: Bool) -> PositionedJSON? {
            depth += 1
            defer { depth -= 1 }
            guard depth <= PositionedJSON.maximumNesting else { return nil }
            skipSpaces()
            guard index < end else { return nil }
            let at = reader.location(line, index)
            let first = bytes[index]
            switch first {
            case Byte(ascii: "["):
                index += 1
                var items: [PositionedJSON] = []
                skipSpaces()
                if index < end, bytes[index] == Byte(ascii: "]") {
                    index += 1
                    return PositionedJSON(value: .array([]), location: at)
                }
                while true {
                    guard let item = value(inFlow: true) else { return nil }
                    items.append(item)
                    skipSpaces()
                    guard index < end else { return nil }
                    if bytes[index] == Byte(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard bytes[index] == Byte(ascii: "]") else { return nil }
                    index += 1
                    return PositionedJSON(value: .array(items), location: at)
                }
            case Byte(ascii: "{"):
                index += 1
                var members: [PositionedJSON.Member] = []
                var keys: Set<String> = []
                skipSpaces()
                if index < end, bytes[index] == Byte(ascii: "}") {
                    index += 1
                    return PositionedJSON(value: .object([]), location: at)
                }
                while true {
                    skipSpaces()
                    let keyAt = reader.location(line, index)
                    guard let key = value(inFlow: true), case .string(let name) = key.value,
                        keys.insert(name).inserted, name != "<<"
                    else { return nil }
                    skipSpaces()
                    guard index < end, bytes[index] == colon else { return nil }
                    index += 1
                    guard index < end, bytes[index] == space else { return nil }
                    guard let item = value(inFlow: true) else { return nil }
                    members.append(PositionedJSON.Member(key: name, keyLocation: keyAt, value: item))
                    skipSpaces()
                    guard index < end else { return nil }
                    if bytes[index] == Byte(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard bytes[index] == Byte(ascii: "}") else { return nil }
                    index += 1
                    return PositionedJSON(value: .object(members), location: at)
                }
            case singleQuote, doubleQuote:
                guard let (text, after) = reader.quoted(index, end) else { return nil }
                index = after
                return PositionedJSON(value: .string(text), location: at)
            default:
                if isIndicator[Int(first)], !(first == dash && index + 1 < end && bytes[index + 1] != space) {
                    return nil
                }
                var stop = index
                scan: while stop < end {
                    let character = bytes[stop]
                    if character == colon {
                        // In a flow mapping `: ` ends the key; any other colon in a flow
                        // collection is left to libyaml (`[a:]` is an error there). In a block
                        // value `: ` would be a second `key:` on the line (libyaml reports it).
                        if inFlow, stop + 1 < end, bytes[stop + 1] == space { break scan }
                        if inFlow || stop + 1 == end || bytes[stop + 1] == space { return nil }
                    }
                    if inFlow {
                        switch character {
                        case Byte(ascii: ","), Byte(ascii: "["), Byte(ascii: "]"), Byte(ascii: "{"), Byte(ascii: "}"):
                            break scan
                        default: break
                        }
                    }
                    stop += 1
                }
                var last = stop
                while last > index, bytes[last - 1] == space { last -= 1 }
                guard last > index else { return nil }
                let start = index
                index = stop
                return reader.plain(start, last, at: at)
            }
        }
    }
}
