"""Serving the course: the classroom copy of the lessons, JupyterLab settings, Voila presentation, Binder
links."""
