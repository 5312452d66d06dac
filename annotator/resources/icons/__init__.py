"""Icons shipped with the app (SVG), found with importlib.resources; the app icon is named after APP_ID."""
