"""Batch runs: the ledger, the concurrent driver, progress and reports."""
