"""The floor: the least a page on this stack can cost, to measure Samskap's pages against in the same run.

A minimal FastAPI app whose one page renders 20 challenges (slug, title, summary) from the bench database with
a Jinja2 template, through SQLAlchemy's pool and the same psycopg driver as the app, in a plain `def` handler
(run in the thread pool, as the app's are). `bench/run.py` serves it with uvicorn and 2 workers:

    FLOOR_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/samskap_bench \\
        .venv/bin/python -m uvicorn floor:create_app --factory --app-dir bench --workers 2
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from sqlalchemy import create_engine, text

TEMPLATE = """<!doctype html>
<html lang="nb">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<main>
<h1>{{ title }}</h1>
<ul>
{% for row in rows %}  <li><a href="/challenges/{{ row.slug }}">{{ row.title }}</a> <p>{{ row.summary }}</p></li>
{% endfor %}</ul>
</main>
</body>
</html>
"""
QUERY = text("SELECT slug, title, summary FROM challenges WHERE status = 'published' ORDER BY id LIMIT 20")


def create_app() -> FastAPI:
    engine = create_engine(os.environ["FLOOR_DATABASE_URL"], pool_size=40, max_overflow=10)
    template = Environment(autoescape=True).from_string(TEMPLATE)
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/", response_class=HTMLResponse)
    def page() -> HTMLResponse:
        with engine.connect() as connection:
            rows = connection.execute(QUERY).mappings().all()
        return HTMLResponse(template.render(title="Utfordringer", rows=rows))

    return app
