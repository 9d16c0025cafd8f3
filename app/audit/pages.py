"""The audit log page under /manage/audit: filtered, paginated, times in each organisation's time zone."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.audit import permissions, service
from app.audit.models import AuditEvent
from app.auth.deps import SignedInDep
from app.db import SessionDep
from app.i18n import gettext as _
from app.kit.pagination import MAX_PAGE
from app.organizations import service as organizations
from app.organizations import views as organization_views
from app.templating import render

router = APIRouter()
PAGE_SIZE = 50
FilterText = Annotated[str, Query(max_length=254)]


def _day(value: str, field: str, errors: dict[str, str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[field] = _("Enter a date as YYYY-MM-DD, for example 2026-11-25.")
        return None


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value is not None else ""


@router.get("/manage/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    organisation: FilterText = "",
    action: FilterText = "",
    who: Annotated[str, Query(alias="actor", max_length=254)] = "",
    date_from: FilterText = "",
    date_to: FilterText = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    permissions.check_view_audit_log(actor)
    visible = organization_views.with_readable_audit_events(session, actor=actor)
    errors: dict[str, str] = {}
    chosen = next((org for org in visible if org.slug == organisation), None)
    if organisation and chosen is None:
        errors["organisation"] = _("Choose an organisation from the list.")
    filters = service.EventFilter(
        organization_id=chosen.id if chosen else None,
        action=action or None,
        actor=who or None,
        date_from=_day(date_from, "date_from", errors),
        date_to=_day(date_to, "date_to", errors),
    )
    events: Sequence[AuditEvent] = []
    total = 0
    if not errors:
        events, total = service.events_for(session, actor=actor, filters=filters, page=page, size=PAGE_SIZE)
    by_id = organizations.organizations_by_id(
        session, ids={event.organization_id for event in events if event.organization_id is not None}
    )
    values = {"organisation": organisation, "action": action, "actor": who, "date_from": date_from,
              "date_to": date_to}  # fmt: skip
    query = {key: value for key, value in values.items() if value}
    return render(
        request,
        "audit/list.html",
        {
            "events": events,
            "total": total,
            "page": page,
            "has_next": page * PAGE_SIZE < total,
            "previous_url": request.url.include_query_params(**query, page=page - 1) if page > 1 else None,
            "next_url": request.url.include_query_params(**query, page=page + 1),
            "organizations": visible,
            "by_id": by_id,
            "values": values,
            "errors": errors,
            "compact": _compact,
        },
        status_code=422 if errors else 200,
    )
