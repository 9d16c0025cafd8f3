"""The jury through its pages, without JavaScript: hosts invite jurors and see them listed, invitees accept or decline
through the emailed link, hosts run the assignment and decide the flagged conflicts, jurors score a concept (a draft,
a refusal that keeps every typed value, then the review), blind review hides the teams, jurors declare conflicts,
hosts reopen a review and send reminders; and who is turned away."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from sqlmodel import col, select

from app.accounts.models import User
from app.challenges.models import Criterion
from app.jury import service
from app.jury.models import Announcement, Juror, JuryAssignment, JuryConflict, JuryInvitation, Review, ReviewStatus
from app.submissions.models import SubmissionMember, SubmissionVersion
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.factories import make_assignment, make_jury_conflict, make_review, make_user
from tests.jury.conftest import ANNOUNCED, OPEN, REVIEW, Jury
from tests.mail import emails_to, link_in

MANAGE = "/manage/challenges/gronn-by/jury"
JURY = "/challenges/gronn-by/jury"


@pytest.fixture(autouse=True)
def _in_english(client: Client) -> None:
    """The pages in English, whatever the catalogues hold, so the assertions read as what the user sees."""
    client.headers["Accept-Language"] = "en"


def visible(html: str) -> str:
    """The text of the page's main content as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    found = re.search(r"<main\b[^>]*>(.*)</main>", html, re.S)
    inline = re.sub(r"</?(?:a|span|strong|em|code)\b[^>]*>", "", found.group(1) if found else html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def flash_of(html: str) -> str:
    """The message shown at the top of the page after a form was sent (empty when there is none)."""
    found = re.search(r'<div id="flash" role="status">(.*?)</div>\s*(?:</div>)?', html, re.S)
    assert found, "the page has no place for a message"
    return visible(found.group(1))


def section(html: str, anchor: str) -> str:
    """The HTML of the page's section with id `anchor`."""
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


def row(html: str, anchor: str, mentioning: str) -> str:
    """The visible text of the one table row in section `anchor` that mentions `mentioning`."""
    [found] = [
        text for text in map(visible, re.findall(r"<tr>(.*?)</tr>", section(html, anchor), re.S)) if mentioning in text
    ]
    return found


def field(html: str, name: str) -> str:
    """The tag of the form control called `name` (an input, a textarea or a select)."""
    [found] = re.findall(rf'<(?:input|textarea|select)\b[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    return " ".join(found.split())


def value_of(html: str, name: str) -> str | None:
    """What the input called `name` holds, as the browser shows it (None: empty)."""
    found = re.search(r'\bvalue="([^"]*)"', field(html, name))
    return unescape(found.group(1)) if found else None


def text_in(html: str, name: str) -> str:
    """What the textarea called `name` holds."""
    found = re.search(rf'<textarea\b[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, name
    return unescape(found.group(1))


def message_at(html: str, name: str) -> str:
    """The field message shown under the control called `name` (empty when there is none)."""
    found = re.search(rf'id="field-{re.escape(name)}-error">(.*?)</p>', html, re.S)
    return unescape(found.group(1)) if found else ""


def followed(client: Client, response: Any, to: str) -> str:
    """The page a form post sent the browser to (a 303 to `to`), with its flash message."""
    assert response.status_code == 303, response.text
    assert response.headers["location"] == to
    page = client.get(to)
    assert page.status_code == 200
    return page.text


def criteria(client: Client, jury: Jury) -> list[int]:
    """The challenge's criteria ids: Nytteverdi (weight 3), then Gjennomførbarhet (weight 1)."""
    statement = (
        select(Criterion.id).where(Criterion.challenge_id == jury.challenge.id).order_by(col(Criterion.position))
    )
    return [criterion_id for criterion_id in client.db.exec(statement).all() if criterion_id is not None]


def review_of(client: Client, juror: Any, concept: Any) -> Review | None:
    client.db.expire_all()
    return client.db.exec(select(Review).where(Review.juror_id == juror.id, Review.submission_id == concept.id)).first()


def stored_scores(client: Client, review: Review) -> dict[int, tuple[int | None, str]]:
    client.db.refresh(review, ["scores"])
    return {score.criterion_id: (score.value, score.comment) for score in review.scores}


def assigned_titles(client: Client, jury: Jury, juror: Any) -> set[str]:
    client.db.expire_all()
    ids = client.db.exec(select(JuryAssignment.submission_id).where(JuryAssignment.juror_id == juror.id)).all()
    return {concept.title for concept in jury.concepts if concept.id in ids}


# --- 1. the hosts form the jury ---------------------------------------------------------------------------------


def test_a_host_invites_a_chair_from_the_jury_page_and_sees_the_invitation_listed(
    client: Client, jury: Jury, cast: Cast
) -> None:
    client.clock.at = OPEN
    client.sign_in(cast.halden_editor)
    page = client.get(MANAGE)
    assert page.status_code == 200
    assert "Jury of Grønn by" in visible(page.text)
    assert "Ada Leder Chair of the jury" in row(page.text, "jurors", "Ada Leder")

    sent = client.post_form(f"{MANAGE}/invitations", {"email": " Eva@Uni.no ", "role": "chair"})
    after = visible(followed(client, sent, f"{MANAGE}#jurors"))
    assert "An invitation was sent to eva@uni.no." in after
    assert "Invited, waiting for an answer eva@uni.no (Chair of the jury, valid until" in after
    assert "Withdraw the invitation to eva@uni.no" in after
    [invitation] = client.db.exec(select(JuryInvitation)).all()
    assert (invitation.email, invitation.role) == ("eva@uni.no", "chair")
    [email] = emails_to(client.db, "eva@uni.no")
    assert "Grønn by" in email.subject


def test_a_mistyped_address_comes_back_with_its_message_and_what_was_typed(
    client: Client, jury: Jury, cast: Cast
) -> None:
    client.clock.at = OPEN
    client.sign_in(cast.halden_editor)
    refused = client.post_form(f"{MANAGE}/invitations", {"email": "eva at uni.no", "role": "chair"})
    assert refused.status_code == 422
    assert message_at(refused.text, "email") == "Give an email address, such as name@example.org."
    assert value_of(refused.text, "email") == "eva at uni.no"
    assert 'aria-invalid="true"' in field(refused.text, "email")
    assert "Please correct the following Give an email address" in visible(refused.text)  # the error summary
    assert '<a class="ds-link" href="#field-email">' in refused.text
    assert '<option value="chair" selected>' in refused.text  # the chosen role is kept too
    assert client.db.exec(select(JuryInvitation)).first() is None
    assert emails_to(client.db, "eva at uni.no") == []


def test_inviting_someone_already_on_the_jury_or_already_invited_is_said_at_the_email_field(
    client: Client, jury: Jury, cast: Cast
) -> None:
    client.clock.at = OPEN
    client.sign_in(cast.halden_editor)
    seated = jury.people[0].email
    refused = client.post_form(f"{MANAGE}/invitations", {"email": seated.upper(), "role": "member"})
    assert refused.status_code == 409
    assert message_at(refused.text, "email") == f"{seated} is already on the jury."
    assert value_of(refused.text, "email") == seated.upper()

    assert client.post_form(f"{MANAGE}/invitations", {"email": "eva@uni.no"}).status_code == 303
    twice = client.post_form(f"{MANAGE}/invitations", {"email": "eva@uni.no"})
    assert twice.status_code == 409
    assert message_at(twice.text, "email") == "eva@uni.no has already been invited."
    assert len(client.db.exec(select(JuryInvitation)).all()) == 1


def test_a_refused_invitation_leaves_the_settings_form_showing_the_jury_s_settings(
    client: Client, jury: Jury, cast: Cast
) -> None:
    client.clock.at = OPEN
    client.sign_in(cast.halden_editor)
    saved = client.post_form(f"{MANAGE}/settings", {"jurors_per_concept": "2", "scores_shared": "on"})
    assert "The jury's settings were saved." in visible(followed(client, saved, MANAGE))

    refused = client.post_form(f"{MANAGE}/invitations", {"email": "not-an-address"})
    assert refused.status_code == 422
    settings = section(refused.text, "settings")  # saving it again as shown must change nothing
    assert value_of(settings, "jurors_per_concept") == "2"
    assert " checked" in field(settings, "scores_shared")


def test_a_host_changes_the_settings_and_a_word_for_a_number_keeps_what_was_typed(
    client: Client, jury: Jury, cast: Cast
) -> None:
    client.clock.at = OPEN
    client.sign_in(cast.halden_editor)
    refused = client.post_form(f"{MANAGE}/settings", {"jurors_per_concept": "tre", "scores_shared": "on"})
    assert refused.status_code == 422
    assert value_of(refused.text, "jurors_per_concept") == "tre"
    assert message_at(refused.text, "jurors_per_concept") == "Give a whole number."
    assert " checked" in field(refused.text, "scores_shared")
    too_many = client.post_form(f"{MANAGE}/settings", {"jurors_per_concept": "21"})
    assert too_many.status_code == 422
    assert message_at(too_many.text, "jurors_per_concept") == "Give a whole number from 1 to 20."
    client.db.expire_all()
    panel = service.panel_of(client.db, jury.challenge)
    assert (panel.jurors_per_concept, panel.scores_shared) == (3, False)


# --- 2. the invitee's side --------------------------------------------------------------------------------------


def invite(client: Client, cast: Cast, email: str, role: str = "member") -> str:
    """A host invites `email` from the jury page; the path of the emailed link."""
    client.sign_in(cast.halden_editor)
    assert client.post_form(f"{MANAGE}/invitations", {"email": email, "role": role}).status_code == 303
    client.sign_out()
    return link_in(emails_to(client.db, email)[-1], "/jury-invitations/")


def test_the_invitee_follows_the_emailed_link_signs_in_and_joins_the_jury_as_its_chair(
    client: Client, jury: Jury, cast: Cast
) -> None:
    client.clock.at = OPEN
    eva = make_user(client.db, email="eva@uni.no", display_name="Eva Ekspert")
    link = invite(client, cast, "eva@uni.no", role="chair")

    signed_out = client.get(link)
    assert signed_out.status_code == 200
    assert "You are invited to chair the jury of the challenge Grønn by. Jurors score the concepts" in visible(
        signed_out.text
    )
    assert f'href="/account/sign-in?next={link}">Sign in</a>' in signed_out.text
    assert f'href="/account/sign-up?next={link}">Create account</a>' in signed_out.text
    assert "Join the jury" not in signed_out.text

    client.sign_in(cast.citizen)
    someone_else = visible(client.get(link).text)
    assert "this invitation was sent to another email address" in someone_else
    assert "Join the jury" not in someone_else

    client.sign_in(eva)
    ready = visible(client.get(link).text)
    assert "Join the jury" in ready
    assert "Decline" in ready
    joined = visible(followed(client, client.post_form(f"{link}/accept"), JURY))
    assert "Welcome to the jury! Your assigned concepts appear here." in joined
    assert "Your jury work: Grønn by" in joined
    assert "Chair of the jury." in joined
    client.db.expire_all()
    roles = {juror.user_id: juror.role for juror in client.db.exec(select(Juror)).all()}
    assert roles[eva.id] == "chair"
    assert roles[jury.people[0].id] == "member"  # one chair

    used = client.get(link)
    assert used.status_code == 409
    assert "This invitation has already been used." in visible(used.text)


def test_an_invitee_who_declines_is_not_seated_and_the_link_stops_working(
    client: Client, jury: Jury, cast: Cast
) -> None:
    client.clock.at = OPEN
    eva = make_user(client.db, email="eva@uni.no", display_name="Eva Ekspert")
    link = invite(client, cast, "eva@uni.no")
    client.sign_in(eva)
    declined = client.post_form(f"{link}/decline")
    assert "You declined the invitation." in visible(followed(client, declined, "/challenges/gronn-by"))
    assert client.db.exec(select(Juror).where(Juror.user_id == eva.id)).first() is None
    client.db.expire_all()
    assert client.db.exec(select(JuryInvitation)).one().declined_at == OPEN
    assert "This invitation was declined." in visible(client.get(link).text)
    assert client.get(JURY).status_code == 404

    client.sign_in(cast.halden_editor)
    assert "Invited, waiting for an answer" not in visible(client.get(MANAGE).text)


# --- 3. assignment and conflicts --------------------------------------------------------------------------------


def test_in_review_the_host_runs_the_assignment_and_decides_the_flagged_conflict(
    client: Client, jury: Jury, cast: Cast
) -> None:
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    assert "Run the assignment" in visible(client.get(MANAGE).text)
    ran = followed(client, client.post_form(f"{MANAGE}/assignments/run"), f"{MANAGE}#assignments")
    made = client.db.exec(select(JuryAssignment)).all()
    assert len(made) == 15  # five concepts, three jurors each
    assert flash_of(ran) == "15 assignments were made. 1 possible conflict of interest was flagged for you to decide."

    team_member, flagged = jury.people[3].display_name, jury.people[2].display_name
    first, second = jury.concepts[0].title, jury.concepts[1].title
    for concept in jury.concepts:
        listed = [
            person.display_name
            for person in jury.people
            if person.display_name in row(ran, "assignments", concept.title)
        ]
        assert len(listed) == 3, (concept.title, listed)
    assert team_member not in row(ran, "assignments", first)  # never on their own concept
    assert flagged not in row(ran, "assignments", second)  # kept off until a host decides
    conflict_row = row(ran, "conflicts", flagged)
    assert conflict_row.startswith(f"{flagged} {second} Same email domain as a team member Flagged: decide")
    assert f"Confirm the conflict ({flagged}, {second})" in conflict_row
    assert f"Dismiss the flag ({flagged}, {second})" in conflict_row
    client.sign_in(jury.people[2])
    assert f"{second} Flagged: the hosts decide" in visible(section(client.get(JURY).text, "conflicts"))
    client.sign_in(cast.halden_editor)

    # By hand neither is allowed while the flag stands.
    by_hand = {"juror": str(jury.jurors[2].id), "concept": str(jury.concepts[1].id)}
    refused = visible(followed(client, client.post_form(f"{MANAGE}/assignments", by_hand), f"{MANAGE}#assignments"))
    assert "This juror has a conflict of interest with this concept. Dismiss the conflict first" in refused
    own = {"juror": str(jury.jurors[3].id), "concept": str(jury.concepts[0].id)}
    refused = visible(followed(client, client.post_form(f"{MANAGE}/assignments", own), f"{MANAGE}#assignments"))
    assert "A team member cannot review their own concept." in refused

    conflict = client.db.exec(select(JuryConflict)).one()
    dismissed = client.post_form(f"{MANAGE}/conflicts/{conflict.id}", {"decision": "dismiss"})
    after = followed(client, dismissed, f"{MANAGE}#conflicts")
    assert "The flag was dismissed: the juror may review that concept." in visible(after)
    assert "Dismissed" in row(after, "conflicts", flagged)
    assert "Dismiss the flag" not in row(after, "conflicts", flagged)
    client.db.refresh(conflict)
    assert conflict.status == "dismissed"

    rerun = flash_of(followed(client, client.post_form(f"{MANAGE}/assignments/run"), f"{MANAGE}#assignments"))
    assert re.fullmatch(r"\d+ assignments? (was|were) made\.", rerun), rerun  # the dismissed flag is not raised again
    placed = flash_of(followed(client, client.post_form(f"{MANAGE}/assignments", by_hand), f"{MANAGE}#assignments"))
    assert placed == "The juror was assigned to the concept."
    assert second in assigned_titles(client, jury, jury.jurors[2])
    assert team_member not in row(client.get(MANAGE).text, "assignments", first)


def test_the_flash_counts_a_concept_left_with_one_juror_in_the_singular(client: Client, jury: Jury, cast: Cast) -> None:
    ada, bo = jury.jurors[0], jury.jurors[1]
    for juror in (ada, bo):  # with Dag on its team, Grønne tak is left with Cia alone
        make_jury_conflict(client.db, juror, jury.concepts[0], reason="Naboer")
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    ran = flash_of(followed(client, client.post_form(f"{MANAGE}/assignments/run"), f"{MANAGE}#assignments"))
    assert ran.endswith("Grønne tak has only 1 juror without a conflict of interest, 2 too few."), ran


# --- 4. scoring -------------------------------------------------------------------------------------------------


def test_a_juror_saves_a_draft_loses_nothing_on_a_refusal_and_then_submits(client: Client, jury: Jury) -> None:
    bo, concept = jury.jurors[1], jury.concepts[1]
    make_assignment(client.db, bo, concept)
    client.clock.at = REVIEW
    client.sign_in(jury.people[1])
    url = f"{JURY}/reviews/{concept.id}"
    work = client.get(JURY).text
    assert f'href="{url}">{concept.title}</a>' in work
    assert "0 of 1 reviews submitted." in visible(work)
    assert f"{concept.title} Tak som samler regnvann og gir skygge. Not started" in visible(work)
    useful, doable = criteria(client, jury)

    form = client.get(url).text
    assert "Review: Bysykler" in visible(form)
    assert f'<label class="ds-label" for="field-score-{useful}">Score for Nytteverdi, 0 to 10</label>' in form
    draft = {
        f"score-{useful}": "7",
        f"comment-{useful}": "Godt begrunnet",
        "overall_comment": "Lovende",
        "action": "save",
    }
    saved = followed(client, client.post_form(url, draft), url)
    assert "Your draft is saved." in visible(saved)
    assert (value_of(saved, f"score-{useful}"), value_of(saved, f"score-{doable}")) == ("7", None)
    assert text_in(saved, f"comment-{useful}") == "Godt begrunnet"
    assert text_in(saved, "overall_comment") == "Lovende"
    review = review_of(client, bo, concept)
    assert review is not None
    assert review.status == ReviewStatus.DRAFT
    assert stored_scores(client, review) == {useful: (7, "Godt begrunnet")}
    assert f"{concept.title} Tak som samler regnvann og gir skygge. Draft" in visible(client.get(JURY).text)

    typed = {
        f"score-{useful}": "11",
        f"comment-{useful}": "Endret mening",
        f"score-{doable}": "",
        f"comment-{doable}": "Usikker på kostnadene",
        "overall_comment": "Ny helhetsvurdering",
        "action": "submit",
    }
    refused = client.post_form(url, typed)
    assert refused.status_code == 422
    assert message_at(refused.text, f"score-{useful}") == "Give a whole number from 0 to 10."
    assert message_at(refused.text, f"score-{doable}") == "Give a score before you submit."
    summary = "Please correct the following Nytteverdi: Give a whole number from 0 to 10. Gjennomførbarhet: Give a"
    assert summary in visible(refused.text)  # each message names its criterion, in the form's order
    assert (value_of(refused.text, f"score-{useful}"), value_of(refused.text, f"score-{doable}")) == ("11", "")
    assert text_in(refused.text, f"comment-{useful}") == "Endret mening"
    assert text_in(refused.text, f"comment-{doable}") == "Usikker på kostnadene"
    assert text_in(refused.text, "overall_comment") == "Ny helhetsvurdering"
    review = review_of(client, bo, concept)
    assert review is not None
    assert (review.status, review.overall_comment) == (ReviewStatus.DRAFT, "Lovende")
    assert stored_scores(client, review) == {useful: (7, "Godt begrunnet")}  # nothing of a refused save is kept

    not_a_number = client.post_form(url, {**typed, f"score-{useful}": "sju", "action": "save"})
    assert not_a_number.status_code == 422
    assert value_of(not_a_number.text, f"score-{useful}") == "sju"
    assert message_at(not_a_number.text, f"score-{useful}") == "Give a whole number from 0 to 10."
    assert text_in(not_a_number.text, f"comment-{doable}") == "Usikker på kostnadene"

    final = {**typed, f"score-{useful}": "8", f"score-{doable}": "6"}
    submitted = visible(followed(client, client.post_form(url, final), JURY))
    assert "Your review of Bysykler is submitted." in submitted
    assert "1 of 1 reviews submitted." in submitted
    assert f"{concept.title} Tak som samler regnvann og gir skygge. Submitted" in submitted
    review = review_of(client, bo, concept)
    assert review is not None
    assert (review.status, review.submitted_at, review.overall_comment) == (
        ReviewStatus.SUBMITTED,
        REVIEW,
        "Ny helhetsvurdering",
    )
    assert stored_scores(client, review) == {useful: (8, "Endret mening"), doable: (6, "Usikker på kostnadene")}

    read_only = client.get(url).text
    assert "Submit the review" not in read_only
    assert "Nytteverdi 8 / 10: Endret mening Gjennomførbarhet 6 / 10: Usikker på kostnadene" in visible(read_only)

    # A second tab still holding the form: the refusal says why, and shows the review as it is stored.
    again = client.post_form(url, {**final, f"score-{useful}": "2"})
    assert again.status_code == 409
    assert "You have submitted this review. Ask the challenge's hosts to reopen it." in visible(again.text)
    assert "Nytteverdi 8 / 10: Endret mening" in visible(again.text)
    assert "Nytteverdi 2 / 10" not in visible(again.text)


def test_the_chair_lets_the_jurors_see_each_other_s_scores_from_their_page(client: Client, jury: Jury) -> None:
    client.clock.at = REVIEW
    client.sign_in(jury.people[1])
    assert "As chair" not in visible(client.get(JURY).text)
    client.sign_in(jury.people[0])
    page = client.get(JURY).text
    assert "As chair" in visible(page)
    assert " checked" not in field(page, "scores_shared")
    shared = followed(client, client.post_form(f"{JURY}/settings", {"scores_shared": "on"}), JURY)
    assert "The jury's settings were saved." in visible(shared)
    assert " checked" in field(shared, "scores_shared")
    client.db.expire_all()
    assert service.panel_of(client.db, jury.challenge).scores_shared is True


# --- 5. blind review --------------------------------------------------------------------------------------------


def name_the_team(client: Client, concept: Any, team_name: str) -> list[str]:
    """Give `concept` (and its submitted version) a team name; the names of the team's members."""
    concept.team_name = team_name
    for version in client.db.exec(select(SubmissionVersion).where(SubmissionVersion.submission_id == concept.id)):
        version.team_name = team_name
        client.db.add(version)
    client.db.add(concept)
    client.db.commit()
    names = client.db.exec(
        select(User.display_name)
        .join(SubmissionMember, col(SubmissionMember.user_id) == col(User.id))
        .where(SubmissionMember.submission_id == concept.id)
    ).all()
    return list(names)


def test_under_blind_review_the_juror_never_sees_the_team_or_its_members(client: Client, jury: Jury) -> None:
    concept = jury.concepts[0]  # led by jury.team_lead, with Dag Deltaker on the team
    members = name_the_team(client, concept, "Takfolket")
    assert jury.people[3].display_name in members
    make_assignment(client.db, jury.jurors[1], concept)
    client.clock.at = REVIEW
    client.sign_in(jury.people[1])
    url = f"{JURY}/reviews/{concept.id}"
    assert "By Takfolket" in visible(client.get(JURY).text)  # without blind review, the team is shown
    assert "By Takfolket." in visible(client.get(url).text)

    panel = service.panel_of(client.db, jury.challenge)
    panel.blind_review = True
    client.db.add(panel)
    client.db.commit()
    work, sheet = client.get(JURY).text, client.get(url).text
    assert "This is a blind review: you see each concept without its team." in visible(work)
    assert "Blind review: the team is not shown." in visible(sheet)
    concept_page = client.get(f"/challenges/{jury.challenge.slug}/submissions/{concept.id}").text
    gallery = client.get(f"/challenges/{jury.challenge.slug}/submissions").text
    for page in (work, sheet, concept_page, gallery):
        assert "Takfolket" not in page
        for name in members:
            assert name not in page
    client.sign_in(jury.team_lead)  # the team itself still sees its name
    assert "Takfolket" in client.get(f"/challenges/{jury.challenge.slug}/submissions/{concept.id}").text


def test_blind_review_reveals_the_teams_to_the_jury_once_the_results_are_announced(client: Client, jury: Jury) -> None:
    concept = jury.concepts[0]
    name_the_team(client, concept, "Takfolket")
    make_assignment(client.db, jury.jurors[1], concept)
    panel = service.panel_of(client.db, jury.challenge)
    panel.blind_review = True
    client.db.add_all([panel, Announcement(challenge_id=jury.challenge.id, announced_at=ANNOUNCED)])
    client.db.commit()
    client.clock.at = ANNOUNCED
    client.sign_in(jury.people[1])
    assert "By Takfolket." in visible(client.get(f"{JURY}/reviews/{concept.id}").text)
    assert "Takfolket" in client.get(f"/challenges/{jury.challenge.slug}/submissions/{concept.id}").text


# --- 6. declaring a conflict ------------------------------------------------------------------------------------


def test_a_juror_declares_a_conflict_and_the_concept_leaves_their_list(client: Client, jury: Jury, cast: Cast) -> None:
    bo, known, other = jury.jurors[1], jury.concepts[2], jury.concepts[3]
    make_assignment(client.db, bo, known)
    make_assignment(client.db, bo, other)
    make_review(client.db, bo, known, {criteria(client, jury)[0]: 5}, submitted=False)
    client.clock.at = REVIEW
    client.sign_in(jury.people[1])
    before = client.get(JURY).text
    assert f'href="{JURY}/reviews/{known.id}"' in before
    unchosen = client.post_form(f"{JURY}/conflicts", {"concept": "", "reason": "Naboen min"})
    assert "Choose the concept you have a conflict of interest with." in visible(
        followed(client, unchosen, f"{JURY}#conflicts")
    )

    declared = client.post_form(f"{JURY}/conflicts", {"concept": str(known.id), "reason": "Jeg har jobbet med laget"})
    after = followed(client, declared, f"{JURY}#conflicts")
    assert "Your conflict of interest is recorded: you will not review that concept." in visible(after)
    assert f'href="{JURY}/reviews/{known.id}"' not in after
    assert f'href="{JURY}/reviews/{other.id}"' in after
    assert f"{known.title} Conflict" in visible(section(after, "conflicts"))
    assert "0 of 1 reviews submitted." in visible(after)
    assert assigned_titles(client, jury, bo) == {other.title}
    assert review_of(client, bo, known) is None  # the draft goes with the assignment
    conflict = client.db.exec(select(JuryConflict)).one()
    assert (conflict.source, conflict.status, conflict.reason) == ("declared", "confirmed", "Jeg har jobbet med laget")
    assert client.get(f"{JURY}/reviews/{known.id}").status_code == 403

    client.sign_in(cast.halden_editor)
    hosts = client.get(MANAGE).text
    declared_row = row(hosts, "conflicts", jury.people[1].display_name)
    assert declared_row == f"Bo Streng {known.title} Declared by the juror Jeg har jobbet med laget Conflict"
    assert jury.people[1].display_name not in row(hosts, "assignments", known.title)


def test_a_review_given_before_a_declared_conflict_no_longer_counts_in_the_hosts_progress(
    client: Client, jury: Jury, cast: Cast
) -> None:
    bo, ada, concept = jury.jurors[1], jury.jurors[0], jury.concepts[2]
    make_assignment(client.db, bo, concept)
    make_review(client.db, bo, concept, dict.fromkeys(criteria(client, jury), 7))
    make_assignment(client.db, ada, concept)
    client.clock.at = REVIEW
    client.sign_in(jury.people[1])
    declared = client.post_form(f"{JURY}/conflicts", {"concept": str(concept.id), "reason": "Søsteren min er på laget"})
    assert "0 of 0 reviews submitted." in visible(followed(client, declared, f"{JURY}#conflicts"))
    assert assigned_titles(client, jury, bo) == set()

    client.sign_in(cast.halden_editor)
    page = visible(client.get(MANAGE).text)
    assert "0 of 1 assigned reviews are submitted, by 4 jurors on 5 concepts." in page
    assert "Email a reminder to every juror with reviews left" in page  # Ada has hers to do


# --- 7. reopening and reminders ---------------------------------------------------------------------------------


def test_the_host_reopens_a_submitted_review_and_the_juror_edits_it_again(
    client: Client, jury: Jury, cast: Cast
) -> None:
    bo, concept = jury.jurors[1], jury.concepts[1]
    useful, doable = criteria(client, jury)
    make_assignment(client.db, bo, concept)
    make_review(client.db, bo, concept, {useful: 4, doable: 9}, overall_comment="Første inntrykk")
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    page = client.get(MANAGE).text
    reopen = f"{MANAGE}/reviews/{concept.id}/jurors/{bo.id}/reopen"
    assert f'action="{reopen}"' in page
    assert "Bo Streng Submitted Reopen the review (Bo Streng, Bysykler)" in row(page, "assignments", concept.title)
    reopened = followed(client, client.post_form(reopen), f"{MANAGE}#assignments")
    assert "The review was reopened; the juror was emailed." in visible(reopened)
    assert "Bo Streng Draft" in row(reopened, "assignments", concept.title)
    review = review_of(client, bo, concept)
    assert review is not None
    assert (review.status, review.reopened_at) == (ReviewStatus.DRAFT, REVIEW)

    [email] = emails_to(client.db, jury.people[1].email)
    link = link_in(email, f"{JURY}/reviews/")
    assert link == f"{JURY}/reviews/{concept.id}"
    client.sign_in(jury.people[1])
    form = client.get(link).text
    assert "Submit the review" in form
    assert (value_of(form, f"score-{useful}"), value_of(form, f"score-{doable}")) == ("4", "9")
    assert text_in(form, "overall_comment") == "Første inntrykk"
    changed = {f"score-{useful}": "6", f"score-{doable}": "9", "overall_comment": "Andre inntrykk", "action": "submit"}
    assert "Your review of Bysykler is submitted." in visible(followed(client, client.post_form(link, changed), JURY))
    review = review_of(client, bo, concept)
    assert review is not None
    assert review.status == ReviewStatus.SUBMITTED
    assert stored_scores(client, review) == {useful: (6, ""), doable: (9, "")}


def test_the_host_reminds_the_jurors_who_have_reviews_left(client: Client, jury: Jury, cast: Cast) -> None:
    ada, bo, cia = jury.jurors[0], jury.jurors[1], jury.jurors[2]
    make_assignment(client.db, ada, jury.concepts[1])
    make_assignment(client.db, bo, jury.concepts[2])
    make_review(client.db, bo, jury.concepts[2], {criteria(client, jury)[0]: 3}, submitted=False)
    make_assignment(client.db, cia, jury.concepts[3])
    make_review(client.db, cia, jury.concepts[3], dict.fromkeys(criteria(client, jury), 5))
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    page = visible(client.get(MANAGE).text)
    assert "1 of 3 assigned reviews are submitted, by 4 jurors on 5 concepts." in page
    reminded = client.post_form(f"{MANAGE}/reminders")
    assert "Reminders were emailed to 2 jurors." in visible(followed(client, reminded, f"{MANAGE}#progress"))
    assert len(emails_to(client.db, jury.people[0].email)) == 1
    assert len(emails_to(client.db, jury.people[1].email)) == 1
    assert emails_to(client.db, jury.people[2].email) == []  # done
    assert emails_to(client.db, jury.people[3].email) == []  # nothing assigned
    assert link_in(emails_to(client.db, jury.people[0].email)[0], JURY) == JURY


# --- 8. who is turned away --------------------------------------------------------------------------------------


def test_the_jury_pages_turn_away_those_they_are_not_for(client: Client, jury: Jury, cast: Cast) -> None:
    make_assignment(client.db, jury.jurors[1], jury.concepts[1])
    client.clock.at = REVIEW
    signed_out = client.get(MANAGE, follow_redirects=False)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"].startswith("/account/sign-in?next=")

    for outsider in (cast.citizen, cast.stavanger_editor, jury.people[1]):
        client.sign_in(outsider)
        assert client.get(MANAGE).status_code in (403, 404), outsider.email
        assert client.post_form(f"{MANAGE}/invitations", {"email": "eva@uni.no"}).status_code in (403, 404)
        assert client.post_form(f"{MANAGE}/assignments/run").headers["location"] == f"{MANAGE}#assignments"
    assert client.db.exec(select(JuryInvitation)).first() is None
    assert len(client.db.exec(select(JuryAssignment)).all()) == 1  # the refused runs assigned nobody

    for outsider in (cast.citizen, jury.team_lead, cast.halden_editor):
        client.sign_in(outsider)
        assert client.get(JURY).status_code == 404, outsider.email
        assert client.get(f"{JURY}/reviews/{jury.concepts[1].id}").status_code == 404

    client.sign_in(jury.people[1])
    elsewhere = f"{JURY}/reviews/{jury.concepts[2].id}"
    refused = client.get(elsewhere)
    assert refused.status_code == 403
    assert "This concept is not assigned to you." in visible(refused.text)
    scores = {f"score-{criterion}": "9" for criterion in criteria(client, jury)} | {"action": "submit"}
    assert client.post_form(elsewhere, scores).status_code == 403
    assert review_of(client, jury.jurors[1], jury.concepts[2]) is None


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/manage/challenges/gronn-by/jury/settings", {"jurors_per_concept": "²"}),
        ("/manage/challenges/gronn-by/jury/assignments", {"juror": "²", "concept": "1"}),
        ("/manage/challenges/gronn-by/jury/reminders", {"juror": "²"}),
        ("/manage/challenges/gronn-by/jury/final-round", {"concepts": "²", "jurors": "²"}),
        ("/challenges/gronn-by/jury/conflicts", {"concept": "²"}),
    ],
)
def test_digits_that_are_not_ascii_are_a_message_not_an_error(
    client: Client, jury: Jury, cast: Cast, path: str, fields: dict[str, str]
) -> None:
    client.clock.at = REVIEW
    client.sign_in(jury.people[0] if path.startswith("/challenges") else cast.halden_editor)
    answered = client.post_form(path, fields)
    assert answered.status_code < 500
