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

    public var isRaised: Bool { raised.load(ordering: .relaxed) }

    public static func install() -> StopSignal {
        let stop = StopSignal()
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            stop.sources.withLock { list in
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [stop] in stop.raised.store(true, ordering: .relaxed) }
                source.resume()
                list.append(source)
            }
        }
        return stop
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

    /// Reads keys (each wait is at most the input timeout), applies effects, takes the newest
    /// status, and redraws when something changed or a second passed (poll age).
    public static func run(
        screen: TerminalScreen, watcher: some CheckerControl, model: inout DashboardModel, stop: StopSignal
    ) {
        var lastGeneration = -1
        var lastDraw = Date.distantPast
        var dirty = true
        var pendingCopy: String?
        while !stop.isRaised {
            if let key = screen.readKey() {
                dirty = true
                if key != .resize {
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
        }
    }
}
