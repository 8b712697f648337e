"""Helpers shared by tests and the demo replica builder (fixture generators)."""
