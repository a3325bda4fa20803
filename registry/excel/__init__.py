"""Spreadsheet reading and writing for the ledger and progress imports (SPEC §4.3)."""
