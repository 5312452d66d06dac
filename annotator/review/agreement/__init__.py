"""The agreement report: read the annotators' layers, count agreement, show it as JSON or HTML.

The coefficients themselves are pure maths and live in `annotator.core.agreement`.
"""
