import GRDB
import GRDBSQLite

/// Runs one of GRDB's cached statements through SQLite's C API: binds values in order, steps, resets.
///
/// Only for the statements that run for every article: the writer's inserts and the near-duplicate lookup.
/// GRDB's `StatementArguments` box each value in an existential and retain and release it several times on
/// the way to `sqlite3_bind_*`; on the ledger's hot path that cost more than SQLite's own work (most of the
/// writer's CPU time was `swift_retain`/`swift_release`). Errors are GRDB's `DatabaseError`, as with
/// `execute`, so callers see no difference.
struct RawStatement {
    private let statement: Statement
    private let connection: OpaquePointer?
    private var position: Int32 = 0

    init(_ statement: Statement, in db: Database) {
        self.statement = statement
        connection = db.sqliteConnection
    }

    /// SQLite copies the bytes before the bind call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private mutating func next() -> Int32 {
        position += 1
        return position
    }

    mutating func bind(_ value: Int64?) {
        let index = next()
        if let value { sqlite3_bind_int64(statement.sqliteStatement, index, value) } else { sqlite3_bind_null(statement.sqliteStatement, index) }
    }

    mutating func bind(_ value: Int?) {
        bind(value.map(Int64.init))
    }

    mutating func bind(_ value: Double?) {
        let index = next()
        if let value { sqlite3_bind_double(statement.sqliteStatement, index, value) } else { sqlite3_bind_null(statement.sqliteStatement, index) }
    }

    mutating func bind(_ value: String?) {
        let index = next()
        guard let value else {
            sqlite3_bind_null(statement.sqliteStatement, index)
            return
        }
        func bind(_ utf8: UnsafeBufferPointer<UInt8>) {
            _ = sqlite3_bind_text(
                statement.sqliteStatement, index, utf8.baseAddress ?? UnsafePointer(bitPattern: 1), Int32(utf8.count),
                RawStatement.transient)
        }
        // In place when the string is contiguous UTF-8: `withUTF8` needs a mutable copy (a retain and a release
        // of storage that the worker which made the string has just touched).
        if value.utf8.withContiguousStorageIfAvailable(bind) == nil {
            var copy = value
            copy.withUTF8(bind)
        }
    }

    /// UTF-8 bytes as text (JSON the writer built), or NULL.
    mutating func bind(text bytes: [UInt8]?) {
        let index = next()
        guard let bytes else {
            sqlite3_bind_null(statement.sqliteStatement, index)
            return
        }
        bytes.withUnsafeBufferPointer { utf8 in
            _ = sqlite3_bind_text(
                statement.sqliteStatement, index, utf8.baseAddress ?? UnsafePointer(bitPattern: 1), Int32(utf8.count),
                RawStatement.transient)
        }
    }

    /// `values` as a little-endian blob, the way `Fingerprint` stores signatures and shingle keys.
    mutating func bind(littleEndian values: [UInt32]?) {
        let index = next()
        guard let values else {
            sqlite3_bind_null(statement.sqliteStatement, index)
            return
        }
        #if _endian(little)
        values.withUnsafeBytes { bindBlob($0, at: index) }
        #else
        Fingerprint.littleEndian(values).withUnsafeBytes { bindBlob($0, at: index) }
        #endif
    }

    private func bindBlob(_ raw: UnsafeRawBufferPointer, at index: Int32) {
        // A zero-length blob still needs a non-null pointer to be a blob rather than NULL.
        _ = sqlite3_bind_blob(
            statement.sqliteStatement, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count),
            RawStatement.transient)
    }

    // MARK: Queries

    /// Steps to the next result row: false once there is none (the statement is then reset).
    mutating func step() throws -> Bool {
        let code = sqlite3_step(statement.sqliteStatement)
        if code == SQLITE_ROW { return true }
        let message = code == SQLITE_DONE ? nil : String(cString: sqlite3_errmsg(connection))
        reset()
        if let message {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
        return false
    }

    /// Makes the statement ready for new bindings (after a query left before its last row, too).
    mutating func reset() {
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_clear_bindings(statement.sqliteStatement)
        position = 0
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement.sqliteStatement, column)
    }

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(statement.sqliteStatement, column) == SQLITE_NULL
    }

    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(statement.sqliteStatement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement.sqliteStatement, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// A little-endian blob of UInt32 values (empty when NULL).
    func littleEndianValues(_ column: Int32) -> [UInt32] {
        let count = Int(sqlite3_column_bytes(statement.sqliteStatement, column)) / 4
        guard count > 0, let blob = sqlite3_column_blob(statement.sqliteStatement, column) else { return [] }
        return [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)) }
            initialized = count
        }
    }

    /// Steps the statement once (an INSERT) and makes it ready for the next row.
    mutating func run() throws {
        let code = sqlite3_step(statement.sqliteStatement)
        let message = code == SQLITE_DONE ? nil : String(cString: sqlite3_errmsg(connection))
        reset()
        if let message {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }
}
