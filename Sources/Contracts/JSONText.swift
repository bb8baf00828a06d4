/// A JSON value with ordered object keys, so reports read top-down in a stable order.
public indirect enum JSONText: Sendable, Hashable {
    case object([(String, JSONText)])
    case array([JSONText])
    case string(String)
    case int(Int)
    case bool(Bool)
    case null

    public static func == (lhs: JSONText, rhs: JSONText) -> Bool { lhs.rendered() == rhs.rendered() }
    public func hash(into hasher: inout Hasher) { hasher.combine(rendered()) }

    public static func optional(_ text: String?) -> JSONText { text.map(JSONText.string) ?? .null }

    /// Pretty-printed with two-space indentation.
    public func rendered(indent: String = "") -> String {
        var out = ""
        write(into: &out, indent: indent)
        return out
    }

    /// Appends to one buffer: a large report (10,000 findings) is built without a string per
    /// nested value.
    private func write(into out: inout String, indent: String) {
        switch self {
        case .object(let members):
            if members.isEmpty {
                out += "{}"
                return
            }
            let inner = indent + "  "
            out += "{\n"
            for (index, member) in members.enumerated() {
                if index > 0 { out += ",\n" }
                out += inner
                Self.quote(member.0, into: &out)
                out += ": "
                member.1.write(into: &out, indent: inner)
            }
            out += "\n" + indent + "}"
        case .array(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            let inner = indent + "  "
            out += "[\n"
            for (index, item) in items.enumerated() {
                if index > 0 { out += ",\n" }
                out += inner
                item.write(into: &out, indent: inner)
            }
            out += "\n" + indent + "]"
        case .string(let text): Self.quote(text, into: &out)
        case .int(let value): out += String(value)
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        }
    }

    public static func quote(_ text: String, into out: inout String) {
        out += "\""
        // Most strings need no escape: append them whole. (0x7F is DEL; 0xC2 leads U+0080…U+00BF,
        // among them the C1 controls, which are escaped too: no terminal sees them raw.)
        if !text.utf8.contains(where: {
            $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\")
        }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
