"""A concept's attachments: checked by content, stored in the database, served as downloads."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session, select

from app.actor import Actor
from app.challenges.models import Challenge, FileType
from app.db import get_engine
from app.errors import (
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
)
from app.i18n import gettext as _
from app.kit import images
from app.submissions import permissions
from app.submissions import service as submissions
from app.submissions.models import (
    Attachment,
    AttachmentContent,
    Submission,
    SubmissionVersion,
)

MAX_ATTACHMENTS = 5


def check_chosen(filename: str | None) -> str:
    """Refuse (422) an upload form sent without a file."""
    if not filename:
        raise ValidationFailed(_("Choose a file."), errors={"file": _("Choose a file to upload.")})
    return filename


def upload_limit(challenge: Challenge) -> int:
    """The largest file the challenge accepts, in bytes."""
    return challenge.max_file_mb * 1024 * 1024


def upload_limit_before_reading(path_params: Mapping[str, str]) -> int | None:
    """The challenge's file limit for an upload to `/challenges/{slug}/…`, looked up before its body is read.

    It reads in a session of its own (the request's begins only after the body is read). A challenge's file
    rules freeze when submissions open, so the limit read here is the one the upload is later checked against.
    """
    with Session(get_engine()) as session:
        max_file_mb = session.exec(select(Challenge.max_file_mb).where(Challenge.slug == path_params["slug"])).first()
    return None if max_file_mb is None else max_file_mb * 1024 * 1024


def _zip_type(content: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").strip()
                if mimetype == submissions.CONTENT_TYPES[FileType.ODT].encode():
                    return FileType.ODT
                if mimetype == submissions.CONTENT_TYPES[FileType.ODP].encode():
                    return FileType.ODP
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return FileType.DOCX
                if "ppt/presentation.xml" in names:
                    return FileType.PPTX
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError):
        return None
    return None


_IMAGE_TYPES = {"image/png": FileType.PNG, "image/jpeg": FileType.JPG, "image/webp": FileType.WEBP}


def file_type(content: bytes) -> FileType | None:
    """The type of `content`, judged by its bytes (never by the file name or the browser's word)."""
    if content.startswith(b"%PDF-"):
        return FileType.PDF
    image = images.content_type_of(content)
    if image is not None:
        return _IMAGE_TYPES[image]
    if content.startswith(b"PK\x03\x04"):
        return _zip_type(content)
    return None


_UNSAFE = re.compile(r'[<>:"|?*]')


def clean_filename(name: str) -> str:
    """The file's own name, without folders, control characters or characters file systems refuse."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip().strip(".").strip()
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = (stem[:190] + dot + extension[:9]) if dot and len(extension) < 10 else name[:200]
    return name or "attachment"


def add_attachment(
    session: Session,
    *,
    actor: Actor,
    challenge: Challenge,
    submission: Submission,
    filename: str,
    content: bytes,
    now: datetime,
) -> Attachment:
    """Attach a file to the working copy; its type is checked by content against what the challenge allows."""
    submissions.require_member(actor, submission, challenge, now)
    if len(content) > upload_limit(challenge):
        raise PayloadTooLarge(_("The file is larger than %(size)d MB.") % {"size": challenge.max_file_mb})
    kind = file_type(content)
    allowed = [FileType(value) for value in challenge.allowed_file_types]
    if kind is None or kind not in allowed:
        raise UnsupportedMediaType(
            _("This challenge accepts only these file types: %(types)s.")
            % {"types": ", ".join(value.upper() for value in allowed)}
        )
    submissions.lock_submission(session, submission)
    if len(submissions.working_attachments(session, submission=submission)) >= MAX_ATTACHMENTS:
        raise submissions.LimitReached(
            _("A concept can have at most %(count)d files. Remove one first.") % {"count": MAX_ATTACHMENTS}
        )
    attachment = Attachment(
        submission_id=submission.id,  # type: ignore[arg-type]
        filename=clean_filename(filename),
        content_type=submissions.CONTENT_TYPES[kind],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by_id=actor.user_id,
        created_at=now,
    )
    session.add(attachment)
    session.flush()
    session.add(AttachmentContent(attachment_id=attachment.id, content=content))  # type: ignore[arg-type]
    submission.updated_at = now
    session.add(submission)
    session.flush()
    submissions.record(
        session,
        actor=actor,
        submission=submission,
        challenge=challenge,
        action="submission.attachment.add",
        now=now,
        after={
            "attachment_id": attachment.id,
            "filename": attachment.filename,
            "content_type": attachment.content_type,
            "size": attachment.size,
        },
    )
    return attachment


def remove_attachment(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, attachment_id: int, now: datetime
) -> Attachment:
    """Take a file off the working copy; submissions.versions that list it keep it."""
    submissions.require_member(actor, submission, challenge, now)
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.submission_id != submission.id or attachment.removed_at is not None:
        raise NotFound(_("No such file."))
    attachment.removed_at = now
    submission.updated_at = now
    session.add_all([attachment, submission])
    session.flush()
    submissions.record(
        session,
        actor=actor,
        submission=submission,
        challenge=challenge,
        action="submission.attachment.remove",
        now=now,
        before={"attachment_id": attachment.id, "filename": attachment.filename},
    )
    return attachment


def attachment_for_download(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, attachment_id: int
) -> tuple[Attachment, bytes]:
    """A file and its bytes, for whoever may see a text that lists it: the team any of its files, the hosts any
    submitted submissions.version's, the public the newest submissions.version's."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.submission_id != submission.id:
        raise NotFound(_("No such file."))
    if not permissions.is_member(actor, submission):
        if permissions.can_see_history(actor, submission, challenge):
            listed = session.exec(
                select(SubmissionVersion.attachment_ids).where(SubmissionVersion.submission_id == submission.id)
            ).all()
        else:
            newest = submissions.newest_versions(session, submission_ids=[submission.id or 0]).get(submission.id or 0)
            listed = [newest.attachment_ids] if newest else []
        if not any(attachment_id in ids for ids in listed):
            raise NotFound(_("No such file."))
    content = session.get(AttachmentContent, attachment_id)
    assert content is not None  # noqa: S101  (written with its attachment)
    return attachment, content.content
