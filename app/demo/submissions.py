"""Demo concepts: teams with drafts, submitted versions, attachments and a withdrawal; a gallery long enough to
page, with covers; comments with replies, feedback, reports and a hidden comment; submission settings and terms, the
team finder and a request to join a team.

The concepts and their talk are written straight into the tables, as if their teams had worked on them while the
challenges were open (the services refuse writes after a deadline, and settings freeze once submissions open, which
is right for people, not for history), and with no emails and no audit entries in the name of demo people.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.challenges.models import Challenge
from app.challenges.phases import Phase, phase_of
from app.demo.base import cover_for, id_of, opened_challenge, users_by_email
from app.demo.challenges import CHALLENGE_MARKER_SLUG
from app.demo.organizations import colour_of
from app.organizations.models import Membership
from app.submissions.models import (
    Attachment,
    AttachmentContent,
    Comment,
    Feedback,
    JoinRequest,
    MemberRole,
    Report,
    ReportTarget,
    Submission,
    SubmissionCover,
    SubmissionMember,
    SubmissionStatus,
    SubmissionVersion,
    TeammateSearch,
)

# (challenge slug, lead, other members, title, versions submitted, withdrawn, files): members have accepted the
# terms when the concept was submitted; drafts wait for some. Concepts on challenges not yet open are skipped.
SUBMISSIONS: tuple[tuple[str, str, tuple[str, ...], str, int, bool, tuple[str, ...]], ...] = (
    (
        "baerekraftig-sentrumshandel",
        "nora.dahl@example.org",
        ("jonas.aasen@example.org",),
        "Pop-up-gata: tomme lokaler som verksteder",
        2,
        False,
        ("pdf", "png"),
    ),
    (
        "baerekraftig-sentrumshandel",
        "emma.solberg@example.org",
        (),
        "Handlerunden: en app for lokale tilbud",
        1,
        False,
        ("pdf",),
    ),
    (
        "baerekraftig-sentrumshandel",
        "sander.kristiansen@example.org",
        ("ida.halvorsen@example.org",),
        "Bytteboden i Storgata",
        0,
        False,
        (),
    ),
    ("baerekraftig-sentrumshandel", "mohammed.ali@example.org", (), "Lørdagsmarked hele året", 1, True, ()),
    (
        "smartere-mobilitet",
        "elsa.nilsson@example.org",
        ("oscar.persson@example.org", "maja.karlsson@example.org"),
        "Cykelbussen: trygg väg till skolan",
        2,
        False,
        ("pdf", "png"),
    ),
    ("smartere-mobilitet", "liam.murphy@example.org", (), "Shared e-bikes for shift workers", 1, False, ("png",)),
    ("smartere-mobilitet", "nora.dahl@example.org", (), "Gåvennlige snarveier", 0, False, ()),
    (
        "flere-unge-i-jobb",
        "jonas.aasen@example.org",
        ("emma.solberg@example.org",),
        "Sommerjobb-broen",
        1,
        False,
        ("pdf",),
    ),
    ("flere-unge-i-jobb", "ida.halvorsen@example.org", (), "Mentor i lomma", 2, False, ()),
    # More concepts for the jury that is half-way through its review.
    ("flere-unge-i-jobb", "nora.dahl@example.org", (), "Lærlingbørsen", 1, False, ()),
    ("flere-unge-i-jobb", "sander.kristiansen@example.org", (), "Jobbspeed på biblioteket", 1, False, ()),
    (
        "flere-unge-i-jobb",
        "mohammed.ali@example.org",
        ("ole.johansen@halden.example",),
        "CV-verksted med næringslivet",
        1,
        False,
        (),
    ),
    ("flere-unge-i-jobb", "elsa.nilsson@example.org", (), "Sommarjobb i kommunen", 1, False, ()),
    ("flere-unge-i-jobb", "liam.murphy@example.org", (), "First job portfolio", 1, False, ()),
    (
        "virtuell-korttidsavdeling",
        "sander.kristiansen@example.org",
        ("mohammed.ali@example.org",),
        "Hjemme med nettbrett og nattevakt",
        1,
        False,
        ("pdf",),
    ),
    ("samskapingshuset", "maja.karlsson@example.org", (), "Ett rum för alla föreningar", 1, False, ("png",)),
    # Concepts in the public votes (the demo's ballots are cast on them).
    ("virtuell-korttidsavdeling", "elsa.nilsson@example.org", (), "Pårørendeappen", 1, False, ()),
    ("virtuell-korttidsavdeling", "jonas.aasen@example.org", (), "Trygghetsalarm med video", 2, False, ()),
    ("virtuell-korttidsavdeling", "ida.halvorsen@example.org", (), "Første natt hjemme-pakken", 1, False, ()),
    ("virtuell-korttidsavdeling", "liam.murphy@example.org", (), "Medication reminders by text", 1, False, ()),
    (
        "energismarte-hjem",
        "nora.dahl@example.org",
        ("emma.solberg@example.org",),
        "Strømsparekampen i borettslaget",
        1,
        False,
        ("pdf",),
    ),
    ("energismarte-hjem", "sander.kristiansen@example.org", (), "Varmepumpe-dugnad", 1, False, ()),
    ("energismarte-hjem", "maja.karlsson@example.org", (), "Energicoachen på biblioteket", 2, False, ()),
    ("energismarte-hjem", "oscar.persson@example.org", (), "Smarta elmätare för hyresgäster", 1, False, ()),
    ("energismarte-hjem", "mohammed.ali@example.org", (), "Solceller på skoletaket", 1, False, ("png",)),
    ("energismarte-hjem", "liam.murphy@example.org", (), "Heat loss maps from drone photos", 1, False, ()),
    ("biblioteket-som-moteplass", "emma.solberg@example.org", (), "Leksehjelp-kvelder med naboer", 1, False, ()),
    (
        "biblioteket-som-moteplass",
        "jonas.aasen@example.org",
        ("nora.dahl@example.org",),
        "Reparasjonskafé",
        2,
        False,
        (),
    ),
    ("biblioteket-som-moteplass", "elsa.nilsson@example.org", (), "Spillkveld för alla åldrar", 1, False, ()),
    ("biblioteket-som-moteplass", "ida.halvorsen@example.org", (), "Språkkafé på fredager", 1, False, ()),
    ("biblioteket-som-moteplass", "oscar.persson@example.org", (), "Verktøybiblioteket", 1, False, ()),
    (
        "gronnare-skolgardar",
        "oscar.persson@example.org",
        ("liam.murphy@example.org",),
        "Skolgårdsodlingen",
        0,
        False,
        (),
    ),
)


def demo_pdf(title: str) -> bytes:
    """A small, valid one-page PDF with `title` on it (ASCII only), made here rather than downloaded."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def submissions_loaded(session: Session) -> bool:
    """True when the demo concepts are in the database."""
    marker = select(Challenge.id).where(Challenge.slug == CHALLENGE_MARKER_SLUG).scalar_subquery()
    return session.exec(select(Submission.id).where(col(Submission.challenge_id) == marker)).first() is not None


