/// Carries a value across a `@Sendable` boundary that the compiler cannot see is a hand-over.
/// Only used where the caller gave the value up with `sending` and nothing else touches it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}
