import CNCursesW
import Dashboard
import Foundation

/// The ncurses terminal: lifecycle, key decoding, drawing finished `Frame`s, colours.
///
/// ncurses is not thread-safe: one owner, the main actor, touches it. `end()` restores the
/// terminal and is safe to call more than once (quit, signals, errors all end up there).
@MainActor
public final class TerminalScreen {
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    private var ended = false
    private let isRealTerminal: Bool
    private var theme: Theme
    private var pairs: [PairKey: Int16] = [:]
    private let colors: Int
    private let output: FileHandle

    private struct PairKey: Hashable {
        var foreground: Int
        var background: Int
    }

    /// Takes over the terminal. `inputTimeoutMilliseconds` bounds how long `readKey` waits.
    /// `streams` replaces stdin/stdout (the smoke test draws to /dev/null).
    public init(
        theme: Theme, useColor: Bool, inputTimeoutMilliseconds: Int32 = 100,
        streams: (input: UnsafeMutablePointer<FILE>, output: UnsafeMutablePointer<FILE>)? = nil
    ) throws(StartError) {
        // Without a UTF-8 locale ncursesw draws non-ASCII characters blank (CI has no LANG).
        setlocale(LC_ALL, "")
        let codeset = String(cString: cw_codeset()).uppercased()
        if !codeset.contains("UTF-8") && !codeset.contains("UTF8") {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        if streams == nil, isatty(STDIN_FILENO) != 1 || isatty(STDOUT_FILENO) != 1 {
            throw StartError(
                description:
                    "the dashboard needs a terminal (stdin and stdout must be a TTY); use `contractwatch check` "
                    + "in scripts and CI"
            )
        }
        cw_unblock_terminal_signals()
        guard newterm(nil, streams?.output ?? cw_stdout(), streams?.input ?? cw_stdin()) != nil else {
            throw StartError(
                description:
                    "cannot use terminal type \"\(ProcessInfo.processInfo.environment["TERM"] ?? "")\"; set TERM "
                    + "(e.g. xterm-256color)"
            )
        }
        output = FileHandle.standardOutput
        isRealTerminal = streams == nil
        cbreak()
        noecho()
        nonl()
        keypad(cw_stdscr(), true)
        set_escdelay(25) // Esc is instant; no 1 s wait for an escape sequence
        curs_set(0)
        wtimeout(cw_stdscr(), inputTimeoutMilliseconds)
        var colorCount = 0
        if useColor && has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(cw_colors())
        }
        colors = colorCount
        self.theme = theme
    }

    /// How many colours the terminal offers (0: none; the caller then picks monochrome).
    public var colorCount: Int { colors }

    public var size: (width: Int, height: Int) {
        (Int(getmaxx(cw_stdscr())), Int(getmaxy(cw_stdscr())))
    }

    public func setTheme(_ theme: Theme) {
        self.theme = theme
        pairs = [:]
    }

    /// Applies a size change ncurses has not seen yet (no SIGWINCH, e.g. a blocked signal mask).
    /// Returns true when the size changed.
    @discardableResult
    public func syncSize() -> Bool {
        guard isRealTerminal else { return false }
        var rows: Int32 = 0
        var columns: Int32 = 0
        guard cw_window_size(STDOUT_FILENO, &rows, &columns) == 0, rows > 0, columns > 0 else { return false }
        let current = size
        guard Int(rows) != current.height || Int(columns) != current.width else { return false }
        resize_term(rows, columns)
        return true
    }

    /// The terminal went away (its window or tmux pane closed): time to exit.
    public var isHungUp: Bool {
        isRealTerminal && cw_hung_up(STDIN_FILENO) != 0
    }

    /// Restores the terminal. Idempotent.
    public func end() {
        guard !ended else { return }
        ended = true
        curs_set(1)
        endwin()
    }

    /// Waits up to the input timeout for a key; nil when none arrived.
    public func readKey() -> Key? {
        var character: wint_t = 0
        let kind = wget_wch(cw_stdscr(), &character)
        if kind == ERR { return nil }
        let code = Int32(character)
        if kind == KEY_CODE_YES {
            switch code {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_NPAGE: return .pageDown
            case KEY_PPAGE: return .pageUp
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_RESIZE: return .resize
            default: return nil
            }
        }
        switch code {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(code) + 96)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// Draws a finished frame. Every cell is written; ncurses sends only what changed.
    public func draw(_ frame: Frame) {
        let window = cw_stdscr()
        for y in 0..<frame.height {
            for run in frame.runs(y) {
                wattr_set(window, attributes(run.role), pair(run.role), nil)
                var wide = run.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                wide.append(0)
                mvwaddnwstr(window, Int32(y), Int32(run.x), wide, Int32(wide.count - 1))
            }
        }
        wattr_set(window, cw_A_NORMAL, 0, nil)
        wnoutrefresh(window)
        doupdate()
    }

    /// Puts `text` on the system clipboard through the terminal (OSC 52), after the frame.
    public func copyToClipboard(_ text: String) {
        let encoded = Data(text.utf8).base64EncodedString()
        output.write(Data("\u{1B}]52;c;\(encoded)\u{07}".utf8))
    }

    private func attributes(_ role: Role) -> attr_t {
        let style = theme.style(role)
        var value = cw_A_NORMAL
        if style.attributes.contains(.bold) { value |= cw_A_BOLD }
        if style.attributes.contains(.reverse) { value |= cw_A_REVERSE }
        if style.attributes.contains(.underline) { value |= cw_A_UNDERLINE }
        if style.attributes.contains(.dim) { value |= cw_A_DIM }
        return value
    }

    private func pair(_ role: Role) -> Int16 {
        guard colors > 0 else { return 0 }
        let style = theme.style(role)
        let key = PairKey(
            foreground: style.foreground.resolved(colors: colors), background: style.background.resolved(colors: colors)
        )
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let existing = pairs[key] { return existing }
        let number = Int16(pairs.count + 1)
        guard Int32(number) < cw_color_pairs() else { return 0 }
        init_pair(number, Int16(key.foreground), Int16(key.background))
        pairs[key] = number
        return number
    }
}
