import Lessons
import TraceFormat

/// The decimals a trace reference prints with, by the tables' rule: a cell of a matrix whose
/// values are all whole prints as an integer (`1`, not `1.00`), as does a whole row; any
/// other number that is whole (a size, √4, the max of whole scores) prints as one too.
func referenceDecimals(_ resolved: ResolvedReference, blockDecimals decimals: Int) -> Int {
    switch resolved.value {
    case .integer: return 0
    case .vector(let v): return NumberFormat.decimals(for: v, decimals)
    case .number(let x):
        if let cell = resolved.cell, cell.part == nil { return NumberFormat.decimals(for: cell.event.values.storage, decimals) }
        return NumberFormat.isWhole(x) ? 0 : decimals
    }
}
