"""What a student does with the store: spaced review, quiz order and resume, mastery."""
