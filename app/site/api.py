"""Health, readiness and the API's entry point."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.db import SessionDep

router = APIRouter(tags=["meta"])
health_router = APIRouter(tags=["meta"])


@router.get("/", summary="Links to the API's resources")
def api_index() -> dict[str, Any]:
    return {
        "openapi": "/api/v1/openapi.json",
        "docs": "/api/v1/docs",
        "organisations": "/api/v1/organisations",
        "me": "/api/v1/me",
    }


@health_router.get("/healthz", summary="The process is alive")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@health_router.get("/readyz", summary="The database is reachable", responses={503: {"description": "Not ready"}})
def readyz(session: SessionDep) -> JSONResponse:
    try:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    except Exception:  # noqa: BLE001  (any failure means not ready)
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "reachable"})
