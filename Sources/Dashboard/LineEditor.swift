/// The one line editor of the dashboard: the filter, the `:` command line, the detail search,
/// the preview and export prompts. Readline's common keys: ←/→, Home/End (^A/^E), Backspace,
/// Delete, ^U (to the start), ^K (to the end), ^W (the word before).
public struct LineEditor: Sendable, Hashable {
    public private(set) var text: String
    /// In characters from the start.
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        self.text = text
        cursor = text.count
    }

    public enum Outcome: Sendable, Hashable {
        case edited
        case submitted
        case cancelled
        /// A key the editor does not use (Tab, ↑/↓…): the owner decides.
        case unhandled
    }

    public mutating func handle(_ key: Key) -> Outcome {
        var characters = Array(text)
        switch key {
        case .enter: return .submitted
        case .escape: return .cancelled
        case .character(let character):
            characters.insert(character, at: cursor)
            cursor += 1
        case .backspace:
            guard cursor > 0 else { return .edited }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .control("d"):
            guard cursor < characters.count else { return .edited }
            characters.remove(at: cursor)
        case .left, .control("b"): cursor = max(0, cursor - 1)
        case .right, .control("f"): cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .control("u"):
            characters.removeFirst(cursor)
            cursor = 0
        case .control("k"):
            characters.removeLast(characters.count - cursor)
        case .control("w"):
            var start = cursor
            while start > 0 && characters[start - 1] == " " { start -= 1 }
            while start > 0 && characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        default:
            return .unhandled
        }
        text = String(characters)
        return .edited
    }

    /// Replaces the text (completion), cursor at the end.
    public mutating func set(_ newText: String) {
        text = newText
        cursor = newText.count
    }
}
