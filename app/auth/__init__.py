"""Who is acting: actors built from sessions and access tokens, and the request dependencies that guard routes."""
