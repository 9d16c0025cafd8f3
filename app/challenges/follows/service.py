"""Following challenges: who follows what, the notices followers hear about, and the emails that tell them.

A notice (the challenge opened, its deadline is near, a question was answered, results are out) is recorded once
per challenge; each follower gets a notification for it. The worker turns notifications into emails: one email
each for people who want them at once, one digest a day (around DIGEST_HOUR, DIGEST_TIMEZONE) for the others.
Every email carries a signed link that unfollows without signing in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from app.accounts import gdpr
from app.accounts import permissions as accounts_permissions
from app.accounts import service as accounts
from app.accounts.models import EmailFrequency, User
from app.actor import Actor
from app.challenges import permissions
from app.challenges.models import (
    Challenge,
    ChallengeNotice,
    Follow,
    FollowerNotification,
    NoticeKind,
    Question,
    Status,
)
from app.challenges.phases import Phase, phase_condition, phase_of
from app.errors import Conflict, Forbidden, NotFound, Unauthenticated
from app.i18n import gettext as _
from app.integrations import outbox
from app.kit import urls
from app.security import LinkExpired, LinkInvalid, sign, unsign

# Followers are warned this long before submissions close.
DEADLINE_WARNING = timedelta(hours=48)
# An opening or an announcement is news for this long. The first run of the scheduler (or one after the worker
# was down for days) records nothing older, so followers never get a flood of stale news.
LOOKBACK = timedelta(hours=24)
# Daily digests go out once a day from this hour: each carries what was queued before it.
DIGEST_HOUR = 7
DIGEST_TIMEZONE = ZoneInfo("Europe/Oslo")
# Users handled per delivery run; the rest wait for the next tick.
DELIVERY_BATCH = 200
UNFOLLOW_PURPOSE = "unfollow"
# Unfollow links outlive most inboxes' patience; an older one asks the reader to sign in instead.
UNFOLLOW_LINK_DAYS = 365
EXCERPT_LENGTH = 300
ALL_CHALLENGES = 0  # the unfollow link of a digest, which stops every follow email
# A guard, not a page: nobody follows this many challenges by hand.
MAX_LISTED = 500


# --- following ---------------------------------------------------------------------------------------------------


def _signed_in(actor: Actor) -> User:
    user = accounts_permissions.user_of(actor)
    if user is None or user.id is None:
        raise Unauthenticated(_("Please sign in to follow challenges."))
    return user


def _id(challenge: Challenge) -> int:
    assert challenge.id is not None  # noqa: S101  (a stored challenge)
    return challenge.id


def _follow_row(session: Session, *, user_id: int, challenge_id: int) -> Follow | None:
    return session.exec(
        select(Follow).where(col(Follow.user_id) == user_id, col(Follow.challenge_id) == challenge_id)
    ).first()


def follow(session: Session, *, actor: Actor, challenge: Challenge, now: datetime) -> tuple[Follow, bool]:
    """Follow a published challenge (a confirmed email address needed); True when the follow is new.

    Following twice is harmless: the existing follow is returned.
    """
    user = _signed_in(actor)
    if not permissions.can_view(actor, challenge):
        raise NotFound(_("No such challenge."))
    if not permissions.can_follow(actor, challenge):
        if challenge.status == Status.DRAFT:
            raise Conflict(_("A draft cannot be followed. It can be followed once it is published."))
        if challenge.status == Status.CANCELLED:
            raise Conflict(_("This challenge was cancelled, so there is nothing more to follow."))
        raise Forbidden(_("Confirm your email address first: we only send follow emails to confirmed addresses."))
    assert user.id is not None  # noqa: S101  (checked by _signed_in)
    existing = _follow_row(session, user_id=user.id, challenge_id=_id(challenge))
    if existing is not None:
        return existing, False
    row = Follow(user_id=user.id, challenge_id=_id(challenge), created_at=now)
    try:
        # Two clicks at once: the unique pair keeps one follow, and the second click finds it.
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        again = _follow_row(session, user_id=user.id, challenge_id=_id(challenge))
        assert again is not None  # noqa: S101  (the other insert won)
        return again, False
    return row, True


def _stop_following(session: Session, *, user_id: int, challenge_id: int | None) -> int:
    """Delete the user's follows (of one challenge, or all) and the news still waiting for them; returns how many
    follows ended."""
    follows = delete(Follow).where(col(Follow.user_id) == user_id)
    waiting = delete(FollowerNotification).where(
        col(FollowerNotification.user_id) == user_id, col(FollowerNotification.sent_at).is_(None)
    )
    if challenge_id is not None:
        follows = follows.where(col(Follow.challenge_id) == challenge_id)
        notices = select(ChallengeNotice.id).where(col(ChallengeNotice.challenge_id) == challenge_id)
        waiting = waiting.where(col(FollowerNotification.notice_id).in_(notices))
    ended = int(session.exec(follows).rowcount or 0)
    session.exec(waiting)
    session.flush()
    return ended


def unfollow(session: Session, *, actor: Actor, challenge: Challenge) -> bool:
    """Stop following a challenge (any phase); True when the actor was following it. News not yet sent is dropped."""
    user = _signed_in(actor)
    assert user.id is not None  # noqa: S101  (checked by _signed_in)
    return _stop_following(session, user_id=user.id, challenge_id=_id(challenge)) > 0


def is_following(session: Session, *, actor: Actor, challenge: Challenge) -> bool:
    if actor.user_id is None or challenge.id is None:
        return False
    return _follow_row(session, user_id=actor.user_id, challenge_id=challenge.id) is not None


@dataclass(frozen=True)
class FollowState:
    """What the follow control on a challenge's page shows."""

    signed_in: bool
    email_verified: bool
    following: bool
    # The challenge can be followed now (published, not cancelled); a follower can always stop.
    followable: bool