def _lead(user: User, moment: datetime) -> SubmissionMember:
    """The team lead, who accepted the terms when starting the concept."""
    return SubmissionMember(user_id=id_of(user), role=MemberRole.LEAD, joined_at=moment, terms_accepted_at=moment)


def _version(
    submission: Submission, number: int, *, by: User, at: datetime, attachment_ids: list[int], first_draft: bool
) -> SubmissionVersion:
    """Version `number` of the concept as submitted at `at`; a first draft is titled so and has a shorter body."""
    return SubmissionVersion(
        submission_id=id_of(submission),
        number=number,
        title=f"{submission.title} (første utkast)" if first_draft else submission.title,
        summary=submission.summary,
        body=submission.body.split("- hvem")[0] if first_draft else submission.body,
        team_name=submission.team_name,
        attachment_ids=attachment_ids,
        submitted_by_id=id_of(by),
        created_at=at,
    )


def _attach(session: Session, submission: Submission, index: int, kind: str, *, by: User, at: datetime) -> int:
    """Store a generated PDF or PNG file on the concept; returns the attachment's id."""
    colour = (40 + index * 15 % 200, 110, 90)
    content = demo_pdf(submission.title) if kind == "pdf" else cover_for(index, colour, 240, 120)
    attachment = Attachment(
        submission_id=id_of(submission),
        filename=f"{submission.title[:60]}.{kind}",
        content_type="application/pdf" if kind == "pdf" else "image/png",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by_id=id_of(by),
        created_at=at,
    )
    session.add(attachment)
    session.flush()
    session.add(AttachmentContent(attachment_id=id_of(attachment), content=content))
    return id_of(attachment)


