"""Domain-free building blocks every domain uses: pagination, forms, responses, urls, invitations, images, text.

Nothing in `app.kit` imports a domain package (a test enforces it)."""
