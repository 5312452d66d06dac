"""The annotation workspace: one or two documents side by side, and the panels about them
(label palette, span inspector, stance form, annotation list, document tags, matrix)."""
