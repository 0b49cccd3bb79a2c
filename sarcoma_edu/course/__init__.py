"""Course content and its checks: learning objectives, question banks, generated questions, exercises,
tumour-board cases and their steps, coverage. No widget, no store."""
