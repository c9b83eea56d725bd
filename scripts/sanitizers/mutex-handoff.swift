// Reproduces the ThreadSanitizer false positive that scripts/sanitizers/tsan-triage.py classifies as
// "mutex-handoff": two threads append to a Mutex<[Int]> only inside withLock, yet TSan reports a Swift access
// race once one thread blocks on the lock (Linux Mutex waits in the kernel with FUTEX_LOCK_PI, from the
// uninstrumented libswiftSynchronization.so, so TSan sees no release/acquire pair). Without the usleep (no
// contention) it reports nothing.
//
//   swiftc -sanitize=thread -swift-version 6 scripts/sanitizers/mutex-handoff.swift -o /tmp/mutex-handoff
//   /tmp/mutex-handoff     # prints 40 and "WARNING: ThreadSanitizer: Swift access race"
import Synchronization
import Dispatch
import Glibc

final class Box: Sendable {
    let state = Mutex<[Int]>([])
}
let box = Box()
let group = DispatchGroup()
for i in 0..<2 {
    DispatchQueue.global().async(group: group) { @Sendable in
        // Hold the lock long enough that the other thread blocks in the kernel (the futex slow path).
        for j in 0..<20 { box.state.withLock { $0.append(i * 1000 + j); usleep(2000) } }
    }
}
group.wait()
print(box.state.withLock { $0.count })