def load_submissions(session: Session, *, now: datetime) -> None:
    """A dozen concepts: drafts, submitted ones with one or two versions and files, and a withdrawn one."""
    users = users_by_email(session, (email for spec in SUBMISSIONS for email in (spec[1], *spec[2])))
    for index, (slug, lead, members, title, versions, withdrawn, files) in enumerate(SUBMISSIONS):
        opened = opened_challenge(session, slug, now=now)
        if opened is None:
            continue
        challenge, opens_at = opened
        moment = min(now, opens_at + timedelta(days=2, hours=index))
        submission = Submission(
            challenge_id=id_of(challenge),
            title=title,
            summary=f"{title}: et konsept fra innbyggere til «{challenge.title}».",
            body=f"## Problemet\n{challenge.summary}\n\n## Ideen\n{title}. Vi vil teste ideen i liten skala først.\n\n"
            "- hvem: innbyggere og lag\n- når: i løpet av et halvt år\n",
            team_name=f"Team {title.split()[0].rstrip(':')}",
            created_by_id=id_of(users[lead]),
            created_at=moment,
            updated_at=moment,
        )
        accepted = moment if versions else None
        submission.members = [_lead(users[lead], moment)] + [
            SubmissionMember(user_id=id_of(users[email]), joined_at=moment, terms_accepted_at=accepted)
            for email in members
        ]
        session.add(submission)
        session.flush()
        attachment_ids = [_attach(session, submission, index, kind, by=users[lead], at=moment) for kind in files]
        for number in range(1, versions + 1):
            submitted = min(now, moment + timedelta(days=number))
            session.add(
                _version(
                    submission,
                    number,
                    by=users[lead],
                    at=submitted,
                    attachment_ids=attachment_ids,
                    first_draft=number != versions,
                )
            )
            submission.submitted_at = submitted
        if versions:
            submission.version_count = versions
            submission.status = SubmissionStatus.WITHDRAWN if withdrawn else SubmissionStatus.SUBMITTED
            submission.withdrawn_at = now if withdrawn else None
        session.add(submission)
        session.flush()


# --- a gallery that paginates, with covers ------------------------------------------------------------------------

# More concepts for the marker challenge, so its gallery (12 cards a page) runs to a second page: (title, summary).
GALLERY_CONCEPTS: tuple[tuple[str, str], ...] = (
    ("Reparasjonskafé hver torsdag", "Frivillige fikser klær, sykler og lamper i et tomt butikklokale."),
    ("Sentrumskortet", "Ett kort med rabatter hos lokale butikker, betalt av kommunen i et prøveår."),
    ("Grønne bakgårder", "Bakgårdene bak Storgata blir små parker med benker og plantekasser."),
    ("Kveldsåpent på fredager", "Butikkene holder åpent til ni med musikk og matboder i gata."),
    ("Lokalt levert", "Sykkelbud bringer varer fra sentrumsbutikkene hjem samme dag."),
    ("Studentverkstedet", "Studenter låner tomme lokaler gratis mot å holde dem åpne for publikum."),
    ("Torget som stue", "Flyttbare møbler og tak over deler av torget gjør det til et sted å være."),
    ("Butikkvandring for nye innbyggere", "En guidet runde som viser nyinnflyttede hva sentrum har."),
    ("Delingsbiblioteket", "Lån verktøy, telt og kjøkkenmaskiner på biblioteket i stedet for å kjøpe."),
    ("Barnas handlegate", "En lørdag i måneden stenges gata for biler og blir lekeplass."),
    ("Sentrum på skjermen", "Et kart som viser ledige lokaler og hva de kan brukes til."),
    ("Gjenbrukstorget", "Et fast marked for brukte varer, drevet av lag og foreninger."),
    ("Lysløypa gjennom byen", "Belysning og kunst langs en gangrute som binder sentrum sammen."),
    ("Pop-up-kontor", "Kontorplasser i tomme butikker for dem som jobber hjemmefra."),
)


def gallery_loaded(session: Session) -> bool:
    """True when the extra gallery concepts are in the database."""
    return session.exec(select(Submission.id).where(Submission.title == GALLERY_CONCEPTS[0][0])).first() is not None


