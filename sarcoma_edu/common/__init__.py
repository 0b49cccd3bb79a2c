"""Below everything: argument checks, JSON-file reading with schema messages, atomic file writes. No clinical
content, no plotly, no ipywidgets."""
