import Foundation
import Glibc

/// A fresh directory under /tmp, removed when the test is done with it.
final class TemporaryDirectory {
    let url: URL
    var path: String { url.path }

    init(_ label: String = "spool") throws {
        url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("newsd-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ relative: String, _ contents: String) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: file)
    }

    func names(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.appendingPathComponent(relative).path)) ?? []).sorted()
    }

    /// The contents of every file in `relative`, read by raw name bytes (names that are not UTF-8 survive).
    func contentsByRawName(_ relative: String) -> [[UInt8]: Data] {
        var result: [[UInt8]: Data] = [:]
        guard let stream = opendir(url.appendingPathComponent(relative).path) else { return result }
        defer { closedir(stream) }
        let directory = dirfd(stream)
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            let descriptor = (name + [0]).withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) { openat(directory, $0.baseAddress!, O_RDONLY) }
            }
            guard descriptor >= 0 else { continue }
            result[name] = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true).readDataToEndOfFile()
        }
        return result
    }

    func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: url.appendingPathComponent(relative))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}
