"""Serving the course: the lesson files and a student's copy of them, ports, the JupyterLab and Voila servers,
JupyterLab settings, Binder links, and the ``lab``, ``present`` and ``binder-links`` commands."""
