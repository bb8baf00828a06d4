import Yams

/// A direct reader for the YAML that contract files are made of (block mappings and sequences,
/// one-line plain and quoted scalars, one-line flow collections, comments), giving the same
/// `PositionedJSON` as the full reader, with the same locations, several times faster. Anything
/// else (anchors, aliases, tags, block scalars, multi-line scalars, escapes, merge keys,
/// duplicate keys, errors) returns nil and the full reader (libyaml through Yams) reads the
/// file, so what a file means and how its errors read never depend on which path ran.
/// `Tests/ContractsTests/YAMLFastPathTests.swift` compares both on real and generated files.
enum YAMLFastPath {
    static func parse(_ text: String) -> PositionedJSON? {
        var reader = Reader(text: text)
        guard reader.prepare(), !reader.lines.isEmpty else { return nil }
        guard let root = reader.node(minimumIndent: 0), reader.index == reader.lines.count else { return nil }
        return root
    }

    /// One line with something on it: where it starts and what it says (comment removed).
    struct Line {
        var number: Int
        var indent: Int
        /// The content after the indentation, as Unicode scalars (libyaml counts columns so).
        var content: [Unicode.Scalar]
    }

    struct Reader {
        let text: String
        var lines: [Line] = []
        var index = 0

        static let space: Unicode.Scalar = " "
        /// Characters that cannot start a plain scalar or a key here (or need the full reader).
        static let indicators: Set<Unicode.Scalar> = [
            "-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`",
        ]

        /// Splits the text into lines, removes comments and blank lines; false for what the
        /// fast path does not read (tabs in indentation, directives, several documents, a
        /// quoted scalar across lines).
        mutating func prepare() -> Bool {
            var number = 0
            var sawContent = false
            // By scalars: in a String, "\r\n" is one Character and would not split at "\n".
            for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
                number += 1
                var scalars = Array(raw)
                if scalars.last == "\r" { scalars.removeLast() }
                var indent = 0
                while indent < scalars.count, scalars[indent] == Self.space { indent += 1 }
                if indent < scalars.count, scalars[indent] == "\t" { return false }
                var content = Array(scalars[indent...])
                guard let stripped = Self.withoutComment(content) else { return false }
                content = stripped
                while let last = content.last, last == " " || last == "\t" { content.removeLast() }
                if content.isEmpty { continue }
                if indent == 0, content.first == "%" { return false }
                if indent == 0, content.count >= 3, content[0] == "-", content[1] == "-", content[2] == "-",
                    content.count == 3 || content[3] == " "
                {
                    if sawContent || content.count > 3 { return false }
                    continue
                }
                if indent == 0, content.count >= 3, content[0] == ".", content[1] == ".", content[2] == "." {
                    return false
                }
                sawContent = true
                lines.append(Line(number: number, indent: indent, content: content))
            }
            return true
        }

        /// The line without its comment; nil when a quote opened on it does not close on it.
        static func withoutComment(_ content: [Unicode.Scalar]) -> [Unicode.Scalar]? {
            var quote: Unicode.Scalar?
            var index = 0
            var previous: Unicode.Scalar = " "
            var lastSignificant: Unicode.Scalar = ":"
            while index < content.count {
                let character = content[index]
                if let open = quote {
                    if character == open {
                        if open == "'", index + 1 < content.count, content[index + 1] == "'" {
                            index += 2
                            continue
                        }
                        quote = nil
                    }
                } else if character == "#", previous == " " || previous == "\t" || index == 0 {
                    return Array(content[..<index])
                } else if character == "'" || character == "\"",
                    [":", "-", "[", "{", ",", "?"].contains(lastSignificant)
                {
                    quote = character
                }
                if character != " " { lastSignificant = character }
                previous = character
                index += 1
            }
            return quote == nil ? content : nil
        }

        func location(_ line: Line, _ offset: Int) -> SourceLocation {
            SourceLocation(line: line.number, column: line.indent + offset + 1)
        }

