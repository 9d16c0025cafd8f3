"""The same text posted twice is stored once: a double-click, a retried request or a script firing one comment or
question many times at once keeps one row, on every database.

A post carries a `fingerprint` (a hash of its normalised text and of where it is posted), and its table has a
unique key on (author, target, fingerprint), so the database itself settles a race: the second insert waits for
the first transaction and then fails on the key, whatever the isolation level and however the transaction began.
The key is held by the latest post of that text for `WINDOW`; a later identical post takes it over from an older
holder, so the same words may be said again after a while. A post whose author is gone (author NULL) or whose
fingerprint was cleared (deleted by its author) holds no key: NULLs are never equal in a unique index."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.errors import Conflict

# Long enough for a double-click, a client's retries and a flood; short enough that "Thanks!" can be said again.
WINDOW = timedelta(minutes=10)


class DuplicatePost(Conflict):
    """The same author posted the same text on the same target a moment ago; `existing_id` names that post."""

    type, title = "duplicate-post", "Already posted"

    def __init__(self, detail: str, *, existing_id: int) -> None:
        super().__init__(detail, existing_id=existing_id)
        self.existing_id = existing_id


class Post(Protocol):
    """The columns a deduplicated post has (its table's unique key includes `fingerprint`)."""

    id: int | None
    created_at: datetime
    fingerprint: str | None


PostT = TypeVar("PostT", bound=Post)


def fingerprint(text: str, *where: object) -> str:
    """A hash of `text` as a reader sees it (Unicode-normalised, case-folded, runs of white space as one) and of
    `where` it is posted (e.g. the comment it replies to), for the table's unique key."""
    normalised = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    scope = "\x1f".join(str(part) for part in where)
    return hashlib.sha256(f"{scope}\x1e{normalised}".encode()).hexdigest()


def add_once(
    session: Session, post: PostT, *, key: Sequence[str], now: datetime, message: str, window: timedelta = WINDOW
) -> PostT:
    """Store `post` (its fingerprint set), or raise `DuplicatePost` when the row holding the same `key` (its
    table's unique columns, by name) was posted within `window` before `now`; an older holder gives the key up."""
    model: Any = type(post)
    holder_of_key = [getattr(model, name) == getattr(post, name) for name in key]
    for _attempt in range(3):
        try:
            with session.begin_nested():  # only this insert is undone when the key is taken
                session.add(post)
                session.flush()
            return post
        except IntegrityError:
            holder: PostT | None = session.exec(select(model).where(*holder_of_key)).first()
            if holder is None:  # another constraint failed, not the key
                raise
        if holder.id is not None and holder.created_at > now - window:
            raise DuplicatePost(message, existing_id=holder.id)
        holder.fingerprint = None  # said long enough ago: the new post holds the key from now on
        session.add(holder)
        session.flush()
    # Three takeovers lost in a row to other identical posts: one of them is the post.
    raise DuplicatePost(message, existing_id=_holder_id(session, model, holder_of_key))


def _holder_id(session: Session, model: Any, holder_of_key: list[Any]) -> int:
    found: int | None = session.exec(select(model.id).where(*holder_of_key)).first()
    return found or 0
