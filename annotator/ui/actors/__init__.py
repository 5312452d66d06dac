"""The actor registry: choosing an actor by typing, the tree by parent, the editor."""
