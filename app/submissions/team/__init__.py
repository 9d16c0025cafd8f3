"""Concept teams: members, invitations, the lead hand-over, the team finder and join requests."""
