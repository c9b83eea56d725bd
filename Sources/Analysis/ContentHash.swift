/// SHA-256 (FIPS 180-4) in pure Swift, so the analysis library needs neither Foundation nor a C crypto library.
///
/// The article id is the hash of the input file's bytes; it runs once per article on the hot path, so it works on
/// unsafe buffers and allocates nothing per block.
public enum ContentHash {
    /// The lowercase hexadecimal SHA-256 digest of `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        let digest = sha256(bytes)
        let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 32-byte SHA-256 digest of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
        )
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            bytes.withUnsafeBufferPointer { input in
                let fullBlocks = input.count / 64
                for block in 0..<fullBlocks {
                    compress(&state, UnsafeBufferPointer(rebasing: input[(block * 64)..<(block * 64 + 64)]), schedule)
                }
                // The tail: remaining bytes, 0x80, zeros, and the bit length, in one or two blocks.
                var tail = [UInt8](repeating: 0, count: 128)
                let remaining = input.count - fullBlocks * 64
                for index in 0..<remaining {
                    tail[index] = input[fullBlocks * 64 + index]
                }
                tail[remaining] = 0x80
                let tailLength = remaining + 9 <= 64 ? 64 : 128
                let bitLength = UInt64(input.count) &* 8
                for index in 0..<8 {
                    tail[tailLength - 1 - index] = UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(index)))
                }
                tail.withUnsafeBufferPointer { tailBuffer in
                    compress(&state, UnsafeBufferPointer(rebasing: tailBuffer[0..<64]), schedule)
                    if tailLength == 128 {
                        compress(&state, UnsafeBufferPointer(rebasing: tailBuffer[64..<128]), schedule)
                    }
                }
            }
        }
        var digest = [UInt8]()
        digest.reserveCapacity(32)
        for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    @inline(__always)
    private static func rotateRight(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value >> count) | (value << (32 - count))
    }

    private static func compress(
        _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
        _ block: UnsafeBufferPointer<UInt8>,
        _ w: UnsafeMutableBufferPointer<UInt32>
    ) {
        for t in 0..<16 {
            let i = t * 4
            w[t] = UInt32(block[i]) << 24 | UInt32(block[i + 1]) << 16 | UInt32(block[i + 2]) << 8 | UInt32(block[i + 3])
        }
        for t in 16..<64 {
            let s0 = rotateRight(w[t - 15], 7) ^ rotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3)
            let s1 = rotateRight(w[t - 2], 17) ^ rotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, h) = state
        // Eight rounds per iteration with the variables renamed instead of shifted along (h = g, g = f, …):
        // the same rounds as FIPS 180-4 without the eight moves each.
        roundConstants.withUnsafeBufferPointer { k in
            var t = 0
            while t < 64 {
                round(a, b, c, &d, e, f, g, &h, k[t] &+ w[t])
                round(h, a, b, &c, d, e, f, &g, k[t + 1] &+ w[t + 1])
                round(g, h, a, &b, c, d, e, &f, k[t + 2] &+ w[t + 2])
                round(f, g, h, &a, b, c, d, &e, k[t + 3] &+ w[t + 3])
                round(e, f, g, &h, a, b, c, &d, k[t + 4] &+ w[t + 4])
                round(d, e, f, &g, h, a, b, &c, k[t + 5] &+ w[t + 5])
                round(c, d, e, &f, g, h, a, &b, k[t + 6] &+ w[t + 6])
                round(b, c, d, &e, f, g, h, &a, k[t + 7] &+ w[t + 7])
                t += 8
            }
        }
        state = (
            state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
            state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h
        )
    }

    /// One SHA-256 round on (a, b, c, d, e, f, g, h): d becomes the new e and h the new a.
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32,
        _ constantPlusWord: UInt32
    ) {
        let s1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
        let choice = g ^ (e & (f ^ g))
        let temp1 = h &+ s1 &+ choice &+ constantPlusWord
        let s0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
        let majority = (a & b) | (c & (a | b))
        d = d &+ temp1
        h = temp1 &+ s0 &+ majority
    }

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}
