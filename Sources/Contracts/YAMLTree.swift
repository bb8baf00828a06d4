import Foundation
import Yams

extension PositionedJSON {
    /// Parses YAML into the same positioned tree as JSON, so both contract formats share one
    /// field reader and every problem points at a line and column.
    public static func parseYAML(_ text: String) throws(JSONSyntaxError) -> PositionedJSON {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw Self.syntaxError(from: "\(error)")
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

    /// Yams reports `LINE:COLUMN: error: …`; keep the location and a one-line message.
    static func syntaxError(from description: String) -> JSONSyntaxError {
        let parts = description.split(separator: ":", maxSplits: 2)
        if parts.count == 3, let line = Int(parts[0]), let column = Int(parts[1]) {
            let message = parts[2].split(separator: "\n").first.map { String($0) } ?? "invalid YAML"
            let cleaned = message.replacingOccurrences(of: " error: ", with: "").trimmingCharacters(in: .whitespaces)
            return JSONSyntaxError(location: SourceLocation(line: line, column: column), message: "invalid YAML: " + cleaned)
        }
        return JSONSyntaxError(location: SourceLocation(line: 1, column: 1), message: "invalid YAML: " + (description.split(separator: "\n").first.map(String.init) ?? description))
    }
}
