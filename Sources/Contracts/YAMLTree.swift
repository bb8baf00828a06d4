import Foundation
import Yams

extension PositionedJSON {
    /// Parses YAML into the same positioned tree as JSON, so both contract formats share one
    /// field reader and every problem points at a line and column.
    public static func parseYAML(_ text: String) throws(JSONSyntaxError) -> PositionedJSON {
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
        return convert(node)
    }

    private static func location(_ node: Node) -> SourceLocation {
        node.mark.map { SourceLocation(line: $0.line, column: $0.column) } ?? SourceLocation(line: 1, column: 1)
    }

    private static func convert(_ node: Node) -> PositionedJSON {
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
                        if case .object(let inner) = convert(source).value { merged += inner }
                    }
                    continue
                }
                members.append(Member(key: key.string ?? "\(key)", keyLocation: location(key), value: convert(value)))
            }
            var keys = Set(members.map(\.key))
            members += merged.filter { keys.insert($0.key).inserted }
            return PositionedJSON(value: .object(members), location: location(node))
        case .sequence(let sequence):
            return PositionedJSON(value: .array(sequence.map(convert)), location: location(node))
        case .scalar(let scalar):
            let at = location(node)
            // Quoted scalars are always strings; plain ones are typed the YAML way.
            if scalar.style == .plain {
                if node.null != nil { return PositionedJSON(value: .null, location: at) }
                if let flag = node.bool { return PositionedJSON(value: .bool(flag), location: at) }
                if let integer = node.int { return PositionedJSON(value: .number(String(integer)), location: at) }
                if let double = node.float, double.isFinite { return PositionedJSON(value: .number(String(double)), location: at) }
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
            return JSONSyntaxError(location: SourceLocation(line: line, column: column), message: "invalid YAML: " + problem)
        case .duplicatedKeysInMapping(let keys, let context):
            let first = at(context.mark)
            let key = keys.first ?? ""
            return JSONSyntaxError(location: duplicateKey(key, after: first, in: text) ?? first,
                                   message: "duplicate key \"\(key)\" (first at \(first.line):\(first.column)); a key may appear once in a mapping")
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
