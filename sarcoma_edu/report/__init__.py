"""The class report: reading students' files, item analysis, the HTML report, the synthetic class and the
report command."""