def follow_state(session: Session, *, actor: Actor, challenge: Challenge) -> FollowState:
    return FollowState(
        signed_in=actor.is_authenticated,
        email_verified=actor.email_verified,
        following=is_following(session, actor=actor, challenge=challenge),
        followable=challenge.status == Status.PUBLISHED,
    )


@dataclass(frozen=True)
class Followed:
    challenge: Challenge
    phase: Phase
    followed_at: datetime


def follows_of(session: Session, *, actor: Actor, now: datetime, limit: int = MAX_LISTED) -> list[Followed]:
    """The challenges the signed-in user follows, most recently followed first (hosts loaded, at most `limit`)."""
    user = _signed_in(actor)
    rows = session.exec(
        select(Follow, Challenge)
        .join(Challenge, col(Challenge.id) == Follow.challenge_id)
        .where(col(Follow.user_id) == user.id)
        .options(selectinload(Challenge.host))  # type: ignore[arg-type]
        .order_by(col(Follow.created_at).desc(), col(Follow.id).desc())
        .limit(limit)
    ).all()
    return [Followed(challenge=c, phase=phase_of(c, now), followed_at=f.created_at) for f, c in rows]


# --- notices -----------------------------------------------------------------------------------------------------


def _mailable() -> ColumnElement[bool]:
    """Accounts we email: active, not deleted, with a confirmed address."""
    return and_(col(User.is_active).is_(True), col(User.deleted_at).is_(None), col(User.email_verified_at).is_not(None))


def record_notice(
    session: Session, *, challenge: Challenge, kind: NoticeKind, now: datetime, subject_id: int = 0
) -> ChallengeNotice | None:
    """Record that `kind` happened to `challenge` and queue it for every follower; None if it was recorded before.

    Recording twice is harmless (the scheduler and a request may race): the unique key keeps one notice.
    """
    assert challenge.id is not None  # noqa: S101  (a stored challenge)
    notice = ChallengeNotice(challenge_id=challenge.id, kind=kind, subject_id=subject_id, created_at=now)
    try:
        with session.begin_nested():
            session.add(notice)
            session.flush()
    except IntegrityError:
        return None
    # Only followers we can email: a deactivated account or an unconfirmed address gets nothing queued.
    follower_ids = session.exec(
        select(Follow.user_id)
        .join(User, col(User.id) == Follow.user_id)
        .where(col(Follow.challenge_id) == challenge.id, _mailable())
    ).all()
    assert notice.id is not None  # noqa: S101  (flushed above)
    session.add_all(
        FollowerNotification(user_id=user_id, notice_id=notice.id, created_at=now) for user_id in follower_ids
    )
    session.flush()
    return notice


