"""The student's saved work: the store on its SQLite file, file identification and recovery, schema and
migrations, the exchange format, the ``progress recover`` command. Knows no course content and no widget."""
