"""Reads of the insights module, by concept: `radar`, `profile`, `score`, `forecast`."""
