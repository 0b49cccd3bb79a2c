"""The student's saved work: the SQLite store, file identification and recovery, schema and migrations, the
exchange format. Knows no course content and no widget."""
