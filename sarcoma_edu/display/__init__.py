"""What a student sees without widgets: figures and their text alternatives, plain tables, theme and large
text, the notebook error display."""