def _due_conditions(now: datetime) -> dict[NoticeKind, ColumnElement[bool]]:
    """Which challenges each scheduled notice is due for at `now`."""
    opens, closes = col(Challenge.opens_at), col(Challenge.submissions_close_at)
    announce = col(Challenge.announce_at)
    return {
        NoticeKind.OPENED: and_(phase_condition(Phase.OPEN, now), opens > now - LOOKBACK),
        # Open means the deadline has not passed; a first run finds a challenge closing in hours too.
        NoticeKind.DEADLINE_SOON: and_(phase_condition(Phase.OPEN, now), closes <= now + DEADLINE_WARNING),
        NoticeKind.RESULTS: and_(phase_condition(Phase.ANNOUNCED, now), announce > now - LOOKBACK),
    }


# Higher domains that hold back a challenge's results notice until their part is announced (the jury's awards),
# registered by them: each says whether the results of `challenge` are ready to tell its followers.
ResultsGate = Callable[[Session, Challenge], bool]
_results_gates: list[ResultsGate] = []


def register_results_gate(gate: ResultsGate) -> ResultsGate:
    """Hold back the results notice of a challenge until `gate` says it is ready (registering again adds it once)."""
    if gate not in _results_gates:
        _results_gates.append(gate)
    return gate


def record_due_notices(session: Session, *, now: datetime) -> int:
    """Record the openings, near deadlines and announcements due at `now` that are not recorded yet; returns how
    many notices were recorded. Safe to run often and from several workers (one query per kind when idle)."""
    recorded = 0
    for kind, due in _due_conditions(now).items():
        already = exists().where(
            col(ChallengeNotice.challenge_id) == Challenge.id,
            col(ChallengeNotice.kind) == kind,
            col(ChallengeNotice.subject_id) == 0,
        )
        challenges = session.exec(select(Challenge).where(due, ~already).order_by(col(Challenge.id))).all()
        for challenge in challenges:
            if kind == NoticeKind.RESULTS and not all(gate(session, challenge) for gate in _results_gates):
                continue  # the date has come, but the hosts have not announced the awards yet
            if record_notice(session, challenge=challenge, kind=kind, now=now) is not None:
                recorded += 1
    return recorded


# --- delivery ----------------------------------------------------------------------------------------------------


def _link(path: str) -> str:
    return urls.absolute(path)


def unfollow_token(*, user_id: int, challenge_id: int, now: datetime) -> str:
    """A signed token that stops `user_id` following `challenge_id` (ALL_CHALLENGES: every challenge)."""
    return sign({"uid": user_id, "cid": challenge_id, "iat": int(now.timestamp())}, purpose=UNFOLLOW_PURPOSE)


def unfollow_link(*, user_id: int, challenge_id: int, now: datetime) -> str:
    return _link(f"/unfollow/{unfollow_token(user_id=user_id, challenge_id=challenge_id, now=now)}")


def digest_cutoff(now: datetime) -> datetime:
    """The latest daily digest moment at or before `now`: a daily user's news queued before it is due."""
    local = now.astimezone(DIGEST_TIMEZONE)
    moment = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if moment > local:
        moment -= timedelta(days=1)
    return moment.astimezone(UTC)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1].rstrip() + "…"


@dataclass(frozen=True)
class NoticeItem:
    """One piece of news as an email shows it."""

    kind: str
    title: str
    host: str
    timezone: str
    link: str
    closes_at: datetime | None = None
    announce_at: datetime | None = None
    question: str = ""
    answer: str = ""
    # What higher domains add to a results notice (the public vote's people's choice and its export's hash).
    details: Mapping[str, Any] = field(default_factory=dict)


