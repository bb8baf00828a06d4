#if canImport(Glibc)
    import Glibc
#endif

/// Tells whether anything in a folder changed since the last look, without touching every file.
///
/// On Linux it is an inotify watch on the folder (writes, creations, deletions, renames): asking
/// costs one non-blocking read. Elsewhere, or if inotify is unavailable, `hasChanges` is always
/// true and the caller falls back to `ContractFolder.signature`. Not thread-safe: owned by one
/// queue (the checker's).
public final class FolderWatch {
    private let fd: Int32

    public init(_ path: String) {
        #if os(Linux)
            let created = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            if created >= 0 {
                let mask = UInt32(
                    IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO
                        | IN_DELETE_SELF | IN_MOVE_SELF)
                if inotify_add_watch(created, path, mask) < 0 {
                    close(created)
                    fd = -1
                } else {
                    fd = created
                }
            } else {
                fd = -1
            }
        #else
            fd = -1
        #endif
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// The inotify descriptor (-1 without one): readable when something changed, for a
    /// dispatch read source that wakes only then.
    public var descriptor: Int32 { fd }

    /// Whether the watch works (otherwise every `hasChanges` is true).
    public var isActive: Bool { fd >= 0 }

    /// True when something changed since the previous call (and on the first call).
    public func hasChanges() -> Bool {
        guard fd >= 0 else { return true }
        var changed = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            changed = true
        }
        defer { primed = true }
        return changed || !primed
    }

    private var primed = false
}
