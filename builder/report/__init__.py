"""Reports from an LRS: completion, mastery and item analysis from the course's statements."""
