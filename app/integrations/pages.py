"""Development mailbox: the outbox's emails, shown in the browser when no SMTP server is configured."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.actor import Actor
from app.auth.deps import ActorDep, ClientIpDep, client_ip
from app.db import SessionDep
from app.integrations import outbox, permissions
from app.templating import register_shared_context, render

router = APIRouter()


@router.get("/dev/mail", response_class=HTMLResponse)
def dev_mailbox(request: Request, session: SessionDep, actor: ActorDep, ip: ClientIpDep) -> Response:
    permissions.check_read_dev_mailbox(actor, client_ip=ip)
    return render(request, "integrations/dev_mail.html", {"messages": outbox.recent_emails(session, limit=50)})


def _dev_mailbox_open(request: Request) -> bool:
    actor = getattr(request.state, "actor", None) or Actor.anonymous()
    return permissions.can_read_dev_mailbox(actor, client_ip=client_ip(request))


register_shared_context("dev_mailbox_open", _dev_mailbox_open)