# Providers of a results notice's details, registered by the domains that have them (voting), so that this domain
# never imports them: each gives the template variables for one challenge.
ResultsDetails = Callable[[Session, Challenge], Mapping[str, Any]]
_results_details: list[ResultsDetails] = []


def register_results_details(provider: ResultsDetails) -> ResultsDetails:
    """Add `provider`'s variables to every results notice (registering it again adds it once)."""
    if provider not in _results_details:
        _results_details.append(provider)
    return provider


@dataclass
class ChallengeNews:
    """A digest's news about one challenge, with its own unfollow link."""

    title: str
    link: str
    unfollow_link: str
    items: list[NoticeItem] = field(default_factory=list)


def _item(session: Session, notice: ChallengeNotice, challenge: Challenge, question: Question | None) -> NoticeItem:
    page = _link(urls.challenge(challenge.slug))
    common: dict[str, Any] = {
        "kind": str(notice.kind), "title": challenge.title, "host": challenge.host.name,
        "timezone": challenge.host.timezone, "link": page, "closes_at": challenge.submissions_close_at,
        "announce_at": challenge.announce_at,
    }  # fmt: skip
    if question is not None:
        common.update(
            link=f"{page}#question-{question.id}", question=_excerpt(question.body), answer=_excerpt(question.answer)
        )
    if notice.kind == NoticeKind.RESULTS:
        details: dict[str, Any] = {}
        for provider in _results_details:
            details |= provider(session, challenge)
        common["details"] = details
    return NoticeItem(**common)


def _shown(notice: ChallengeNotice, question: Question | None, user: User) -> bool:
    """Whether the notice is still news for `user`: an answered question that was hidden since, or that the user
    asked (the Q&A already emailed them), is left out."""
    if notice.kind != NoticeKind.QUESTION_ANSWERED:
        return True
    if question is None or question.hidden_at is not None or question.answered_at is None:
        return False
    return question.author_id != user.id


def _unsubscribe_headers(link: str) -> dict[str, str]:
    """RFC 8058 one-click: mail clients offer "Unsubscribe" and POST to the link without opening a page."""
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _send_one(session: Session, *, user: User, item: NoticeItem, challenge_id: int, now: datetime) -> None:
    assert user.id is not None  # noqa: S101  (a stored user)
    link = unfollow_link(user_id=user.id, challenge_id=challenge_id, now=now)
    outbox.enqueue_email(
        session, to=user.email, template="follow_notice", language=user.language,
        context={"display_name": user.display_name, "item": item, "unfollow_link": link,
                 "account_link": _link("/account#follows")},
        now=now, headers=_unsubscribe_headers(link),
    )  # fmt: skip


def _send_digest(session: Session, *, user: User, news: list[ChallengeNews], now: datetime) -> None:
    assert user.id is not None  # noqa: S101  (a stored user)
    link = unfollow_link(user_id=user.id, challenge_id=ALL_CHALLENGES, now=now)
    outbox.enqueue_email(
        session, to=user.email, template="follow_digest", language=user.language,
        context={"display_name": user.display_name, "news": news, "count": sum(len(n.items) for n in news),
                 "unfollow_all_link": link, "account_link": _link("/account#follows")},
        now=now, headers=_unsubscribe_headers(link),
    )  # fmt: skip


