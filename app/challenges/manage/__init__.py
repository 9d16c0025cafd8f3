"""Organiser pages under /manage: draft and edit challenges, their criteria, co-hosts, and copies as templates."""
