/// What the screen asks of the background checker, and how it reads what the checker publishes:
/// the UI loop needs no more, so it depends on this, not on the driver (and its database library).
public protocol CheckerControl: Sendable {
    /// The newest published status (an immutable snapshot).
    var latest: WatchStatus { get }
    /// Poll at once, reading the whole catalog.
    func pollNow()
    func setPaused(_ paused: Bool)
    func setInterval(_ seconds: Double)
    /// Preview a migration file (rolled back) and publish what it would change.
    func preview(file path: String)
    func clearPreview()
    /// Calls `wake` (from any thread) after each publication, so the UI can sleep until there is
    /// something new instead of waking on a timer.
    func onPublish(_ wake: @escaping @Sendable () -> Void)
}
