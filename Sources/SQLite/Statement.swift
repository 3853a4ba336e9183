import CSQLite3

private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement, finalized when released. Bind parameters are 1-based, columns 0-based.
public final class Statement {
    let handle: OpaquePointer
    let db: OpaquePointer

    init(database: Database, sql: String) throws {
        var stmt: OpaquePointer?
        try check(sqlite3_prepare_v2(database.handle, sql, -1, &stmt, nil), database.handle)
        guard let stmt else { throw SQLiteError(code: SQLITE_MISUSE, message: "empty statement: \(sql)") }
        handle = stmt
        db = database.handle
    }

    deinit { sqlite3_finalize(handle) }

    @discardableResult
    public func bind(_ values: [Bindable?]) throws -> Statement {
        try check(sqlite3_reset(handle), db)
        try check(sqlite3_clear_bindings(handle), db)
        for (i, v) in values.enumerated() {
            let index = Int32(i + 1)
            guard let v else { try check(sqlite3_bind_null(handle, index), db); continue }
            try v.bind(to: handle, at: index, db: db)
        }
        return self
    }

    /// Advances to the next row; false when done.
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        try check(rc, db)
        return rc == SQLITE_ROW
    }

    /// Runs a statement that returns no rows.
    public func run(_ values: [Bindable?] = []) throws {
        try bind(values)
        while try step() {}
    }

    public func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    public func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    public func text(_ column: Int32) -> String {
        sqlite3_column_text(handle, column).map { String(cString: $0) } ?? ""
    }
    public func blob(_ column: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(handle, column))
        guard n > 0, let p = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }
}

/// Values a statement can bind.
public protocol Bindable {
    func bind(to stmt: OpaquePointer, at index: Int32, db: OpaquePointer) throws
}

extension Int: Bindable {
    public func bind(to stmt: OpaquePointer, at index: Int32, db: OpaquePointer) throws {
        try check(sqlite3_bind_int64(stmt, index, Int64(self)), db)
    }
}

extension Double: Bindable {
    public func bind(to stmt: OpaquePointer, at index: Int32, db: OpaquePointer) throws {
        try check(sqlite3_bind_double(stmt, index, self), db)
    }
}

extension String: Bindable {
    public func bind(to stmt: OpaquePointer, at index: Int32, db: OpaquePointer) throws {
        try check(sqlite3_bind_text(stmt, index, self, -1, transient), db)
    }
}

extension Array: Bindable where Element == UInt8 {
    public func bind(to stmt: OpaquePointer, at index: Int32, db: OpaquePointer) throws {
        try withUnsafeBytes { try check(sqlite3_bind_blob(stmt, index, $0.baseAddress, Int32($0.count), transient), db) }
    }
}
