import Analysis
import Checkpoint
import AudioIO
import Export

/// Errors that describe bad input (reported as one line, exit 2).
func isInputError(_ error: Error) -> Bool {
    error is AudioError || error is AnalysisError || error is ExportError || error is CheckpointError
}