        /// The block node that starts on the current line (indented at least `minimumIndent`).
        mutating func node(minimumIndent: Int) -> PositionedJSON? {
            guard index < lines.count, lines[index].indent >= minimumIndent else { return nil }
            let line = lines[index]
            if Self.isSequenceEntry(line.content) { return sequence(indent: line.indent) }
            if Self.keyEnd(line.content) != nil { return mapping(indent: line.indent) }
            return nil
        }

        static func isSequenceEntry(_ content: [Unicode.Scalar]) -> Bool {
            content.first == "-" && (content.count == 1 || content[1] == " ")
        }

        /// Where a `key:` ends (the index of the colon), for a plain or quoted one-line key.
        static func keyEnd(_ content: [Unicode.Scalar]) -> Int? {
            guard let first = content.first else { return nil }
            if first == "'" || first == "\"" {
                guard let (_, end) = quoted(content, from: 0), end < content.count, content[end] == ":",
                    end + 1 == content.count || content[end + 1] == " "
                else { return nil }
                return end
            }
            if indicators.contains(first) { return nil }
            var index = 0
            while index < content.count {
                if content[index] == ":", index + 1 == content.count || content[index + 1] == " " { return index }
                index += 1
            }
            return nil
        }

        /// A quoted scalar starting at `start`: its text and the index after the closing quote;
        /// nil for escapes in double quotes (the full reader decodes those).
        static func quoted(_ content: [Unicode.Scalar], from start: Int) -> (String, Int)? {
            let open = content[start]
            var text = String.UnicodeScalarView()
            var index = start + 1
            while index < content.count {
                let character = content[index]
                if open == "\"" && character == "\\" { return nil }
                if character == open {
                    if open == "'", index + 1 < content.count, content[index + 1] == "'" {
                        text.append("'")
                        index += 2
                        continue
                    }
                    return (String(text), index + 1)
                }
                text.append(character)
                index += 1
            }
            return nil
        }

