/// The background checker's schedule as a small state machine: events in, actions out.
/// No clocks, queues or I/O here, so every transition is tested directly.
///
///     idle ──tick/pollNow──► polling ──succeeded──► idle (the next poll `interval` after this
///                              │                          one started: a poll every interval)
///                              │
///                              ├──failed──► failed(attempt n) (schedule retry in backoff(n))
///                              │               └──tick/pollNow──► polling
///                              └──blocked──► blocked (retry in `blockedRetry`, no backoff: the
///                                               server is fine, a lock is in the way)
public struct PollLoop: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case idle
        case polling
        /// The last poll failed; `attempt` counts consecutive failures.
        case failed(attempt: Int, retryIn: Double, reason: String)
        /// The last poll waited out `lock_timeout` behind another session's lock (`reason` says
        /// whose); retried soon, so the poll after the lock is released comes within a second.
        case blocked(reason: String)
    }

    public enum Event: Sendable, Equatable {
        /// The timer fired.
        case tick
        /// The user asked for a poll now (`R`).
        case pollNow
        /// The poll is done; it took `seconds` (the next one starts `interval` after it began).
        case succeeded(seconds: Double)
        case failed(reason: String)
        /// The poll gave up waiting for a lock another session holds.
        case blocked(reason: String)
        case pause
        case resume
        case setInterval(Double)
    }

    public enum Action: Sendable, Equatable {
        /// Take a snapshot and check it (on the checker's queue).
        case poll
        /// Arm the timer to fire once after this many seconds.
        case schedule(after: Double)
    }

    public private(set) var phase: Phase = .idle
    public private(set) var interval: Double
    public private(set) var paused = false
    /// Failures since the last success (survives the `polling` phase of a retry).
    public private(set) var consecutiveFailures = 0

    public static let minimumInterval = 0.25
    public static let maximumInterval = 3600.0
    /// Retries back off 1, 2, 4, 8, 16, then 30 s (never longer than that, so recovery is noticed).
    public static let maximumBackoff = 30.0
    /// The least time between the end of a poll and the start of the next, as a share of the
    /// interval: a poll that took longer than the interval (a full read of a large catalog) is
    /// followed soon, not at once, so a slow server is not polled back to back.
    public static let minimumGapShare = 0.1

    /// When the next poll starts after one that took `pollSeconds`: `interval` after it began.
    public static func nextPoll(interval: Double, pollSeconds: Double) -> Double {
        max(interval - max(pollSeconds, 0), interval * minimumGapShare)
    }

    /// How soon a poll blocked by a lock is tried again (each try itself waits `lock_timeout`).
    public static let blockedRetry = 1.0

    public init(interval: Double) {
        self.interval = Self.clamp(interval)
    }

    public static func clamp(_ interval: Double) -> Double {
        min(max(interval, minimumInterval), maximumInterval)
    }

    public static func backoff(attempt: Int) -> Double {
        min(Double(1 << min(max(attempt - 1, 0), 10)), maximumBackoff)
    }

    public mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .tick:
            if paused || phase == .polling { return [] }
            phase = .polling
            return [.poll]
        case .pollNow:
            if phase == .polling { return [] }
            phase = .polling
            return [.poll]
        case .succeeded(let seconds):
            consecutiveFailures = 0
            phase = .idle
            return paused ? [] : [.schedule(after: Self.nextPoll(interval: interval, pollSeconds: seconds))]
        case .failed(let reason):
            consecutiveFailures += 1
            let attempt = consecutiveFailures
            let delay = Self.backoff(attempt: attempt)
            phase = .failed(attempt: attempt, retryIn: delay, reason: reason)
            // Retries continue while paused: a paused dashboard still shows whether the server is back.
            return [.schedule(after: delay)]
        case .blocked(let reason):
            // Not a failure of the server: no backoff, and the failure count stays.
            phase = .blocked(reason: reason)
            return [.schedule(after: Self.blockedRetry)]
        case .pause:
            paused = true
            return []
        case .resume:
            guard paused else { return [] }
            paused = false
            if phase == .polling { return [] }
            phase = .polling
            return [.poll]
        case .setInterval(let seconds):
            interval = Self.clamp(seconds)
            return phase == .idle && !paused ? [.schedule(after: interval)] : []
        }
    }
}
