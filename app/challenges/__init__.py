"""Challenges: an organisation puts a problem to the public, with a prize, criteria and a timeline."""
