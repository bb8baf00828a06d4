/// Terminal display width of text: 2 for East Asian wide and fullwidth characters and most
/// emoji, 0 for combining marks and zero-width characters, 1 otherwise. Pure Swift so layout is
/// testable without a terminal; matches glibc's `wcwidth` for the ranges that matter here.
public enum TextWidth {
    public static func of(_ character: Character) -> Int {
        var width = 0
        for (index, scalar) in character.unicodeScalars.enumerated() {
            let w = of(scalar)
            // The first scalar decides; an emoji presentation selector widens a narrow base.
            if index == 0 { width = w } else if scalar.value == 0xFE0F { width = 2 }
        }
        return width
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        // Control characters are drawn escaped (`\x1B`, four cells; see `Frame.put`).
        if v == 0x09 || v == 0x0A { return 1 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 4 }
        if v < 0x300 { return 1 }
        // Zero width: combining marks, joiners, variation selectors.
        if (0x0300...0x036F).contains(v) || (0x1AB0...0x1AFF).contains(v) || (0x1DC0...0x1DFF).contains(v)
            || (0x20D0...0x20FF).contains(v) || (0xFE20...0xFE2F).contains(v) || (0x200B...0x200F).contains(v)
            || v == 0x2060 || (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v)
        {
            return 0
        }
        if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark {
            return 0
        }
        // Wide: Hangul Jamo, CJK, Hangul syllables, fullwidth forms, emoji blocks.
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xA960...0xA97F).contains(v) || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v) || (0x1F680...0x1F6FF).contains(v)
            || (0x20000...0x2FFFD).contains(v) || (0x30000...0x3FFFD).contains(v) || v == 0x2705 || v == 0x274C
            || (0x1FA70...0x1FAFF).contains(v) || (0x1F1E6...0x1F1FF).contains(v) || v == 0x2B50
        {
            return 2
        }
        return 1
    }

    public static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// Cuts `text` to at most `width` columns, an ellipsis where something was cut: at the end,
    /// at the start (`…images.additional_images` keeps the column name) or in the middle.
    public static func truncate(_ text: String, to width: Int, cut: ColumnSpec.Cut = .end) -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        if width == 1 { return "…" }
        func take(_ characters: some Sequence<Character>, _ room: Int) -> [Character] {
            var out: [Character] = []
            var used = 0
            for character in characters {
                let w = of(character)
                if used + w > room { break }
                out.append(character)
                used += w
            }
            return out
        }
        switch cut {
        case .end:
            return String(take(text, width - 1)) + "…"
        case .start:
            return "…" + String(take(text.reversed(), width - 1).reversed())
        case .middle:
            let head = (width - 1) / 2
            let tail = take(text.reversed(), width - 1 - head).reversed()
            return String(take(text, head)) + "…" + String(tail)
        }
    }

    /// `text` truncated or padded with spaces to exactly `width` columns.
    public static func fit(_ text: String, to width: Int, alignRight: Bool = false, cut: ColumnSpec.Cut = .end)
        -> String
    {
        let cut = truncate(text, to: width, cut: cut)
        let padding = String(repeating: " ", count: max(0, width - of(cut)))
        return alignRight ? padding + cut : cut + padding
    }
}
