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
    private let descriptor: Int32

    public init(_ path: String) {
        #if os(Linux)
            let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            if fd >= 0 {
                let mask = UInt32(
                    IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO
                        | IN_DELETE_SELF | IN_MOVE_SELF)
                if inotify_add_watch(fd, path, mask) < 0 {
                    close(fd)
                    descriptor = -1
                } else {
                    descriptor = fd
                }
            } else {
                descriptor = -1
            }
        #else
            descriptor = -1
        #endif
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Whether the watch works (otherwise every `hasChanges` is true).
    public var isActive: Bool { descriptor >= 0 }

    /// True when something changed since the previous call (and on the first call).
    public func hasChanges() -> Bool {
        guard descriptor >= 0 else { return true }
        var changed = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            changed = true
        }
        defer { primed = true }
        return changed || !primed
    }

    private var primed = false
}
