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
    private let inputTimeoutMilliseconds: Int32
    /// The last frame handed to ncurses: its rows that come again unchanged are not handed over
    /// twice (an idle dashboard redraws for its clock and its polls; passing all 8,000 cells of a
    /// 160×50 screen each time was most of its idle CPU). nil after anything that repaints.
    private var shown: Frame?

    private struct PairKey: Hashable {
        var foreground: Int
        var background: Int
    }

    /// Takes over the terminal. `inputTimeoutMilliseconds` bounds how long `readKey` waits.
    /// `streams` replaces stdin/stdout (the smoke test draws to /dev/null).
    public init(
        theme: Theme, useColor: Bool, inputTimeoutMilliseconds: Int32 = 0, showCursor: Bool = false,
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
        cw_install_crash_handler()
        guard newterm(nil, streams?.output ?? cw_stdout(), streams?.input ?? cw_stdin()) != nil else {
            throw StartError(
                description:
                    "cannot use terminal type \"\(ProcessInfo.processInfo.environment["TERM"] ?? "")\"; set TERM "
                    + "(e.g. xterm-256color)"
            )
        }
        output = FileHandle.standardOutput
        self.inputTimeoutMilliseconds = inputTimeoutMilliseconds
        isRealTerminal = streams == nil
        cbreak()
        noecho()
        nonl()
        keypad(cw_stdscr(), true)
        set_escdelay(25) // Esc is instant; no 1 s wait for an escape sequence
        curs_set(showCursor ? 1 : 0)
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
        shown = nil
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
        shown = nil
        return true
    }

    /// Sleeps until the terminal has input, `wake` is readable, a signal arrives (a resize) or
    /// `milliseconds` pass. (Without a real terminal: just the time.)
    public func waitForInput(milliseconds: Int32, or wake: Int32) {
        guard isRealTerminal else {
            usleep(UInt32(max(0, milliseconds)) * 1000)
            return
        }
        var fds = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        _ = poll(&fds, nfds_t(fds.count), milliseconds)
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

    /// Reports mouse clicks, double-clicks and the wheel (on), or leaves the mouse to the
    /// terminal so text can be selected (off, the default).
    public func setMouse(_ on: Bool) {
        if on {
            let mask =
                cw_BUTTON1_CLICKED | cw_BUTTON1_DOUBLE_CLICKED | cw_BUTTON1_PRESSED | cw_BUTTON1_RELEASED
                | cw_BUTTON4_PRESSED | cw_BUTTON5_PRESSED
            mousemask(mask, nil)
            mouseinterval(250)
        } else {
            mousemask(0, nil)
        }
    }

    /// A new breaking violation: the bell, or a desktop notification through the terminal.
    public func notify(_ text: String, style: NotifyStyle) {
        let clean = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\u{7F}" && $0 != ";" })
        switch style {
        case .off: return
        case .bell: output.write(Data([0x07]))
        case .osc9: output.write(Data("\u{1B}]9;\(clean)\u{07}".utf8))
        case .osc777: output.write(Data("\u{1B}]777;notify;contractwatch;\(clean)\u{07}".utf8))
        }
    }

    /// Waits up to the input timeout for a key; nil when none arrived.
    public func readKey() -> Key? {
        var character: wint_t = 0
        let kind = wget_wch(cw_stdscr(), &character)
        if kind == ERR { return nil }
        let code = Int32(character)
        if kind == KEY_CODE_YES {
            switch code {
            case KEY_MOUSE: return mouseEvent()
            case KEY_BTAB: return .backTab
            case KEY_DC: return .delete
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
            case KEY_RESIZE:
                shown = nil
                return .resize
            default: return nil
            }
        }
        switch code {
        case 10, 13: return .enter
        case 27: return escapeSequence()
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(code) + 96)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
            return .character(Character(scalar))
        }
    }

    private func mouseEvent() -> Key? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let state = event.bstate
        let action: MouseEvent.Action
        if state & cw_BUTTON1_DOUBLE_CLICKED != 0 {
            action = .doubleClick
        } else if state & (cw_BUTTON1_CLICKED | cw_BUTTON1_PRESSED) != 0 {
            action = .click
        } else if state & cw_BUTTON4_PRESSED != 0 {
            action = .wheelUp
        } else if state & cw_BUTTON5_PRESSED != 0 {
            action = .wheelDown
        } else {
            return nil
        }
        return .mouse(MouseEvent(x: Int(event.x), y: Int(event.y), action: action))
    }

    /// Esc alone, or the start of a sequence terminfo did not describe (Home and End as tmux
    /// sends them under another TERM, Shift-Tab): read what follows at once.
    private func escapeSequence() -> Key {
        var bytes: [UInt32] = []
        wtimeout(cw_stdscr(), 0)
        defer { wtimeout(cw_stdscr(), inputTimeoutMilliseconds) }
        while bytes.count < 6 {
            var next: wint_t = 0
            let kind = wget_wch(cw_stdscr(), &next)
            if kind == ERR { break }
            // Esc then another key (typed fast, or sent together by tmux): the key stays a key.
            if kind == KEY_CODE_YES || (bytes.isEmpty && next != 0x5B && next != 0x4F) {
                if kind == KEY_CODE_YES { ungetch(Int32(next)) } else { unget_wch(wchar_t(next)) }
                break
            }
            bytes.append(UInt32(next))
            if let last = bytes.last, bytes.count >= 2, (0x40...0x7E).contains(last) && last != 0x5B { break }
        }
        let sequence = String(String.UnicodeScalarView(bytes.compactMap(Unicode.Scalar.init)))
        switch sequence {
        case "": return .escape
        case "[H", "OH", "[1~", "[7~": return .home
        case "[F", "OF", "[4~", "[8~": return .end
        case "[Z": return .backTab
        case "[3~": return .delete
        case "[5~": return .pageUp
        case "[6~": return .pageDown
        case "[A", "OA": return .up
        case "[B", "OB": return .down
        case "[C", "OC": return .right
        case "[D", "OD": return .left
        default: return .escape
        }
    }

    /// Draws a finished frame: the rows that differ from the last frame are written, and ncurses
    /// sends the terminal only what changed in them.
    public func draw(_ frame: Frame) {
        let window = cw_stdscr()
        let previous = shown.flatMap { $0.width == frame.width && $0.height == frame.height ? $0 : nil }
        shown = frame
        for y in 0..<frame.height {
            if let previous, previous.row(y) == frame.row(y) { continue }
            for run in frame.runs(y) {
                wattr_set(window, attributes(run.role), pair(run.role), nil)
                var wide = run.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                wide.append(0)
                mvwaddnwstr(window, Int32(y), Int32(run.x), wide, Int32(wide.count - 1))
            }
        }
        wattr_set(window, cw_A_NORMAL, 0, nil)
        // The cursor sits on the selected row (or in the line being typed): screen readers
        // and magnifiers follow it. It stays invisible unless `cursor: visible` is configured.
        if let cursor = frame.cursor { wmove(window, Int32(cursor.y), Int32(cursor.x)) }
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