def deliver_notifications(session: Session, *, now: datetime) -> int:
    """Turn due notifications into emails in each follower's language; returns how many emails were queued.

    Immediate: one email per notification. Daily: one digest with everything queued before the latest digest
    moment (see `digest_cutoff`). Accounts we cannot email (deactivated, deleted, unconfirmed) have their waiting
    news dropped, so it never arrives late as a flood.
    """
    cutoff = digest_cutoff(now)
    waiting = col(FollowerNotification.sent_at).is_(None)
    due = and_(
        waiting,
        or_(col(User.email_frequency) == EmailFrequency.IMMEDIATE, col(FollowerNotification.created_at) <= cutoff),
    )
    user_ids = session.exec(
        select(FollowerNotification.user_id)
        .join(User, col(User.id) == FollowerNotification.user_id)
        .where(due)
        .distinct()
        .order_by(col(FollowerNotification.user_id))
        .limit(DELIVERY_BATCH)
    ).all()
    if not user_ids:
        return 0
    users_query = select(User).where(col(User.id).in_(user_ids))
    if session.get_bind().dialect.name == "postgresql":
        # Several workers may run: each takes whole users no other worker holds, so a digest is never split.
        users_query = users_query.with_for_update(skip_locked=True)
    users = {user.id: user for user in session.exec(users_query).all() if user.id is not None}
    unreachable = [
        user_id
        for user_id, user in users.items()
        if not (user.is_active and user.deleted_at is None and user.email_verified)
    ]
    if unreachable:
        session.exec(delete(FollowerNotification).where(col(FollowerNotification.user_id).in_(unreachable), waiting))
    reachable = sorted(set(users) - set(unreachable))
    if not reachable:
        session.flush()
        return 0
    rows = session.exec(
        select(FollowerNotification, ChallengeNotice, Challenge)
        .join(ChallengeNotice, col(ChallengeNotice.id) == FollowerNotification.notice_id)
        .join(Challenge, col(Challenge.id) == ChallengeNotice.challenge_id)
        .join(User, col(User.id) == FollowerNotification.user_id)
        .where(col(FollowerNotification.user_id).in_(reachable), due)
        .options(selectinload(Challenge.host))  # type: ignore[arg-type]
        .order_by(col(FollowerNotification.user_id), col(ChallengeNotice.created_at), col(ChallengeNotice.id))
    ).all()
    question_ids = {n.subject_id for _f, n, _c in rows if n.kind == NoticeKind.QUESTION_ANSWERED}
    questions = _questions(session, question_ids)

    by_user: dict[int, list[tuple[ChallengeNotice, Challenge]]] = defaultdict(list)
    for notification, notice, challenge in rows:
        by_user[notification.user_id].append((notice, challenge))
    queued = 0
    for user_id, items in by_user.items():
        user = users[user_id]
        shown = [
            (notice, challenge, questions.get(notice.subject_id))
            for notice, challenge in items
            if _shown(notice, questions.get(notice.subject_id), user)
        ]
        if not shown:
            continue
        if user.email_frequency == EmailFrequency.DAILY:
            _send_digest(session, user=user, news=_group(session, shown, user_id=user_id, now=now), now=now)
            queued += 1
            continue
        for notice, challenge, question in shown:
            _send_one(
                session,
                user=user,
                item=_item(session, notice, challenge, question),
                challenge_id=_id(challenge),
                now=now,
            )
            queued += 1
    sent_ids = [notification.id for notification, _n, _c in rows]
    session.exec(update(FollowerNotification).where(col(FollowerNotification.id).in_(sent_ids)).values(sent_at=now))
    session.flush()
    return queued


def _questions(session: Session, ids: set[int]) -> dict[int, Question]:
    if not ids:
        return {}
    rows = session.exec(select(Question).where(col(Question.id).in_(sorted(ids)))).all()
    return {question.id: question for question in rows if question.id is not None}


def _group(
    session: Session,
    shown: Sequence[tuple[ChallengeNotice, Challenge, Question | None]],
    *,
    user_id: int,
    now: datetime,
) -> list[ChallengeNews]:
    """The digest's news grouped by challenge, in the order the news came."""
    grouped: dict[int, ChallengeNews] = {}
    for notice, challenge, question in shown:
        challenge_id = _id(challenge)
        if challenge_id not in grouped:
            grouped[challenge_id] = ChallengeNews(
                title=challenge.title,
                link=_link(urls.challenge(challenge.slug)),
                unfollow_link=unfollow_link(user_id=user_id, challenge_id=challenge_id, now=now),
            )
        grouped[challenge_id].items.append(_item(session, notice, challenge, question))
    return list(grouped.values())


# --- unfollowing by the link in an email -------------------------------------------------------------------------


@dataclass(frozen=True)
class UnfollowLink:
    """What an unfollow link is about: one challenge (or every one, from a digest), and whether it is followed."""

    user_id: int
    challenge: Challenge | None
    following: int  # how many of the link's follows still exist


