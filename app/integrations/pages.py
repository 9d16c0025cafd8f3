"""Development mailbox: the outbox's emails, shown in the browser when no SMTP server is configured."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import ActorDep
from app.config import get_settings
from app.db import SessionDep
from app.errors import NotFound
from app.integrations import outbox
from app.templating import render

router = APIRouter()


@router.get("/dev/mail", response_class=HTMLResponse)
def dev_mailbox(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    if get_settings().is_production:
        raise NotFound("No such page.")
    return render(request, "integrations/dev_mail.html", {"messages": outbox.recent_emails(session, limit=50)})
