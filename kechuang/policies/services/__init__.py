"""Writes of the policies app: each a keyword-only service in one transaction, audited."""
