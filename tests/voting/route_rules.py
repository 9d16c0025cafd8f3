"""Who may call the voting routes (see tests/test_route_rules.py)."""

ROUTE_RULES = {
    ("GET", "/api/v1/challenges/{slug}/ballot"): "signed-in",
    ("PUT", "/api/v1/challenges/{slug}/ballot"): "signed-in",
    ("DELETE", "/api/v1/challenges/{slug}/ballot"): "signed-in",
    ("PUT", "/api/v1/challenges/{slug}/ballot/votes/{submission_id}"): "signed-in",
    ("DELETE", "/api/v1/challenges/{slug}/ballot/votes/{submission_id}"): "signed-in",
    ("GET", "/api/v1/challenges/{slug}/results"): "public",
    ("GET", "/api/v1/challenges/{slug}/results.csv"): "public",
    ("GET", "/api/v1/challenges/{slug}/results/ballots"): "public",
    ("GET", "/api/v1/challenges/{slug}/results/integrity"): "signed-in",
    ("POST", "/challenges/{slug}/ballot/votes/{submission_id}"): "signed-in",
    ("POST", "/challenges/{slug}/ballot/votes/{submission_id}/remove"): "signed-in",
    ("POST", "/challenges/{slug}/ballot/withdraw"): "signed-in",
    ("GET", "/challenges/{slug}/results"): "public",
    ("GET", "/account/votes"): "signed-in",
}
