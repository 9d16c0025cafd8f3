"""Who may call the jury results routes (see tests/test_route_rules.py)."""

ROUTE_RULES = {
    ("GET", "/api/v1/challenges/{slug}/jury/results"): "signed-in",
    ("GET", "/api/v1/challenges/{slug}/jury/results/scores.csv"): "signed-in",
    ("GET", "/api/v1/challenges/{slug}/jury/results/ranking.csv"): "signed-in",
    ("GET", "/manage/challenges/{slug}/jury/results"): "signed-in",
}
