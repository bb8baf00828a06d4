/// Names are data, and data can carry terminal escape sequences: a table named
/// `"\u{1B}]52;c;…\u{07}"` would write the reader's clipboard when `check` prints it. Everything
/// printed for people goes through `escaped`, so control characters arrive as visible text.
public enum ControlCharacters {
    /// `text` with every C0 control except newline and tab, DEL and every C1 control written as
    /// `\x1B`-style text (carriage return too: it could overwrite a line).
    public static func escaped(_ text: String) -> String {
        // Most output has none: one pass over the bytes to check, no copy. (0x7F is DEL; 0xC2
        // leads U+0080…U+00BF, the C1 controls among them.)
        guard text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F || $0 == 0xC2 }),
            text.unicodeScalars.contains(where: isControl)
        else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x0A && value != 0x09) || (0x7F...0x9F).contains(value)
    }
}
