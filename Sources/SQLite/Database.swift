import CSQLite3

/// A connection to one SQLite database file. Closed when released.
public final class Database {
    public let path: String
    let handle: OpaquePointer

    public enum Mode {
        /// Read-only; the file must exist.
        case readOnly
        /// Read-write; the file must exist.
        case readWrite
        /// Read-write, created when missing.
        case create
    }

    public init(path: String, mode: Mode) throws {
        self.path = path
        var db: OpaquePointer?
        var flags = SQLITE_OPEN_NOMUTEX                        // one connection per thread
        switch mode {
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc & 0xFF, message: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 0)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws {
        try check(sqlite3_exec(handle, sql, nil, nil, nil), handle)
    }

    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// `.immediate` takes the write lock at BEGIN (in WAL mode a deferred transaction that later
    /// writes can fail with SQLITE_BUSY without waiting for the busy timeout).
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public enum TransactionKind: String { case deferred = "DEFERRED", immediate = "IMMEDIATE", exclusive = "EXCLUSIVE" }

    /// The first column of the first row of a query (nil when there is no row).
    public func scalarInt(_ sql: String) throws -> Int? {
        let s = try prepare(sql)
        return try s.step() ? s.int(0) : nil
    }

    public func scalarText(_ sql: String) throws -> String? {
        let s = try prepare(sql)
        return try s.step() ? s.text(0) : nil
    }

    /// PRAGMA user_version: the schema version of the file.
    public var userVersion: Int {
        get throws { try scalarInt("PRAGMA user_version") ?? 0 }
    }

    public func setUserVersion(_ v: Int) throws { try execute("PRAGMA user_version = \(v)") }

    /// Milliseconds a statement waits for another connection's lock before SQLITE_BUSY.
    public func setBusyTimeout(milliseconds: Int32) throws {
        try check(sqlite3_busy_timeout(handle, milliseconds), handle)
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
}
