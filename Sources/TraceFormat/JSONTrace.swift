import AttentionEngine

/// The public, versioned JSON form of a trace (docs/trace-format.md,
/// docs/trace-format.schema.json). Written by hand so that key order, number text and
/// −∞ (the string "-inf") are fixed: the same trace always gives the same bytes.
public enum JSONTrace {
    /// The contract's version for traces of the forward pass alone: their bytes are the same
    /// as before version 2 existed.
    public static let version = 1
    /// The version of traces holding the backward stage (`stage: "backward"` events).
    public static let backwardVersion = 2

    /// The version written for `trace`: 2 when it holds backward events, else 1, so that a
    /// reader of version 1 still reads every trace it could read before (docs/trace-format.md).
    public static func version(of trace: Trace) -> Int {
        trace.events.contains { $0.stage == .backward } ? backwardVersion : version
    }

    public static func encode(_ trace: Trace) -> String {
        var out = ""
        stream(trace) { out += $0 }
        return out
    }

    /// The same text as `encode`, handed to `write` in pieces (one per event, plus the
    /// opening and closing lines), so that a large trace is never held as one string and a
    /// writer can report progress or stop at the first write error.
    public static func stream<E: Error>(_ trace: Trace, to write: (String) throws(E) -> Void) throws(E) {
        try write("{\n  \"version\": \(version(of: trace)),\n  \"events\": [")
        for (index, event) in trace.events.enumerated() {
            var out = index == 0 ? "\n" : ",\n"
            self.write(event, into: &out)
            try write(out)
        }
        try write("\n  ]\n}\n")
    }

    /// About how many bytes `encode` writes: numbers take up to ~24 characters each in the
    /// shortest round-trip form, so this is an estimate from above for warnings, not a size.
    public static func estimatedBytes(_ trace: Trace) -> Int {
        trace.events.reduce(64) { total, event in
            let labels = (event.rowLabels + event.columnLabels).reduce(0) { $0 + $1.utf8.count + 4 }
            return total + 256 + labels + event.values.rows * event.values.columns * 22
        }
    }

    static func write(_ event: TraceEvent, into out: inout String) {
        out += "    {\"stage\": \(JSONString.quoted(event.stage.rawValue)), "
        if let head = event.head { out += "\"head\": \(head), " }
        out += "\"name\": \(JSONString.quoted(event.name)), \"formula\": \(JSONString.quoted(event.formula)),\n"
        out += "     \"operands\": [" + event.operands.map { JSONString.quoted($0.name) }.joined(separator: ", ") + "], "
        out += "\"shape\": [\(event.values.rows), \(event.values.columns)],\n"
        if let kept = event.kept {
            let bound = { (x: Double?) in x.map { NumberFormat.roundTrip($0) } ?? "null" }
            out += "     \"kept\": {\"rows\": [" + kept.indices.map(String.init).joined(separator: ", ") + "], "
            out += "\"shape\": [\(kept.shape.rows), \(kept.shape.columns)], \"min\": \(bound(kept.minimum)), \"max\": \(bound(kept.maximum))},\n"
        }
        out += "     \"rows\": [" + event.rowLabels.map(JSONString.quoted).joined(separator: ", ") + "],\n"
        out += "     \"columns\": [" + event.columnLabels.map(JSONString.quoted).joined(separator: ", ") + "],\n"
        out += "     \"values\": ["
        let m = event.values
        for i in 0..<m.rows {
            out += i == 0 ? "[" : ",\n                [" 
            for j in 0..<m.columns {
                if j > 0 { out += ", " }
                let x = m[i, j]
                out += x == -.infinity ? "\"-inf\"" : NumberFormat.roundTrip(x)
            }
            out += "]"
        }
        out += "]}"
    }

}
