/// A Bloom filter of the keys the ledger's tables hold: the ids of processed articles and the band keys of
/// the near-duplicate index. A lookup asks it first and seeks in the tables only for keys it may hold, so a
/// new article (most of a feed) costs no index seek at all, however large the ledger has grown; without it
/// each lookup made 33 seeks into B-trees whose pages SQLite drops from its cache at every commit.
///
/// Blocked: a key sets three bits of one 64-bit word, so a probe is one cache miss. It is sized at 16 bits a
/// key (a false positive about one probe in 200) and grows when it holds 8 a key (about one in 25).
///
/// Not thread-safe: the ledger touches it only under its `pending` lock. Never written to disk: it is built
/// from the tables in the background after the ledger opens.
final class KeyFilter {
    private let words: UnsafeMutableBufferPointer<UInt64>
    private let shift: UInt64
    /// Keys inserted (a key inserted twice counts twice).
    private(set) var count = 0

    /// A filter for about `keys` keys, at 16 bits a key, and at least `minimumWords` words (a power of two).
    init(keys: Int, minimumWords: Int) {
        var size = minimumWords
        while size < keys / 4 { size *= 2 }
        words = .allocate(capacity: size)
        words.initialize(repeating: 0)
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    deinit { words.deallocate() }

    /// Holding more keys than this, it should be built again twice the size.
    var capacity: Int { words.count * 8 }

    var bytes: Int { words.count * 8 }

    @inline(__always)
    private func place(_ key: UInt64) -> (word: Int, mask: UInt64) {
        let hash = Fingerprint.mix(key ^ 0x6E65_7773_645F_6B66)  // "newsd_kf"
        let mask: UInt64 = 1 << (hash & 63) | 1 << ((hash >> 6) & 63) | 1 << ((hash >> 12) & 63)
        return (Int(truncatingIfNeeded: hash >> shift), mask)
    }

    func insert(_ key: UInt64) {
        let (word, mask) = place(key)
        words[word] |= mask
        count += 1
    }

    /// False only when `key` was never inserted.
    func mayContain(_ key: UInt64) -> Bool {
        let (word, mask) = place(key)
        return words[word] & mask == mask
    }

    /// The key of an article id: its key in the tables (`Ledger.idKey`).
    static func key(id: Int64) -> UInt64 {
        UInt64(bitPattern: id)
    }

    /// The key of a band key: a band key is a hash already; ids and band keys share the filter, told apart by
    /// a bit flipped in one of them.
    static func key(band: Int64) -> UInt64 {
        UInt64(bitPattern: band) ^ 0x8000_0000_0000_0000
    }
}
