import Testing
import Watch
import WatchModel

struct PollLoopTests {
    @Test func pollsThenSchedulesAtTheInterval() {
        var loop = PollLoop(interval: 2)
        #expect(loop.handle(.tick) == [.poll])
        #expect(loop.phase == .polling)
        #expect(loop.handle(.tick) == [], "no overlapping polls")
        #expect(loop.handle(.pollNow) == [], "no overlapping polls")
        #expect(loop.handle(.succeeded(seconds: 0)) == [.schedule(after: 2)])
        #expect(loop.phase == .idle)
    }

    /// `--interval` is a cadence: the next poll starts an interval after the last one began, so a
    /// 200 ms poll at `--interval 1` is followed 0.8 s after it ends; a poll longer than the
    /// interval is followed after a tenth of it.
    @Test func theIntervalCountsFromTheStartOfAPoll() {
        var loop = PollLoop(interval: 1)
        _ = loop.handle(.tick)
        #expect(loop.handle(.succeeded(seconds: 0.2)) == [.schedule(after: 0.8)])
        _ = loop.handle(.tick)
        #expect(loop.handle(.succeeded(seconds: 3)) == [.schedule(after: 0.1)])
        _ = loop.handle(.tick)
        #expect(loop.handle(.succeeded(seconds: -1)) == [.schedule(after: 1)], "a clock step back is no poll time")
    }

    @Test func failuresBackOffAndRecover() {
        var loop = PollLoop(interval: 2)
        _ = loop.handle(.tick)
        var delays: [Double] = []
        for _ in 0..<7 {
            guard case .schedule(let after)? = loop.handle(.failed(reason: "connection refused")).first else {
                Issue.record("no retry scheduled")
                return
            }
            delays.append(after)
            #expect(loop.handle(.tick) == [.poll])
        }
        #expect(delays == [1, 2, 4, 8, 16, 30, 30])
        #expect(loop.handle(.succeeded(seconds: 0)) == [.schedule(after: 2)])
        #expect(loop.phase == .idle)
        _ = loop.handle(.tick)
        #expect(loop.handle(.failed(reason: "x")) == [.schedule(after: 1)], "a new outage starts over at 1 s")
        #expect(loop.phase == .failed(attempt: 1, retryIn: 1, reason: "x"))
    }

    @Test func pauseStopsTicksButNotPollNowOrRetries() {
        var loop = PollLoop(interval: 2)
        _ = loop.handle(.pause)
        #expect(loop.handle(.tick) == [])
        #expect(loop.handle(.pollNow) == [.poll])
        #expect(loop.handle(.succeeded(seconds: 0)) == [], "paused: nothing scheduled")
        #expect(loop.handle(.pollNow) == [.poll])
        #expect(loop.handle(.failed(reason: "down")) == [.schedule(after: 1)])
        #expect(loop.handle(.resume) == [.poll], "resuming polls at once")
        #expect(loop.handle(.resume) == [])
    }

    @Test func intervalIsClampedAndRescheduled() {
        var loop = PollLoop(interval: 0)
        #expect(loop.interval == PollLoop.minimumInterval)
        #expect(loop.handle(.setInterval(5)) == [.schedule(after: 5)])
        _ = loop.handle(.tick)
        #expect(loop.handle(.setInterval(1e9)) == [], "while polling the next schedule comes from .succeeded")
        #expect(loop.interval == PollLoop.maximumInterval)
    }

    @Test func aPollBlockedByALockRetriesSoonWithoutBackingOff() {
        var loop = PollLoop(interval: 2)
        #expect(loop.handle(.tick) == [.poll])
        #expect(loop.handle(.failed(reason: "down")) == [.schedule(after: 1)])
        #expect(loop.handle(.tick) == [.poll])
        #expect(
            loop.handle(.blocked(reason: "pid 7 holding AccessExclusiveLock")) == [
                .schedule(after: PollLoop.blockedRetry)
            ])
        #expect(loop.phase == .blocked(reason: "pid 7 holding AccessExclusiveLock"))
        #expect(loop.consecutiveFailures == 1, "a lock is not a server failure")
        #expect(loop.handle(.tick) == [.poll])
        #expect(loop.handle(.blocked(reason: "still")) == [.schedule(after: PollLoop.blockedRetry)], "no backoff")
        #expect(loop.handle(.tick) == [.poll])
        #expect(loop.handle(.succeeded(seconds: 0)) == [.schedule(after: 2)])
        #expect(loop.consecutiveFailures == 0)
    }
}
