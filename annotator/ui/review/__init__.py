"""The review window: the annotators' layers of a document side by side, adjudicated into gold."""
