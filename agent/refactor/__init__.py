"""Refactoring: decide per file what change retires the database, and make it."""
