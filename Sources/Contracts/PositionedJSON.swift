/// A line and column in a source file, both 1-based; columns count characters, not bytes.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A JSON value that remembers where it was written, so validation errors can point at the
/// exact key or value a person has to fix.
public struct PositionedJSON: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: PositionedJSON
    }

    /// Not `indirect`: the recursive cases already hold arrays, and an indirect enum would box
    /// every string and number in a heap allocation of its own.
    public enum Value: Sendable, Hashable {
        case object([Member])
        case array([PositionedJSON])
        case string(String)
        /// The number as written (`32`, `32.0`, `6e0`); interpret with `integerValue`.
        case number(String)
        case bool(Bool)
        case null
    }

    public var value: Value
    public var location: SourceLocation

    public subscript(key: String) -> PositionedJSON? {
        guard case .object(let members) = value else { return nil }
        // Lengths first: a String comparison of two different keys is the slow path.
        let length = key.utf8.count
        return members.last { $0.key.utf8.count == length && $0.key == key }?.value
    }

    public var members: [Member]? {
        if case .object(let members) = value { return members }
        return nil
    }

    /// What kind of value this is, for error messages ("expected a string, found a number").
    public var kindName: String {
        switch value {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// Whole numbers written as `32` or `32.0` (the book writes precisions as floats).
    public var integerValue: Int? {
        guard case .number(let text) = value else { return nil }
        // Plain digits (nearly every number in a contract) without a trip through Double.
        if text.utf8.count <= 15, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return text.utf8.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        guard let double = Double(text), double.rounded() == double, abs(double) < 1e15 else { return nil }
        return Int(double)
    }
}

/// A syntax error with its location.
public struct JSONSyntaxError: Error, Sendable, Hashable {
    public var location: SourceLocation
    public var message: String
}

/// A small strict JSON parser (RFC 8259) over UTF-8 bytes that records locations.
/// It also explains the usual hand-editing mistakes: trailing commas, comments, single quotes.
public struct PositionedJSONParser {
    /// The document, valid for the one `parse` call (bounds are checked by the parser's own
    /// `offset < bytes.count` tests; the array's checks on every byte cost a fifth of parsing).
    private let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0
    private var line = 1
    /// Offset of the first byte of the current line: columns are counted only when a location
    /// is taken, not on every byte (that bookkeeping was most of the parsing time).
    private var lineStart = 0

    /// Members of the objects being parsed, innermost last: each finished object copies its own
    /// members out once, instead of growing an array of its own 1, 2, 4, 8… members.
    private var memberStack: [PositionedJSON.Member] = []
    private var itemStack: [PositionedJSON] = []

    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> PositionedJSON {
        let outcome = bytes.withUnsafeBufferPointer { buffer in
            // Skip a UTF-8 byte-order mark.
            let bom = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
            var parser = PositionedJSONParser(bytes: bom ? UnsafeBufferPointer(rebasing: buffer[3...]) : buffer)
            return Result { () throws(JSONSyntaxError) in try parser.parseDocument() }
        }
        return try outcome.get()
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // Eight bytes at a time: any high bit means a non-ASCII byte.
        let raw = UnsafeRawBufferPointer(bytes)
        var highBits: UInt64 = 0
        var index = 0
        while index + 8 <= raw.count {
            highBits |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < raw.count {
            highBits |= UInt64(raw[index])
            index += 1
        }
        isASCII = highBits & 0x8080_8080_8080_8080 == 0
    }

    /// In an ASCII file (most contracts) a column is a byte offset: nothing to count.
    private let isASCII: Bool

    /// Characters counted so far on the current line, up to `countedTo`: locations are taken
    /// in increasing order, so each byte is counted once even on a very long (minified) line.
    private var countedTo = 0
    private var countedCharacters = 0

    /// Where the parser is. Columns count characters: bytes that do not continue a UTF-8 sequence.
    private mutating func here() -> SourceLocation {
        if isASCII { return SourceLocation(line: line, column: offset - lineStart + 1) }
        if countedTo < lineStart || countedTo > offset {
            countedTo = lineStart
            countedCharacters = 0
        }
        while countedTo < offset {
            if bytes[countedTo] & 0xC0 != 0x80 { countedCharacters += 1 }
            countedTo += 1
        }
        return SourceLocation(line: line, column: countedCharacters + 1)
    }

    private mutating func fail(_ message: String, at location: SourceLocation? = nil) -> JSONSyntaxError {
        JSONSyntaxError(location: location ?? here(), message: message)
    }

    private mutating func parseDocument() throws(JSONSyntaxError) -> PositionedJSON {
        skipWhitespace()
        if offset >= bytes.count { throw fail("the file is empty; expected a JSON object") }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if offset < bytes.count {
            throw fail("unexpected \(describeCurrent()) after the end of the JSON document")
        }
        return value
    }

    private mutating func advance() {
        if bytes[offset] == 0x0A {
            line += 1
            lineStart = offset + 1
        }
        offset += 1
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0D: offset += 1
            case 0x0A:
                offset += 1
                line += 1
                lineStart = offset
            default: return
            }
        }
    }

    private func describeCurrent() -> String {
        guard offset < bytes.count else { return "end of file" }
        let byte = bytes[offset]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "character"
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> PositionedJSON {
        guard depth < 256 else { throw fail("nesting is deeper than 256 levels") }
        guard offset < bytes.count else { throw fail("unexpected end of file; expected a value") }
        let start = here()
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return PositionedJSON(value: .string(try parseString()), location: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return PositionedJSON(value: .number(try parseNumber()), location: start)
        case UInt8(ascii: "t"):
            try expectWord("true")
            return PositionedJSON(value: .bool(true), location: start)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return PositionedJSON(value: .bool(false), location: start)
        case UInt8(ascii: "n"):
            try expectWord("null")
            return PositionedJSON(value: .null, location: start)
        case UInt8(ascii: "T"), UInt8(ascii: "F"), UInt8(ascii: "N"):
            throw fail("invalid literal; JSON literals are lower-case: true, false, null")
        case UInt8(ascii: "'"): throw fail("strings must use double quotes (\"), not single quotes")
        case UInt8(ascii: "/"): throw fail("comments are not allowed in JSON")
        default:
            throw fail(
                "unexpected \(describeCurrent()); expected a value (object, array, string, number, true, false or null)"
            )
        }
    }

    private mutating func expectWord(_ word: String) throws(JSONSyntaxError) {
        let start = here()
        for byte in word.utf8 {
            guard offset < bytes.count, bytes[offset] == byte else {
                throw fail("invalid literal; expected `\(word)` (JSON literals are lower-case)", at: start)
            }
            advance()
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> PositionedJSON {
        let start = here()
        advance() // {
        // This object's members are memberStack[base...]. Keys seen so far, for the duplicate-key
        // error: contract objects are small, a linear scan is cheaper than a dictionary per
        // object until they are not.
        let base = memberStack.count
        defer { memberStack.removeLast(memberStack.count - base) }
        var seen: [String: SourceLocation]?
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
            advance()
            return PositionedJSON(value: .object([]), location: start)
        }
        while true {
            skipWhitespace()
            guard offset < bytes.count else {
                throw fail("unexpected end of file inside the object that starts at \(start)")
            }
            if bytes[offset] == UInt8(ascii: "}") { throw fail("trailing comma before '}' is not allowed in JSON") }
            if bytes[offset] == UInt8(ascii: "/") { throw fail("comments are not allowed in JSON") }
            guard bytes[offset] == UInt8(ascii: "\"") else {
                throw fail("expected a key in double quotes, found \(describeCurrent())")
            }
            let keyLocation = here()
            let key = try parseString()
            if let first = seen.map({ $0[key] }) ?? memberStack[base...].first(where: { $0.key == key })?.keyLocation {
                throw fail("duplicate key \"\(key)\" (first written at \(first))", at: keyLocation)
            }
            if seen == nil, memberStack.count - base >= 32 {
                seen = Dictionary(
                    memberStack[base...].map { ($0.key, $0.keyLocation) }, uniquingKeysWith: { first, _ in first })
            }
            seen?[key] = keyLocation
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
                throw fail("expected ':' after the key \"\(key)\", found \(describeCurrent())")
            }
            advance()
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            memberStack.append(PositionedJSON.Member(key: key, keyLocation: keyLocation, value: value))
            skipWhitespace()
            guard offset < bytes.count else {
                throw fail("unexpected end of file; the object that starts at \(start) is not closed")
            }
            if bytes[offset] == UInt8(ascii: ",") {
                advance()
                continue
            }
            if bytes[offset] == UInt8(ascii: "}") {
                advance()
                break
            }
            throw fail("expected ',' or '}' after the value of \"\(key)\", found \(describeCurrent())")
        }
        return PositionedJSON(value: .object(Array(memberStack[base...])), location: start)
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> PositionedJSON {
        let start = here()
        advance() // [
        let base = itemStack.count
        defer { itemStack.removeLast(itemStack.count - base) }
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
            advance()
            return PositionedJSON(value: .array([]), location: start)
        }
        while true {
            skipWhitespace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                throw fail("trailing comma before ']' is not allowed in JSON")
            }
            itemStack.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard offset < bytes.count else {
                throw fail("unexpected end of file; the array that starts at \(start) is not closed")
            }
            if bytes[offset] == UInt8(ascii: ",") {
                advance()
                continue
            }
            if bytes[offset] == UInt8(ascii: "]") {
                advance()
                break
            }
            throw fail("expected ',' or ']' in the array, found \(describeCurrent())")
        }
        return PositionedJSON(value: .array(Array(itemStack[base...])), location: start)
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = here()
        advance() // opening quote
        // Fast path: most strings have no escapes; decode the bytes up to the closing quote once.
        var end = offset
        var plain = true
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") || byte < 0x20 {
                plain = false
                break
            }
            end += 1
        }
        if plain, end < bytes.count {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self)
            offset = end + 1
            return text
        }
        var scalars = String.UnicodeScalarView()
        var run: [UInt8] = []
        func flush(_ run: inout [UInt8], into scalars: inout String.UnicodeScalarView) {
            if !run.isEmpty {
                scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
                run.removeAll(keepingCapacity: true)
            }
        }
        while true {
            guard offset < bytes.count else { throw fail("unterminated string (it starts at \(start))", at: start) }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                advance()
                break
            }
            if byte == 0x0A {
                throw fail("unterminated string (it starts at \(start)); strings cannot span lines", at: start)
            }
            if byte < 0x20 { throw fail("control character in a string; write it as an escape such as \\t") }
            if byte == UInt8(ascii: "\\") {
                flush(&run, into: &scalars)
                advance()
                guard offset < bytes.count else { throw fail("unterminated string (it starts at \(start))", at: start) }
                let escape = bytes[offset]
                let escapeLocation = here()
                advance()
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                            bytes[offset + 1] == UInt8(ascii: "u")
                        else {
                            throw fail("unpaired surrogate in \\u escape", at: escapeLocation)
                        }
                        advance()
                        advance()
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw fail("invalid surrogate pair in \\u escape", at: escapeLocation)
                        }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else {
                        throw fail("invalid \\u escape", at: escapeLocation)
                    }
                    scalars.append(scalar)
                default:
                    throw fail("invalid escape \\\(Character(Unicode.Scalar(escape))) in a string", at: escapeLocation)
                }
                continue
            }
            run.append(byte)
            advance()
        }
        flush(&run, into: &scalars)
        return String(scalars)
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard offset < bytes.count else { throw fail("unexpected end of file in a \\u escape") }
            let byte = bytes[offset]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("a \\u escape needs four hex digits")
            }
            value = value * 16 + digit
            advance()
        }
        return value
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let startOffset = offset
        let start = here()
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        if bytes[offset] == UInt8(ascii: "-") { advance() }
        guard offset < bytes.count, isDigit(bytes[offset]) else { throw fail("invalid number", at: start) }
        if bytes[offset] == UInt8(ascii: "0") {
            advance()
            if offset < bytes.count, isDigit(bytes[offset]) {
                throw fail("numbers cannot have leading zeros", at: start)
            }
        } else {
            while offset < bytes.count, isDigit(bytes[offset]) { advance() }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            advance()
            guard offset < bytes.count, isDigit(bytes[offset]) else {
                throw fail("a decimal point must be followed by digits", at: start)
            }
            while offset < bytes.count, isDigit(bytes[offset]) { advance() }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            advance()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                advance()
            }
            guard offset < bytes.count, isDigit(bytes[offset]) else {
                throw fail("an exponent must have digits", at: start)
            }
            while offset < bytes.count, isDigit(bytes[offset]) { advance() }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[startOffset..<offset]), as: UTF8.self)
    }
}
