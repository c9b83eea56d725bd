/// An open-addressing hash map keyed by 64-bit hashes (`NameHash`, FNV-1a), which are already well mixed:
/// a lookup is one multiply and usually one probe, instead of `Dictionary`'s SipHash of the key.
/// Values live in a dense array; the slot table holds each key next to its value's index.
struct HashMap64<Value>: @unchecked Sendable {
    private struct Slot {
        var key: UInt64
        var index: Int32
    }

    private var slots: [Slot]
    private var shift: UInt64
    private(set) var keys: [UInt64] = []
    private(set) var values: [Value] = []

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }

    init(minimumCapacity: Int = 8) {
        var capacity = 8
        var bits: UInt64 = 3
        while capacity < minimumCapacity * 2 {
            capacity <<= 1
            bits += 1
        }
        slots = [Slot](repeating: Slot(key: 0, index: -1), count: capacity)
        shift = 64 - bits
        keys.reserveCapacity(minimumCapacity)
        values.reserveCapacity(minimumCapacity)
    }

    @inline(__always)
    private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    @inline(__always)
    subscript(key: UInt64) -> Value? {
        let index = slots.withUnsafeBufferPointer { table -> Int32 in
            let mask = table.count - 1
            var i = home(key)
            while true {
                let slot = table[i]
                if slot.index < 0 { return -1 }
                if slot.key == key { return slot.index }
                i = (i + 1) & mask
            }
        }
        return index < 0 ? nil : values[Int(index)]
    }

    @inline(__always)
    func contains(_ key: UInt64) -> Bool {
        slots.withUnsafeBufferPointer { table in
            let mask = table.count - 1
            var i = home(key)
            while true {
                let slot = table[i]
                if slot.index < 0 { return false }
                if slot.key == key { return true }
                i = (i + 1) & mask
            }
        }
    }

    /// Sets the value of `key` (replacing an earlier one, like `Dictionary`). Returns whether it was new.
    @discardableResult
    mutating func set(_ key: UInt64, _ value: Value) -> Bool {
        let (index, inserted) = claim(key)
        if inserted {
            keys.append(key)
            values.append(value)
        } else {
            values[index] = value
        }
        return inserted
    }

    /// Applies `update` to the value of `key`, inserting `initial` first when the key is new.
    @inline(__always)
    mutating func update(_ key: UInt64, default initial: @autoclosure () -> Value, _ update: (inout Value) -> Void) {
        let (index, inserted) = claim(key)
        if inserted {
            keys.append(key)
            values.append(initial())
        }
        update(&values[index])
    }

    /// The index in `values` of `key`'s value; a new key gets a slot pointing at `keys.count`, where the
    /// caller appends it. One pass over the slot table, through one mutable buffer (a subscript assignment
    /// per probe checked the array's uniqueness each time).
    @inline(__always)
    private mutating func claim(_ key: UInt64) -> (index: Int, inserted: Bool) {
        // Grown first, so the slot found stays valid; one more key than now always fits after this.
        if (keys.count + 1) * 2 > slots.count { grow() }
        let shift = self.shift
        let newIndex = Int32(keys.count)
        return slots.withUnsafeMutableBufferPointer { table in
            let mask = table.count - 1
            var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while true {
                let slot = table[i]
                if slot.index < 0 {
                    table[i] = Slot(key: key, index: newIndex)
                    return (Int(newIndex), true)
                }
                if slot.key == key { return (Int(slot.index), false) }
                i = (i + 1) & mask
            }
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        shift -= 1
        let shift = self.shift
        let keys = self.keys
        var table = [Slot](repeating: Slot(key: 0, index: -1), count: capacity)
        table.withUnsafeMutableBufferPointer { table in
            let mask = capacity - 1
            for (n, key) in keys.enumerated() {
                var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
                while table[i].index >= 0 { i = (i + 1) & mask }
                table[i] = Slot(key: key, index: Int32(n))
            }
        }
        slots = table
    }
}

/// A set of 64-bit hashes (see `HashMap64`).
struct HashSet64: Sendable {
    private var map: HashMap64<Void>

    init(minimumCapacity: Int = 8) { map = HashMap64(minimumCapacity: minimumCapacity) }

    init<S: Sequence>(_ keys: S) where S.Element == UInt64 {
        map = HashMap64(minimumCapacity: keys.underestimatedCount)
        for key in keys { map.set(key, ()) }
    }

    var isEmpty: Bool { map.isEmpty }
    var count: Int { map.count }
    /// The members, in insertion order.
    var keys: [UInt64] { map.keys }

    @inline(__always)
    func contains(_ key: UInt64) -> Bool { map.contains(key) }

    @discardableResult
    mutating func insert(_ key: UInt64) -> Bool { map.set(key, ()) }
}
