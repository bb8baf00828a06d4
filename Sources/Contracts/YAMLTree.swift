import Foundation
import Yams

extension PositionedJSON {
    /// Parses YAML into the same positioned tree as JSON, so both contract formats share one
    /// field reader and every problem points at a line and column.
    public static func parseYAML(_ text: String) throws(JSONSyntaxError) -> PositionedJSON {
        try parseYAML(text, fastPath: true)
    }

    /// `fastPath: false` reads with libyaml only (the fast path's tests compare the two).
    static func parseYAML(_ text: String, fastPath: Bool) throws(JSONSyntaxError) -> PositionedJSON {
        // The YAML contract files are made of, read directly (the same tree, several times
        // faster); anything else goes to libyaml below. The fast path bounds its own nesting, so
        // the guard against libyaml's recursion runs only for what it declines.
        if fastPath, let fast = YAMLFastPath.parse(text) { return fast }
        let bytes = text.utf8.count
        if let depth = flowNestingBeyond(text, limit: maximumNesting) {
            throw JSONSyntaxError(location: depth, message: "nesting is deeper than \(maximumNesting) levels")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.syntaxError(error, in: text)
        } catch {
            throw JSONSyntaxError(location: SourceLocation(line: 1, column: 1), message: "invalid YAML: \(error)")
        }
        guard let node else {
            throw JSONSyntaxError(location: SourceLocation(line: 1, column: 1), message: "the file is empty")
        }
        // Aliases share nodes, so a few hundred bytes can stand for billions of values (a "YAML
        // bomb"): the tree may hold a bounded multiple of what the text itself writes.
        var budget = min(maximumValues, 100_000 + 10 * bytes)
        let limit = budget
        do {
            return try convert(node, budget: &budget)
        } catch {
            throw JSONSyntaxError(
                location: location(node),
                message:
                    "the YAML expands to more than \(limit) values (aliases of aliases?); contractwatch stops there")
        }
    }

    /// Bounds on a YAML document (with ContractFolder's file size): deeper nesting would exhaust
    /// the parser's stack, more values the memory.
    public static let maximumNesting = 256
    public static let maximumValues = 5_000_000

    struct ValueBudgetExceeded: Error {}

    /// Where the document nests deeper than `limit` `[`/`{` flow collections (outside quoted
    /// scalars and comments), or a line's indentation and `- ` indicators pass 2 × `limit`
    /// columns: libyaml and Yams recurse once per level, and a deep enough document crashes them.
    static func flowNestingBeyond(_ text: String, limit: Int) -> SourceLocation? {
        var depth = 0
        var line = 1
        var column = 0
        var quote: UInt8?
        var escaped = false
        var comment = false
        var previous: UInt8 = 0x0A
        // The last byte that was not a space: a quote opens a scalar only where one can start
        // (in `name: O'Brien [x` the apostrophe is text).
        var lastSignificant: UInt8 = 0x0A
        var inPrefix = true
        for byte in text.utf8 {
            column += 1
            defer {
                previous = byte
                if byte != 0x20 && byte != 0x09 { lastSignificant = byte }
            }
            if byte == 0x0A {
                line += 1
                column = 0
                comment = false
                inPrefix = true
                continue
            }
            // Block nesting: each level takes at least one column of indentation or a `- `, so
            // the column where a line's content starts bounds its depth.
            if inPrefix {
                if byte == 0x20 || byte == 0x09 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?") {
                    if column > 2 * limit { return SourceLocation(line: line, column: column) }
                } else {
                    inPrefix = false
                }
            }
            if comment { continue }
            if let open = quote {
                if escaped {
                    escaped = false
                } else if open == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == open {
                    quote = nil
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "#") where previous == 0x20 || previous == 0x09 || previous == 0x0A: comment = true
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                if lastSignificant == 0x0A || YAMLFastPath.opensScalar(after: lastSignificant) { quote = byte }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return SourceLocation(line: line, column: column) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    private static func location(_ node: Node) -> SourceLocation {
        node.mark.map { SourceLocation(line: $0.line, column: $0.column) } ?? SourceLocation(line: 1, column: 1)
    }

    private static func convert(_ node: Node, budget: inout Int) throws(ValueBudgetExceeded) -> PositionedJSON {
        budget -= 1
        if budget < 0 { throw ValueBudgetExceeded() }
        switch node {
        case .mapping(let mapping):
            var members: [Member] = []
            var merged: [Member] = []
            for (key, value) in mapping {
                // A merge key (`<<: *defaults`, or a list of them) adds the keys the mapping does
                // not write itself; of several merged mappings, the first one wins.
                if key.string == "<<", key.scalar?.style == .plain {
                    let sources: [Node] = if case .sequence(let list) = value { Array(list) } else { [value] }
                    for source in sources {
                        if case .object(let inner) = try convert(source, budget: &budget).value { merged += inner }
                    }
                    continue
                }
                members.append(
                    Member(
                        key: key.string ?? "\(key)", keyLocation: location(key),
                        value: try convert(value, budget: &budget)))
            }
            var keys = Set(members.map(\.key))
            members += merged.filter { keys.insert($0.key).inserted }
            return PositionedJSON(value: .object(members), location: location(node))
        case .sequence(let sequence):
            var items: [PositionedJSON] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try convert(item, budget: &budget)) }
            return PositionedJSON(value: .array(items), location: location(node))
        case .scalar(let scalar):
            let at = location(node)
            // Quoted scalars are always strings; plain ones are typed the YAML way.
            if scalar.style == .plain {
                if node.null != nil { return PositionedJSON(value: .null, location: at) }
                // Only the resolver's spellings (`true`, `True`, `TRUE`, `yes`, `on`…) are
                // booleans: Yams' conversion alone would also take `tRUE`, which it resolves as text.
                if let word = YAMLFastPath.Reader.resolvedWords[scalar.string] {
                    return PositionedJSON(value: word, location: at)
                }
                if let integer = node.int { return PositionedJSON(value: .number(String(integer)), location: at) }
                if let double = node.float, double.isFinite {
                    return PositionedJSON(value: .number(String(double)), location: at)
                }
            }
            return PositionedJSON(value: .string(scalar.string), location: at)
        case .alias:
            return PositionedJSON(value: .null, location: location(node))
        }
    }