        mutating func mapping(indent: Int) -> PositionedJSON? {
            let start = location(lines[index], 0)
            var members: [PositionedJSON.Member] = []
            var keys: Set<String> = []
            while index < lines.count, lines[index].indent == indent {
                let line = lines[index]
                guard let colon = Self.keyEnd(line.content) else { return nil }
                let keyText: String
                if line.content[0] == "'" || line.content[0] == "\"" {
                    guard let (text, _) = Self.quoted(line.content, from: 0) else { return nil }
                    keyText = text
                } else {
                    var written = line.content[..<colon]
                    while written.last == " " { written.removeLast() }
                    keyText = String(String.UnicodeScalarView(written))
                    if keyText == "<<" { return nil }
                }
                guard keys.insert(keyText).inserted else { return nil } // the full reader says where
                let keyLocation = location(line, 0)
                var valueStart = colon + 1
                while valueStart < line.content.count, line.content[valueStart] == " " { valueStart += 1 }
                index += 1
                let value: PositionedJSON
                if valueStart < line.content.count {
                    guard let inline = inlineValue(line, from: valueStart) else { return nil }
                    value = inline
                    // More-indented lines after a one-line value would continue a plain scalar.
                    if index < lines.count, lines[index].indent > indent { return nil }
                } else if index < lines.count, lines[index].indent > indent {
                    guard let nested = node(minimumIndent: indent + 1) else { return nil }
                    value = nested
                } else if index < lines.count, lines[index].indent == indent,
                    Self.isSequenceEntry(lines[index].content)
                {
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
            let start = location(lines[index], 0)
            var items: [PositionedJSON] = []
            while index < lines.count, lines[index].indent == indent, Self.isSequenceEntry(lines[index].content) {
                let line = lines[index]
                var offset = 1
                while offset < line.content.count, line.content[offset] == " " { offset += 1 }
                if offset >= line.content.count {
                    index += 1
                    guard index < lines.count, lines[index].indent > indent,
                        let nested = node(minimumIndent: indent + 1)
                    else { return nil }
                    items.append(nested)
                    continue
                }
                let rest = Array(line.content[offset...])
                if Self.isSequenceEntry(rest) { return nil }
                if Self.keyEnd(rest) != nil {
                    // `- key: value`: a mapping whose keys line up after the dash.
                    lines[index] = Line(number: line.number, indent: indent + offset, content: rest)
                    guard let nested = mapping(indent: indent + offset) else { return nil }
                    items.append(nested)
                    continue
                }
                index += 1
                guard let inline = inlineValue(line, from: offset) else { return nil }
                if index < lines.count, lines[index].indent > indent { return nil }
                items.append(inline)
            }
            if index < lines.count, lines[index].indent > indent { return nil }
            return PositionedJSON(value: .array(items), location: start)
        }

        /// A value written on its line from `start`: a scalar or a one-line flow collection.
        func inlineValue(_ line: Line, from start: Int) -> PositionedJSON? {
            var flow = FlowReader(content: line.content, index: start, line: line, reader: self)
            guard let value = flow.value(inFlow: false) else { return nil }
            flow.skipSpaces()
            return flow.index == line.content.count ? value : nil
        }

        static let resolvedWords: Set<String> = [
            "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON",
            "off", "Off", "OFF", "null", "Null", "NULL",
        ]

        /// A plain scalar typed the way the full reader types it (Yams' resolver).
        static func plain(_ text: String, at location: SourceLocation) -> PositionedJSON {
            // Most values are words: only these words, and text starting with a digit, a sign, a
            // dot or `~`, can be anything but a string to Yams' resolver (Resolver.default).
            if let first = text.unicodeScalars.first, first.properties.isAlphabetic || first == "_",
                !resolvedWords.contains(text)
            {
                return PositionedJSON(value: .string(text), location: location)
            }
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
        let content: [Unicode.Scalar]
        var index: Int
        let line: Line
        let reader: Reader

        mutating func skipSpaces() {
            while index < content.count, content[index] == " " { index += 1 }
        }

        mutating func value(inFlow: Bool) -> PositionedJSON? {
            skipSpaces()
            guard index < content.count else { return nil }
            let at = reader.location(line, index)
            let first = content[index]
            switch first {
            case "[":
                index += 1
                var items: [PositionedJSON] = []
                skipSpaces()
                if index < content.count, content[index] == "]" {
                    index += 1
                    return PositionedJSON(value: .array([]), location: at)
                }
                while true {
                    guard let item = value(inFlow: true) else { return nil }
                    items.append(item)
                    skipSpaces()
                    guard index < content.count else { return nil }
                    if content[index] == "," {
                        index += 1
                        continue
                    }
                    guard content[index] == "]" else { return nil }
                    index += 1
                    return PositionedJSON(value: .array(items), location: at)
                }
            case "{":
                index += 1
                var members: [PositionedJSON.Member] = []
                var keys: Set<String> = []
                skipSpaces()
                if index < content.count, content[index] == "}" {
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
                    guard index < content.count, content[index] == ":" else { return nil }
                    index += 1
                    guard index < content.count, content[index] == " " else { return nil }
                    guard let item = value(inFlow: true) else { return nil }
                    members.append(PositionedJSON.Member(key: name, keyLocation: keyAt, value: item))
                    skipSpaces()
                    guard index < content.count else { return nil }
                    if content[index] == "," {
                        index += 1
                        continue
                    }
                    guard content[index] == "}" else { return nil }
                    index += 1
                    return PositionedJSON(value: .object(members), location: at)
                }
            case "'", "\"":
                guard let (text, end) = Reader.quoted(content, from: index) else { return nil }
                index = end
                return PositionedJSON(value: .string(text), location: at)
            default:
                if Reader.indicators.contains(first),
                    !(first == "-" && index + 1 < content.count && content[index + 1] != " ")
                {
                    return nil
                }
                var end = index
                while end < content.count {
                    let character = content[end]
                    if inFlow, [",", "[", "]", "{", "}"].contains(character) { break }
                    if character == ":", end + 1 == content.count || content[end + 1] == " " {
                        // In a flow mapping this ends the key; in a block value it would be a
                        // second `key:` on the line (the full reader reports it).
                        if inFlow { break }
                        return nil
                    }
                    end += 1
                }
                var text = content[index..<end]
                while text.last == " " { text.removeLast() }
                guard !text.isEmpty else { return nil }
                index = end
                return Reader.plain(String(String.UnicodeScalarView(text)), at: at)
            }
        }
    }
}