def load_gallery(session: Session, *, now: datetime) -> None:
    """Submitted concepts (every other with a generated cover, every fifth anonymous) on the marker challenge, and
    covers for two of the older demo concepts."""
    opened = opened_challenge(session, CHALLENGE_MARKER_SLUG, now=now)
    if opened is None:
        return
    challenge, opens_at = opened
    by_email = users_by_email(session, (spec[1] for spec in SUBMISSIONS))
    users = [by_email[email] for email in sorted(by_email)]
    if not users:
        return
    colour = colour_of(challenge.host.slug)

    def add_cover(submission: Submission, index: int) -> None:
        content = cover_for(index, colour)
        digest = hashlib.sha256(content).hexdigest()
        session.add(
            SubmissionCover(
                submission_id=id_of(submission),
                content=content,
                content_type="image/png",
                sha256=digest,
                updated_at=now,
            )
        )
        submission.cover_sha256 = digest
        session.add(submission)

    for index, (title, summary) in enumerate(GALLERY_CONCEPTS):
        lead = users[index % len(users)]
        moment = min(now, opens_at + timedelta(days=3, hours=5 * index))
        submission = Submission(
            challenge_id=id_of(challenge),
            title=title,
            summary=summary,
            body=f"## Ideen\n{summary}\n\n## Hvordan\nVi prøver i tre måneder og måler hvor mange som kommer.\n",
            team_name=f"Lag {title.split()[0]}",
            anonymous=index % 5 == 4,
            created_by_id=id_of(lead),
            status=SubmissionStatus.SUBMITTED,
            version_count=1,
            submitted_at=moment,
            created_at=moment,
            updated_at=moment,
        )
        submission.members = [_lead(lead, moment)]
        session.add(submission)
        session.flush()
        session.add(_version(submission, 1, by=lead, at=moment, attachment_ids=[], first_draft=False))
        if index % 2 == 0:
            add_cover(submission, index + 3)
    older = ("Pop-up-gata: tomme lokaler som verksteder", "Cykelbussen: trygg väg till skolan")
    for index, found in enumerate(session.exec(select(Submission).where(col(Submission.title).in_(older))).all()):
        if found.cover_sha256 is None:
            add_cover(found, index + 1)
    session.flush()


# --- comments, feedback and reports ------------------------------------------------------------------------------

# (concept title, author, text, replies as (author, text)): Norwegian and Swedish talk under public demo concepts.
COMMENTS: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Pop-up-gata: tomme lokaler som verksteder",
        "emma.solberg@example.org",
        "Flott idé! Hvem betaler husleien mens lokalene står som verksteder?",
        (
            ("nora.dahl@example.org", "Gårdeierne får lavere eiendomsskatt i prøveperioden, det er tanken."),
            ("ida.halvorsen@example.org", "Vi har et tomt lokale i Storgata 12 som kan passe."),
        ),
    ),
    (
        "Pop-up-gata: tomme lokaler som verksteder",
        "mohammed.ali@example.org",
        "Kunne verkstedene også holde åpent på lørdager?\nDa kommer det flere barnefamilier.",
        (),
    ),
    (
        "Sommerjobb-broen",
        "sander.kristiansen@example.org",
        "Bedriftene i Halden trenger sommervikarer. Hvordan finner de ungdommene?",
        (("jonas.aasen@example.org", "Gjennom en enkel liste på skolene og en kontaktperson i NAV."),),
    ),
    (
        "Cykelbussen: trygg väg till skolan",
        "maja.karlsson@example.org",
        "Vi provade något liknande i vår stadsdel. Föräldrarna turades om att cykla först.",
        (("elsa.nilsson@example.org", "Tack! Hur många barn var med som mest?"),),
    ),
    (
        "Ett rum för alla föreningar",
        "oscar.persson@example.org",
        "Bra förslag. Vem ansvarar för nycklarna på kvällarna?",
        (),
    ),
)
# (concept title, text): private feedback from an editor of the concept's host.
FEEDBACK: tuple[tuple[str, str], ...] = (
    (
        "Pop-up-gata: tomme lokaler som verksteder",
        "Et sterkt konsept. Vis gjerne hva et prøveår koster kommunen, og hvem som har ansvaret for lokalene.",
    ),
)
# (concept title, comment index in COMMENTS or None for the concept, reporter, reason): left open for the hosts.
REPORTS: tuple[tuple[str, int | None, str, str], ...] = (
    (
        "Cykelbussen: trygg väg till skolan",
        None,
        "liam.murphy@example.org",
        "Liknar ett konsept som redan finns i en annan kommun.",
    ),
    ("Pop-up-gata: tomme lokaler som verksteder", 1, "jonas.aasen@example.org", "Utenfor tema, synes jeg."),
)
HIDDEN_COMMENT = (
    "Sommerjobb-broen",
    "liam.murphy@example.org",
    "Kjøp billige solbriller på min nettside!",
    "Reklame for en nettbutikk.",
)


