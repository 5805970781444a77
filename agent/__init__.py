"""decom domain logic."""
