"""Review and adjudication: the annotators' layers of a document compared unit by unit, and the
reviewer's decisions stored in the gold layer (with undo and redo)."""
