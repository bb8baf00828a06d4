import Dashboard
import Dispatch
import Foundation
import Synchronization
import WatchModel

/// Set by SIGINT, SIGTERM or SIGHUP; the UI loop checks it and leaves normally, so the terminal
/// is restored and a demo cluster removed whatever ended the program.
public final class StopSignal: Sendable {
    private let raised = Atomic<Bool>(false)
    private let sources = Mutex<[DispatchSourceSignal]>([])
    private let wake = Mutex<(@Sendable () -> Void)?>(nil)

    public var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Called when a signal arrives (the UI loop sleeps until input, a new status or this).
    public func onRaise(_ action: @escaping @Sendable () -> Void) { wake.withLock { $0 = action } }

    public static func install() -> StopSignal {
        let stop = StopSignal()
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            stop.sources.withLock { list in
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [stop] in
                    stop.raised.store(true, ordering: .relaxed)
                    stop.wake.withLock { $0 }?()
                }
                source.resume()
                list.append(source)
            }
        }
        return stop
    }
}

/// A pipe another thread writes a byte to, so the UI loop's `poll` returns: the way the
/// checker and the signal handlers wake it without a timer.
final class WakePipe: Sendable {
    let readEnd: Int32
    private let writeEnd: Int32

    init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        } else {
            fds = [-1, -1]
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    /// Wakes the loop; a full pipe already means "wake up", so a failed write is fine.
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }
}

@MainActor
public enum UILoop {
    /// `e` / `:export`: writes the view where the user said; a failure is said on screen.
    static func export(_ text: String, to path: String, model: inout DashboardModel) {
        let expanded = (path as NSString).expandingTildeInPath
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: expanded), options: .withoutOverwriting)
        } catch {
            model.setFlash("could not export to \(path): \(error.localizedDescription)", isError: true, now: Date())
        }
    }

    /// Sleeps until a key, a new status, a signal or the next second (the poll's age on screen
    /// counts seconds); then handles every key waiting, applies their effects, takes the newest
    /// status and redraws what changed. No fixed wake-up: an idle dashboard wakes once a second.
    public static func run(
        screen: TerminalScreen, watcher: some CheckerControl, model: inout DashboardModel, stop: StopSignal
    ) {
        let wake = WakePipe()
        watcher.onPublish { wake.signal() }
        stop.onRaise { wake.signal() }
        var lastGeneration = -1
        var lastDraw = Date.distantPast
        var dirty = true
        var pendingCopy: String?
        while !stop.isRaised {
            while let key = screen.readKey() {
                dirty = true
                if key == .resize { continue }
                for effect in model.handle(key) {
                    switch effect {
                    case .quit: return
                    case .pollNow: watcher.pollNow()
                    case .setPaused(let paused): watcher.setPaused(paused)
                    case .setInterval(let seconds): watcher.setInterval(seconds)
                    case .copy(let text): pendingCopy = text
                    case .preview(let path): watcher.preview(file: path)
                    case .clearPreview: watcher.clearPreview()
                    case .export(let path, let text): export(text, to: path, model: &model)
                    case .setMouse(let on): screen.setMouse(on)
                    case .notify(let text): screen.notify(text, style: model.notifyStyle)
                    }
                }
            }
            if screen.syncSize() { dirty = true }
            if screen.isHungUp { return }
            let status = watcher.latest
            if status.generation != lastGeneration {
                for case .notify(let text) in model.update(status) { screen.notify(text, style: model.notifyStyle) }
                lastGeneration = status.generation
                dirty = true
            }
            let now = Date()
            if dirty || now.timeIntervalSince(lastDraw) >= 1 {
                let size = screen.size
                var frame = Frame(width: size.width, height: size.height)
                Renderer.draw(&model, on: &frame, now: now)
                screen.draw(frame)
                if let text = pendingCopy {
                    screen.copyToClipboard(text)
                    pendingCopy = nil
                }
                lastDraw = now
                dirty = false
            }
            let untilTick = max(1, Int32((1 - Date().timeIntervalSince(lastDraw)) * 1000))
            screen.waitForInput(milliseconds: untilTick, or: wake.readEnd)
            wake.drain()
        }
    }
}
