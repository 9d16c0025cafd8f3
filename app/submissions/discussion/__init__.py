"""Public comments on published concepts and private feedback from jury and hosts to a team."""