def comments_loaded(session: Session) -> bool:
    """True when the demo comments are in the database."""
    return session.exec(select(Comment.id).where(Comment.body == COMMENTS[0][2])).first() is not None


def load_comments(session: Session, *, now: datetime) -> None:
    """Comments with replies, a piece of feedback, two open reports and a hidden comment."""
    titles = {spec[0] for spec in COMMENTS} | {HIDDEN_COMMENT[0]}
    statement = select(Submission).where(col(Submission.title).in_(sorted(titles)), col(Submission.version_count) > 0)
    concepts = {row.title: row for row in session.exec(statement).all()}
    emails = {spec[1] for spec in COMMENTS} | {r[0] for spec in COMMENTS for r in spec[3]}
    users = users_by_email(session, emails | {spec[2] for spec in REPORTS} | {HIDDEN_COMMENT[1]})
    written: list[Comment | None] = []
    for index, (title, author, text, replies) in enumerate(COMMENTS):
        concept = concepts.get(title)
        if concept is None or author not in users:
            written.append(None)
            continue
        moment = min(now, (concept.submitted_at or now) + timedelta(hours=3 + index))
        top = Comment(submission_id=id_of(concept), author_id=id_of(users[author]), body=text, created_at=moment)
        session.add(top)
        session.flush()
        written.append(top)
        for number, (replier, answer) in enumerate(replies, start=1):
            if replier in users:
                reply = Comment(
                    submission_id=id_of(concept),
                    author_id=id_of(users[replier]),
                    parent_id=top.id,
                    body=answer,
                    created_at=min(now, moment + timedelta(hours=number)),
                )
                session.add(reply)
    for title, text in FEEDBACK:
        concept = concepts.get(title)
        challenge = session.get(Challenge, concept.challenge_id) if concept else None
        editor = session.exec(
            select(User)
            .join(Membership, col(Membership.user_id) == User.id)
            .where(col(Membership.organization_id) == (challenge.host_id if challenge else None))
            .order_by(col(Membership.id))
        ).first()
        if concept is not None and editor is not None:
            at = min(now, (concept.submitted_at or now) + timedelta(days=1))
            session.add(Feedback(submission_id=id_of(concept), author_id=id_of(editor), body=text, created_at=at))
    for title, comment_index, reporter, reason in REPORTS:
        concept = concepts.get(title)
        comment = written[comment_index] if comment_index is not None else None
        if concept is None or reporter not in users or (comment_index is not None and comment is None):
            continue
        report = Report(
            challenge_id=concept.challenge_id,
            target_type=ReportTarget.COMMENT if comment else ReportTarget.SUBMISSION,
            target_id=(comment.id if comment is not None else concept.id) or 0,
            reporter_id=id_of(users[reporter]),
            reason=reason,
            created_at=now,
        )
        session.add(report)
    title, author, text, reason = HIDDEN_COMMENT
    concept = concepts.get(title)
    if concept is not None and author in users:
        hidden = Comment(
            submission_id=id_of(concept),
            author_id=id_of(users[author]),
            body=text,
            created_at=now,
            hidden_at=now,
            hidden_reason=reason,
        )
        session.add(hidden)
    session.flush()


# --- submission settings, the team finder and a join request -----------------------------------------------------

