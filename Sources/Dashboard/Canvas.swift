import Catalog

/// Where the dashboard draws: a grid of cells, each with a character and a theme role.
/// `Frame` is the in-memory implementation (tests snapshot it as text); the terminal draws a
/// finished `Frame` to ncurses.
public protocol Canvas {
    var width: Int { get }
    var height: Int { get }
    /// Draws `text` from column `x` on row `y`, clipped at `limit` columns (default: the edge).
    /// Returns the column after the last one drawn.
    @discardableResult
    mutating func put(_ text: String, x: Int, y: Int, role: Role, limit: Int?) -> Int
    /// Fills `width` columns from `x` on row `y` with spaces in `role`.
    mutating func fill(x: Int, y: Int, width: Int, role: Role)
    /// Gives `width` cells from `x` on row `y` another role, keeping their characters.
    mutating func restyle(x: Int, y: Int, width: Int, role: Role)
    /// The characters of row `y` (wide characters once), as drawn.
    func line(_ y: Int) -> String
    /// Where the terminal's cursor goes (the selected row): screen readers follow it.
    mutating func placeCursor(x: Int, y: Int)
}

extension Canvas {
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role) -> Int {
        put(text, x: x, y: y, role: role, limit: nil)
    }
}

public struct Cell: Sendable, Hashable {
    public var character: Character
    public var role: Role
    /// The right half of a wide character drawn in the cell before.
    public var isContinuation: Bool

    public static let blank = Cell(character: " ", role: .background, isContinuation: false)
}

public struct Frame: Canvas, Sendable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// The cell the terminal cursor is put on (nil: the top left corner).
    public private(set) var cursor: Cursor?

    public struct Cursor: Sendable, Hashable {
        public var x: Int
        public var y: Int
    }

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The cells of line `y`, left to right.
    public func row(_ y: Int) -> ArraySlice<Cell> { cells[y * width..<(y + 1) * width] }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(width, limit.map { x + $0 } ?? width)
        var column = x
        // Control characters in names are shown escaped (`\x1B`), as `check` prints them:
        // never sent to the terminal, never silently dropped.
        let shown = ControlCharacters.escaped(text)
        for character in shown {
            let w = character == "\t" || character.isNewline ? 1 : TextWidth.of(character)
            if w == 0 { continue }
            let visible: Character = (character == "\t" || character.isNewline) ? " " : character
            if column + w > end { break }
            if column >= 0 {
                cells[y * width + column] = Cell(character: visible, role: role, isContinuation: false)
                if w == 2 { cells[y * width + column + 1] = Cell(character: " ", role: role, isContinuation: true) }
            }
            column += w
        }
        return column
    }

    public mutating func fill(x: Int, y: Int, width count: Int, role: Role) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + count) {
            cells[y * width + column] = Cell(character: " ", role: role, isContinuation: false)
        }
    }

    public mutating func restyle(x: Int, y: Int, width count: Int, role: Role) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + count) {
            cells[y * width + column].role = role
        }
    }

    public mutating func placeCursor(x: Int, y: Int) {
        cursor = Cursor(x: x, y: y)
    }

    /// The characters of row `y` (wide characters once).
    public func line(_ y: Int) -> String {
        var text = ""
        for x in 0..<width where !self[x, y].isContinuation {
            text.append(self[x, y].character)
        }
        return text
    }

    /// The whole frame as text, trailing spaces trimmed: what a snapshot test compares.
    public var text: String {
        (0..<height).map { y in
            var line = line(y)
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// Runs of cells sharing a role on row `y`, for drawing with few attribute changes.
    public func runs(_ y: Int) -> [(x: Int, text: String, role: Role)] {
        var runs: [(x: Int, text: String, role: Role)] = []
        var x = 0
        while x < width {
            let role = self[x, y].role
            var text = ""
            let start = x
            while x < width, self[x, y].role == role {
                if !self[x, y].isContinuation { text.append(self[x, y].character) }
                x += 1
            }
            runs.append((start, text, role))
        }
        return runs
    }
}