def _read_unfollow_token(session: Session, *, token: str, now: datetime) -> tuple[int, Challenge | None]:
    refused = accounts.LinkRefused(
        _("This unfollow link is invalid or too old. Sign in and stop following from your account page instead.")
    )
    max_age = UNFOLLOW_LINK_DAYS * 24 * 3600
    try:
        payload = unsign(token, purpose=UNFOLLOW_PURPOSE, max_age_seconds=max_age)
    except (LinkExpired, LinkInvalid):
        raise refused from None
    user_id, challenge_id, issued = payload.get("uid"), payload.get("cid"), payload.get("iat")
    if not isinstance(user_id, int) or not isinstance(challenge_id, int) or not isinstance(issued, int):
        raise refused
    if now.timestamp() - issued > max_age:
        raise refused
    if session.get(User, user_id) is None:
        raise refused
    if challenge_id == ALL_CHALLENGES:
        return user_id, None
    challenge = session.get(Challenge, challenge_id)
    if challenge is None:
        raise refused
    return user_id, challenge


def _follow_count(session: Session, *, user_id: int, challenge: Challenge | None) -> int:
    query = select(func.count()).select_from(Follow).where(col(Follow.user_id) == user_id)
    if challenge is not None:
        query = query.where(col(Follow.challenge_id) == challenge.id)
    return int(session.exec(query).one())


def check_unfollow_link(session: Session, *, token: str, now: datetime) -> UnfollowLink:
    """What an unfollow link would stop (for its confirmation page); raises LinkRefused for a bad or old link."""
    user_id, challenge = _read_unfollow_token(session, token=token, now=now)
    return UnfollowLink(user_id=user_id, challenge=challenge, following=_follow_count(session, user_id=user_id,
                                                                                      challenge=challenge))  # fmt: skip


def unfollow_by_link(session: Session, *, token: str, now: datetime) -> UnfollowLink:
    """Stop what the link names, without signing in; using a link again changes nothing and is no error."""
    user_id, challenge = _read_unfollow_token(session, token=token, now=now)
    ended = _stop_following(session, user_id=user_id, challenge_id=challenge.id if challenge else None)
    return UnfollowLink(user_id=user_id, challenge=challenge, following=ended)


# --- personal data -----------------------------------------------------------------------------------------------


def export_follows(session: Session, user: User) -> dict[str, Any]:
    """The challenges a user follows and the follow news queued or sent to them, for their data export (GDPR)."""
    follows = session.exec(
        select(Follow, Challenge)
        .join(Challenge, col(Challenge.id) == Follow.challenge_id)
        .where(col(Follow.user_id) == user.id)
        .order_by(col(Follow.created_at))
    ).all()
    notifications = session.exec(
        select(FollowerNotification, ChallengeNotice, Challenge)
        .join(ChallengeNotice, col(ChallengeNotice.id) == FollowerNotification.notice_id)
        .join(Challenge, col(Challenge.id) == ChallengeNotice.challenge_id)
        .where(col(FollowerNotification.user_id) == user.id)
        .order_by(col(FollowerNotification.created_at), col(FollowerNotification.id))
    ).all()
    return {
        "challenges": [
            {"challenge": c.slug, "title": c.title, "since": f.created_at.isoformat()} for f, c in follows
        ],
        "notifications": [
            {"challenge": c.slug, "kind": str(notice.kind), "queued_at": n.created_at.isoformat(),
             "sent_at": n.sent_at.isoformat() if n.sent_at else None}
            for n, notice, c in notifications
        ],
    }  # fmt: skip


def forget_follows(session: Session, user: User) -> None:
    """A deleted account follows nothing and has no follow news, sent or waiting."""
    session.exec(delete(Follow).where(col(Follow.user_id) == user.id))
    session.exec(delete(FollowerNotification).where(col(FollowerNotification.user_id) == user.id))
    session.flush()


gdpr.register_exporter("follows", export_follows)
gdpr.register_anonymiser(forget_follows)