    /// libyaml's own problem text at its own line and column, with its context ("while parsing a
    /// flow node at 7:7"); a duplicate key at the duplicate.
    static func syntaxError(_ error: YamlError, in text: String) -> JSONSyntaxError {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(line: mark.line, column: mark.column) }
        func message(_ problem: String, _ context: YamlError.Context?) -> String {
            var text = "invalid YAML: " + problem
            if let context { text += " (\(context.text) at \(context.mark.line):\(context.mark.column))" }
            return text
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return JSONSyntaxError(location: at(mark), message: message(problem, context))
        case .reader(let problem, let offset, _, _):
            let prefix = offset.map { Array(text.utf8.prefix($0)) } ?? []
            let line = prefix.filter { $0 == 0x0A }.count + 1
            let column = prefix.count - (prefix.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            return JSONSyntaxError(
                location: SourceLocation(line: line, column: column), message: "invalid YAML: " + problem)
        case .duplicatedKeysInMapping(let keys, let context):
            let first = at(context.mark)
            let key = keys.first ?? ""
            return JSONSyntaxError(
                location: duplicateKey(key, after: first, in: text) ?? first,
                message:
                    "duplicate key \"\(key)\" (first at \(first.line):\(first.column)); a key may appear once in "
                    + "a mapping"
            )
        default:
            return JSONSyntaxError(location: SourceLocation(line: 1, column: 1), message: "invalid YAML: \(error)")
        }
    }

    /// Where `key` is written again in the block mapping whose first `key` is at `first`: the
    /// next line that starts with it at the same column, before the mapping ends (a line indented
    /// less). Yams reports only the first occurrence.
    static func duplicateKey(_ key: String, after first: SourceLocation, in text: String) -> SourceLocation? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let indent = first.column - 1
        for number in first.line..<lines.count {
            let line = lines[number]
            let content = line.drop { $0 == " " }
            if content.isEmpty || content.hasPrefix("#") { continue }
            let leading = line.count - content.count
            if leading < indent { return nil }
            guard leading == indent else { continue }
            guard let colon = content.firstIndex(of: ":") else { continue }
            var written = content[..<colon]
            while written.last == " " { written.removeLast() }
            if written.count >= 2, let quote = written.first, quote == "\"" || quote == "'", written.last == quote {
                written = written.dropFirst().dropLast()
            }
            if written == key { return SourceLocation(line: number + 1, column: first.column) }
        }
        return nil
    }
}
