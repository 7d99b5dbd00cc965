import Dispatch
import Foundation
import Synchronization

/// Ctrl-C (SIGINT) or SIGTERM while a command is buying: the first cancels the work, which then
/// terminates what it made and records the deployment failed; a second exits at once (130),
/// leaving what is left recorded for `gc` to finish.
enum Interruption {
    static func cancellable<T: Sendable>(
        onFirst: @escaping @Sendable () -> Void, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let task = Task { try await work() }
        let count = Counter()
        let numbers = [SIGINT, SIGTERM]
        for number in numbers { signal(number, SIG_IGN) }
        let sources = numbers.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if count.increment() == 1 {
                    onFirst()
                    task.cancel()
                } else {
                    exit(130)
                }
            }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            for number in numbers { signal(number, SIG_DFL) }
        }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    private final class Counter: Sendable {
        private let value = Mutex(0)

        func increment() -> Int { value.withLock { $0 += 1; return $0 } }
    }
}
