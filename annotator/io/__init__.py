"""Reading articles into a project and writing datasets out of it."""
