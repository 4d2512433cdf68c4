import WorkbookChecks

extension Implementations {
    /// The reference solutions of this module, as the checks take them.
    public static var reference: Implementations {
        Implementations(
            scores: WorkbookSolutions.scores(query:keys:),
            scoreMatrix: WorkbookSolutions.scoreMatrix(queries:keys:),
            project: WorkbookSolutions.project(_:_:),
            scaled: WorkbookSolutions.scaled(_:dK:),
            softmaxRows: WorkbookSolutions.softmaxRows(_:),
            contextVector: WorkbookSolutions.contextVector(weights:values:),
            attention: WorkbookSolutions.attention(_:W_Q:W_K:W_V:),
            causalWeights: WorkbookSolutions.causalWeights(_:),
            splitHeads: WorkbookSolutions.splitHeads(_:heads:),
            concatenateHeads: WorkbookSolutions.concatenateHeads(_:),
            crossAttention: WorkbookSolutions.crossAttention(_:source:W_Q:W_K:W_V:),
            softmaxBackwardRow: WorkbookSolutions.softmaxBackwardRow(weights:dWeights:),
            valueGradient: WorkbookSolutions.valueGradient(weights:dZ:),
            queryKeyGradients: WorkbookSolutions.queryKeyGradients(dScores:queries:keys:dK:),
            decodeStep: WorkbookSolutions.decodeStep(query:key:value:keys:values:),
            onlineSoftmaxStep: WorkbookSolutions.onlineSoftmaxStep(m:l:o:scores:values:))
    }
}
