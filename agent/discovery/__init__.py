"""Discovery: find every reference to a database across repositories.

Kept free of imports on purpose: ``decom scan`` imports the light modules first (see
:mod:`agent.discovery.api`), so this package must not pull in the engine.
"""
