/// A Bloom filter of the keys the ledger's tables hold: the ids of processed articles and the band keys of
/// the near-duplicate index. A lookup asks it first and seeks in the tables only for keys it may hold, so a
/// new article (most of a feed) costs no index seek at all, however large the ledger has grown; without it
/// each lookup made 33 seeks into B-trees whose pages SQLite drops from its cache at every commit.
///
/// Split-block: a key sets eight bits in one 256-bit block, two in each of its four words, so a probe reads
/// half a cache line. It is sized at 16 bits a key (a false positive about one probe in 900) and grows when
/// it holds 12 a key (about one in 200). A lookup asks for 33 keys, so what counts is the chance that any of
/// them passes. Before (three bits in one 64-bit word, growth at 8 bits a key: one in 200 to one in 25), a
/// drain of 20,000 new articles probed the tables for 115 ids and 12,485 band keys; now for 13 and 10,320.
/// Most of those band keys the tables did hold: an unrelated article that shared a band, which no filter can
/// tell from a near copy. Those came mostly from common words, which the signature has left out since v10
/// (`Fingerprint.signature(ofKeys:)`).
///
/// Not thread-safe: the ledger touches it only under its `pending` lock. Never written to disk: it is built
/// from the tables in the background after the ledger opens.
final class KeyFilter {
    /// Blocks of four words, aligned to a cache line.
    private let words: UnsafeMutableBufferPointer<UInt64>
    /// Shifts a hash down to a block number.
    private let shift: UInt64
    /// Keys inserted (a key inserted twice counts twice).
    private(set) var count = 0

    static let wordsPerBlock = 4

    /// A filter for about `keys` keys, at 16 bits a key, and at least `minimumWords` words (rounded up to a
    /// power of two of at least two blocks).
    init(keys: Int, minimumWords: Int) {
        var size = 2 * KeyFilter.wordsPerBlock
        while size < minimumWords || size < keys / 4 { size *= 2 }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: size * 8, alignment: 64)
        words = UnsafeMutableBufferPointer(start: raw.bindMemory(to: UInt64.self, capacity: size), count: size)
        words.initialize(repeating: 0)
        shift = UInt64(64 - (size / KeyFilter.wordsPerBlock).trailingZeroBitCount)
    }

    deinit { UnsafeMutableRawPointer(words.baseAddress!).deallocate() }

    /// Holding more keys than this (12 bits a key), it should be built again twice the size.
    var capacity: Int { words.count * 64 / 12 }

    var bytes: Int { words.count * 8 }

    /// The first word of `key`'s block, and the two bits it sets in each of the block's words.
    @inline(__always)
    private func place(_ key: UInt64) -> (word: Int, masks: SIMD4<UInt64>) {
        let hash = Fingerprint.mix(key ^ 0x6E65_7773_645F_6B66)  // "newsd_kf"
        // The block from the top bits; the bit positions from a second mix, so that none of the block's bits
        // also choose a position.
        let bits = Fingerprint.mix(hash ^ 0x6E65_7773_645F_6B62)  // "newsd_kb"
        let low = SIMD4<UInt64>(bits, bits >> 12, bits >> 24, bits >> 36)
        let masks = (1 &<< (low & 63)) | (1 &<< ((low &>> 6) & 63))
        return (Int(truncatingIfNeeded: hash &>> shift) * KeyFilter.wordsPerBlock, masks)
    }

    func insert(_ key: UInt64) {
        let (word, masks) = place(key)
        for lane in 0..<KeyFilter.wordsPerBlock { words[word + lane] |= masks[lane] }
        count += 1
    }

    /// False only when `key` was never inserted.
    func mayContain(_ key: UInt64) -> Bool {
        let (word, masks) = place(key)
        let block = SIMD4(words[word], words[word + 1], words[word + 2], words[word + 3])
        return block & masks == masks
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
