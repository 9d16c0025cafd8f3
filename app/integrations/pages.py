"""Development mailbox: the outbox's emails, shown in the browser when no SMTP server is configured."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import ActorDep
from app.db import SessionDep
from app.integrations import outbox, permissions
from app.templating import render

router = APIRouter()


@router.get("/dev/mail", response_class=HTMLResponse)
def dev_mailbox(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    permissions.check_read_dev_mailbox()
    return render(request, "integrations/dev_mail.html", {"messages": outbox.recent_emails(session, limit=50)})