# When each challenge's concepts become public, and its own terms for participants (the others keep the defaults).
SUBMISSION_SETTINGS: dict[str, tuple[str, str]] = {
    CHALLENGE_MARKER_SLUG: (
        "at-submission",
        "Halden kommune kan bruke ideene fritt i arbeidet med sentrum. Teamet "
        "beholder opphavsretten og blir **navngitt** når ideen brukes.",
    ),
    "smartere-mobilitet": (
        "after-review",
        "Konseptene publiseres når juryen er ferdig. Kommunene kan bruke dem i "
        "anbud om ny mobilitet, og teamet blir spurt først.",
    ),
    "virtuell-korttidsavdeling": (
        "never",
        "Konseptene berører helsetjenester og vises bare for teamet og kommunen. "
        "Ikke skriv inn opplysninger om enkeltpasienter.",
    ),
    "trygga-och-levande-stadsdelar": (
        "after-review",
        "Helsingborgs stad får använda idéerna i stadsdelsarbetet. Teamet nämns när en idé används.",
    ),
}
# (challenge, email, note) on open challenges; the first leads a draft there, so the entry speaks for the team.
TEAM_FINDER: tuple[tuple[str, str, str], ...] = (
    (
        "smartere-mobilitet",
        "nora.dahl@example.org",
        "Vi trenger en som kan kart og trafikkdata, og gjerne en som har snakket med foreldre om skoleveien.",
    ),
    ("smartere-mobilitet", "ida.halvorsen@example.org", "Økonom. Kan regne på kostnader og søke om tilskudd."),
    ("smartere-mobilitet", "mohammed.ali@example.org", "Sykler til jobben hver dag og kan teste ideer i praksis."),
    (
        "open-data-for-everyday-services",
        "elsa.nilsson@example.org",
        "Tjänstedesigner med erfarenhet av intervjuer och workshops med invånare.",
    ),
    (
        "open-data-for-everyday-services",
        "oscar.persson@example.org",
        "Jag kodar (Python, lite JavaScript) och gör gärna en prototyp på öppna data.",
    ),
)
JOIN_REQUEST = ("ida.halvorsen@example.org", "Hei! Jeg kan ta budsjettet og søknaden om tilskudd.")


def team_finder_loaded(session: Session) -> bool:
    """True when the demo's submission settings (and with them the team finder) are in the database."""
    terms = session.exec(select(Challenge.terms_text).where(Challenge.slug == CHALLENGE_MARKER_SLUG)).first()
    return terms is None or terms != ""


def load_team_finder(session: Session, *, now: datetime) -> None:
    """Varied submission settings and terms, a few team-finder entries with Norwegian and Swedish notes on open
    challenges, and one pending request to join the first entry's draft team."""
    slugs = sorted(set(SUBMISSION_SETTINGS) | {slug for slug, _email, _note in TEAM_FINDER})
    rows = {row.slug: row for row in session.exec(select(Challenge).where(col(Challenge.slug).in_(slugs))).all()}
    for slug, (visibility, terms) in SUBMISSION_SETTINGS.items():
        if slug in rows:
            rows[slug].submissions_public, rows[slug].terms_text = visibility, terms  # type: ignore[assignment]
            session.add(rows[slug])
    users = users_by_email(session, {email for _slug, email, _note in TEAM_FINDER} | {JOIN_REQUEST[0]})
    for index, (slug, email, note) in enumerate(TEAM_FINDER):
        challenge = rows.get(slug)
        if challenge is None or email not in users or phase_of(challenge, now) != Phase.OPEN:
            continue
        moment = now - timedelta(hours=2 * (len(TEAM_FINDER) - index))
        search = TeammateSearch(
            challenge_id=id_of(challenge), user_id=id_of(users[email]), note=note, created_at=moment, updated_at=moment
        )
        session.add(search)
    session.flush()
    slug, lead_email, _note = TEAM_FINDER[0]
    lead, requester = users.get(lead_email), users.get(JOIN_REQUEST[0])
    if slug not in rows or lead is None or requester is None or phase_of(rows[slug], now) != Phase.OPEN:
        return
    draft = session.exec(
        select(Submission)
        .join(SubmissionMember, col(SubmissionMember.submission_id) == Submission.id)
        .where(
            Submission.challenge_id == rows[slug].id,
            Submission.status == SubmissionStatus.DRAFT,
            SubmissionMember.user_id == lead.id,
            SubmissionMember.role == MemberRole.LEAD,
        )
    ).first()
    if draft is not None:
        request = JoinRequest(
            submission_id=id_of(draft),
            user_id=id_of(requester),
            note=JOIN_REQUEST[1],
            created_at=now - timedelta(hours=1),
        )
        session.add(request)
        session.flush()
