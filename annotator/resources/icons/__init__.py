"""Icons shipped with the app (SVG), found with importlib.resources.

The app icon is named after APP_ID.
"""
