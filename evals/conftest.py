"""pytest configuration of the evaluation tier (``evals/test_evals.py``).

The case repositories under ``datasets/`` hold their own test files (``test_*.py`` of the
imitated companies): they are data, never collected.
"""

collect_ignore = ["datasets"]
