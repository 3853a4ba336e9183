import CSQLite3

/// The one error type of the wrapper: SQLite's result code and message.
public struct SQLiteError: Error, Equatable, CustomStringConvertible {
    /// The primary result code (SQLITE_BUSY, SQLITE_NOTADB, …).
    public let code: Int32
    public let message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }
    public var isNotADatabase: Bool { code == SQLITE_NOTADB }
    public var isCorrupt: Bool { code == SQLITE_CORRUPT }
    public var isFull: Bool { code == SQLITE_FULL }
    public var isReadOnly: Bool { code == SQLITE_READONLY }
    public var cannotOpen: Bool { code == SQLITE_CANTOPEN }
}

/// The error funnel: every SQLite call's result goes through here.
@inline(__always)
func check(_ rc: Int32, _ db: OpaquePointer?, _ context: @autoclosure () -> String = "") throws {
    if rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE { return }
    let text = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
    let ctx = context()
    throw SQLiteError(code: rc & 0xFF, message: ctx.isEmpty ? text : "\(ctx): \(text)")
}
