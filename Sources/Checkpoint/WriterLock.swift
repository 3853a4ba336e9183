import Foundation

/// An exclusive advisory lock (flock) on the checkpoint file, held while a process writes to it.
/// The kernel releases it when the process ends in any way, kill -9 included, so a crashed run
/// never leaves the file locked. SQLite's own locks are POSIX record locks, which flock does
/// not interfere with on Linux.
final class WriterLock {
    private let fd: Int32

    /// Takes the lock or returns nil at once when another process holds it.
    init?(path: String) throws {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw CheckpointError.cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            return nil
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
