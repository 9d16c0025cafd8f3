"""Moderation: reports, hiding and restoring concepts and comments, the moderation queue."""
