"""Samskap: citizen co-creation and idea challenges."""
