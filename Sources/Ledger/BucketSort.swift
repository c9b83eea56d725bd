/// Sorting values whose order comes from hashes, spread evenly over their range: one pass deals them into
/// buckets by their top bits, one or two a bucket, and each bucket is then sorted by insertion. A bucket of
/// more than 16 (crafted keys) is sorted like any array. Through raw pointers: through arrays, every store
/// checked its bounds and that the array was not shared.
enum BucketSort {
    /// `values` in ascending order. `bucket` maps a value to one of `1 << bits` buckets, and must keep the
    /// order: a smaller value never goes into a later bucket.
    static func sorted<Value: Comparable>(_ values: [Value], bits: Int, bucket: (Value) -> Int) -> [Value] {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 << bits) { counts in
            counts.initialize(repeating: 0)
            let buckets = 1 << bits
            // counts[b + 1] counts bucket b; then counts[b] is where it starts, and counts[buckets + b] where its
            // next value goes (its end, once all are dealt).
            for value in values { counts[bucket(value) + 1] += 1 }
            for index in 1...buckets { counts[index] += counts[index - 1] }
            for index in 0..<buckets { counts[buckets + index] = counts[index] }
            var sorted = [Value](unsafeUninitializedCapacity: values.count) { buffer, count in
                for value in values {
                    let next = buckets + bucket(value)
                    buffer.initializeElement(at: counts[next], to: value)
                    counts[next] += 1
                }
                count = values.count
            }
            sorted.withUnsafeMutableBufferPointer { sorted in
                for index in 0..<buckets {
                    let (start, end) = (counts[index], counts[buckets + index])
                    guard end - start > 1 else { continue }
                    guard end - start <= 16 else {
                        sorted[start..<end].sort()
                        continue
                    }
                    for position in (start + 1)..<end {
                        let value = sorted[position]
                        var hole = position
                        while hole > start, value < sorted[hole - 1] {
                            sorted[hole] = sorted[hole - 1]
                            hole -= 1
                        }
                        sorted[hole] = value
                    }
                }
            }
            return sorted
        }
    }

    /// Bits of bucket number for `count` values: one or two values a bucket, at most `limit` bits.
    static func bits(for count: Int, limit: Int) -> Int {
        min(limit, Int.bitWidth - (count / 2).leadingZeroBitCount)
    }
}
