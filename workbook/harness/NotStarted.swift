import Foundation

/// Marks an exercise you have not started yet. Replace the call with your code.
///
/// `attn check` compiles each exercise of Sources/Workbook on its own, with this file and
/// Harness.swift, into a small program it talks to (workbook/harness/README.md). Reaching
/// this ends that program with exit status 3 and says which function was reached, so the
/// checker can tell "not started" from "wrong" — and can tell you when a later exercise
/// calls an earlier one that is not done yet.
func notStarted(_ function: String = #function) -> Never {
    print("\n@@attn-workbook@@ not-started \(function)")
    fflush(stdout)
    exit(3)
}
