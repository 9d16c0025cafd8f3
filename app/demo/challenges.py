"""Demo challenges: one in every phase (and a draft, a cancelled one and a "steal and share" copy), with generated
covers, citizens following them, and questions asked, answered, merged and hidden."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.accounts import service as accounts
from app.accounts.models import User
from app.actor import Actor
from app.challenges import service as challenges
from app.challenges.follows import service as follows
from app.challenges.models import Challenge, Follow, Question, TargetGroup, VotingMethod
from app.challenges.questions import service as questions
from app.challenges.schemas import ChallengeCopy, ChallengeCreate, ChallengeUpdate, CriterionIn
from app.demo.base import actor_for, challenge_by_slug, cover_for, users_by_email
from app.demo.organizations import colour_of
from app.errors import NotFound

CHALLENGE_MARKER_SLUG = "baerekraftig-sentrumshandel"  # the demo challenges are present when this one exists


@dataclass(frozen=True)
class DemoChallenge:
    """A challenge in a given phase at load time; `start` is when submissions open, in days from `now`."""

    slug: str
    host: str
    title: str
    summary: str
    problem: str
    target_groups: tuple[str, ...]
    sdg_goals: tuple[int, ...]
    criteria: tuple[tuple[str, str, int], ...]
    start: int
    prize_text: str = ""
    prize_amount: int | None = None  # minor units
    prize_currency: str = "NOK"
    prize_split: dict[str, Any] | None = None
    follow_up: str = ""
    open_days: int = 35
    review_days: int | None = 14
    voting_days: int | None = None
    status: str = "published"  # draft, published or cancelled
    cancel_reason: str = ""
    cohosts: tuple[str, ...] = ()
    team_size_max: int = 5
    # Used when the challenge has a public vote (`voting_days`).
    voting_method: str = "single"
    votes_per_voter: int = 1
    max_points_per_concept: int = 1
    live_counts: bool = False
    jury_weight: int = 100
    cover: bool = True


CHALLENGES: tuple[DemoChallenge, ...] = (
    DemoChallenge(
        slug=CHALLENGE_MARKER_SLUG,
        host="halden",
        title="Bærekraftig sentrumshandel",
        summary="Hvordan får vi flere til å handle, møtes og bli værende i sentrum av Halden – uten mer biltrafikk?",
        problem=(
            "Sentrum av Halden har **mange tomme butikklokaler**, og handelen flytter ut til kjøpesentrene. "
            "Samtidig vil kommunen redusere klimautslipp og gjøre sentrum til et sted der folk vil være.\n\n"
            "Gjennom «Smart By Halden» vil vi heller være med på å utvikle løsninger enn å kjøpe ferdige produkter. "
            "Vi søker konsepter som:\n\n"
            "- gir tomme lokaler nytt liv, for eksempel gjennom gjenbruk, reparasjon eller midlertidig bruk\n"
            "- gjør det enkelt å handle lokalt uten bil\n"
            "- involverer handelsstanden og innbyggerne i utviklingen\n"
        ),
        target_groups=("students", "citizens", "start-ups"),
        sdg_goals=(11, 12),
        criteria=(
            ("Nytteverdi", "Hvor mye bidrar konseptet til et levende og bærekraftig sentrum?", 3),
            ("Gjennomførbarhet", "Kan kommunen og handelsstanden teste ideen innen et år?", 2),
            ("Innbyggerinvolvering", "Tar konseptet med innbyggerne i utviklingen?", 1),
        ),
        start=-10,
        prize_text="50 000 kroner delt likt mellom de tre beste konseptene",
        prize_amount=5_000_000,
        prize_split={"kind": "shared", "best": 3},
        follow_up="Vinneren får et betalt oppdrag på 100 000 kroner for å teste konseptet i Storgata sammen med "
        "Halden kommune og Smart Innovation Norway.",
    ),
    DemoChallenge(
        slug="flere-unge-i-jobb",
        host="baerum",
        title="Flere unge i jobb",
        summary="Hvordan kan Bærum kommune og næringslivet hjelpe flere unge mellom 18 og 29 år inn i arbeid?",
        problem=(
            "Bærum har blitt en mangfoldig kommune, og vi har fått pris for integreringsarbeidet vårt. Likevel står "
            "for mange unge utenfor arbeid og utdanning.\n\n"
            "Vi vil **stjele gode løsninger** fra andre byer – og høre fra de unge selv. Hvordan kan arbeidsgivere, "
            "NAV og kommunen sammen gjøre veien til den første jobben kortere?"
        ),
        target_groups=("young-professionals", "students", "companies"),
        sdg_goals=(4, 8, 10),
        criteria=(
            ("Effekt for de unge", "Hvor mange unge kan konseptet hjelpe, og hvor mye?", 4),
            ("Samarbeid", "Bygger konseptet på samarbeid mellom kommune, arbeidsgivere og unge?", 2),
            ("Gjennomførbarhet", "", 2),
        ),
        start=-45,
        prize_text="30 000, 15 000 og 5 000 kroner til de tre beste",
        prize_amount=5_000_000,
        prize_split={"kind": "fixed", "amounts": [3_000_000, 1_500_000, 500_000]},
        follow_up="Det beste konseptet prøves ut i Sandvika i et halvt år, med oppfølging fra seksjon for arbeid og "
        "inkludering.",
    ),
    DemoChallenge(
        slug="smartere-mobilitet",
        host="stavanger",
        cohosts=("helsingborg",),
        title="Smartere mobilitet",
        summary="Stavanger og Helsingborg søker sammen løsninger som gjør det enklere å reise grønt i hverdagen.",
        problem=(
            "To byer, ett problem: for mange korte turer tas med bil. Stavanger utvikler smartbyen sammen med "
            "næringsliv, akademia og innbyggere, og Helsingborg tester nye tjenester i kommuneakseleratoren "
            "Hbg Works.\n\n"
            "Vi søker konsepter for sykkel, gange, kollektivtrafikk og delte kjøretøy som kan **testes i begge byene** "
            "og deles med andre kommuner etterpå."
        ),
        target_groups=("start-ups", "students", "companies"),
        sdg_goals=(9, 11, 13),
        criteria=(
            ("Klimaeffekt", "Hvor mange bilturer kan konseptet erstatte?", 3),
            ("Overførbarhet", "Kan løsningen brukes i begge byene og deles med andre?", 2),
            ("Brukervennlighet", "Er løsningen enkel for alle, også uten smarttelefon?", 2),
        ),
        start=-5,
        open_days=42,
        prize_text="100 000 kroner delt likt mellom de to beste, og et pilotprosjekt i begge byene",
        prize_amount=10_000_000,
        prize_split={"kind": "shared", "best": 2},
        follow_up="Vinnerne inviteres til en pilot i Stavanger og i Hbg Works i Helsingborg.",
        voting_days=7,
        voting_method="points",
        votes_per_voter=5,
        jury_weight=70,
    ),
    DemoChallenge(
        slug="trygga-och-levande-stadsdelar",
        host="helsingborg",
        title="Trygga och levande stadsdelar",
        summary="Hur kan invånare, föreningar och staden tillsammans göra stadsdelarna tryggare och mer levande?",
        problem=(
            "Helsingborg vill vara **en plats för handling**. I flera stadsdelar känner sig invånarna otrygga på "
            "kvällarna, och mötesplatserna är för få.\n\n"
            "Vi söker koncept som använder öppna data, nya tjänster eller enkla fysiska förändringar – och som tas "
            "fram tillsammans med dem som bor i stadsdelen."
        ),
        target_groups=("citizens", "students", "start-ups"),
        sdg_goals=(11, 16),
        criteria=(
            ("Trygghet", "Hur mycket tryggare blir stadsdelen?", 3),
            ("Delaktighet", "Är invånarna med och formar lösningen?", 2),
            ("Genomförbarhet", "", 1),
        ),
        start=10,
        prize_text="60 000 kronor delas lika mellan de tre bästa",
        prize_amount=6_000_000,
        prize_currency="SEK",
        prize_split={"kind": "shared", "best": 3},
        follow_up="Det vinnande konceptet testas i en stadsdel tillsammans med Hbg Works.",
        voting_days=7,
    ),
    DemoChallenge(
        slug="open-data-for-everyday-services",
        host="6aika",
        title="Open data for everyday services",
        summary="Build a concept that turns the six cities' open data into a service residents use every week.",
        problem=(
            "Finland's six largest cities share **open data** about transport, services, the environment and "
            "events. Much of it is still used only by experts.\n\n"
            "We are looking for concepts that make this data useful in everyday life – and that can be tested on "
            "the cities' platforms: schools, streets, shopping centres and neighbourhoods."
        ),
        target_groups=("start-ups", "students", "young-professionals"),
        sdg_goals=(9, 11, 17),
        criteria=(
            ("Use of open data", "How well does the concept use the cities' open data?", 3),
            ("Value for residents", "", 3),
            ("Scalability", "Can the service work in all six cities?", 2),
        ),
        start=-3,
        prize_text="EUR 10,000 shared equally by the best four concepts",
        prize_amount=1_000_000,
        prize_currency="EUR",
        prize_split={"kind": "shared", "best": 4},
        follow_up="The best concepts are offered a pilot on a 6Aika city platform.",
    ),
    DemoChallenge(
        slug="energismarte-hjem",
        host="smart-innovation-norway",
        cohosts=("halden",),
        title="Energismarte hjem",
        summary="Hvordan kan husholdninger i Halden bruke strøm smartere når prisene svinger?",
        problem=(
            "Smart Innovation Norway leder klyngen NCE Smart Energy Markets. Sammen med Halden kommune vil vi finne "
            "enkle måter for vanlige husholdninger å flytte strømforbruket sitt på."
        ),
        target_groups=("citizens", "students", "start-ups"),
        sdg_goals=(7, 11, 13),
        criteria=(("Energisparing", "", 2), ("Enkelhet", "Kan alle bruke løsningen?", 2)),
        start=-60,
        open_days=35,
        review_days=20,
        voting_days=10,
        voting_method="multiple",
        votes_per_voter=3,
        live_counts=True,
        jury_weight=60,
        prize_text="20 000 kroner til vinneren og 10 000 kroner til publikums favoritt",
        prize_amount=3_000_000,
        prize_split={"kind": "fixed", "amounts": [2_000_000, 1_000_000]},
    ),
    DemoChallenge(
        slug="samskapingshuset",
        host="stavanger",
        title="Samskapingshuset",
        summary="Hvordan bør et hus der innbyggere, frivillighet og næringsliv møter kommunen fungere?",
        problem=(
            "Stavanger har hatt innbyggerdialog i et rullende idéverksted og latt unge planlegge byen i Minecraft. "
            "Nå tester vi et **samskapingshus**. Hva skal til for at det blir brukt av alle?"
        ),
        target_groups=("citizens", "students"),
        sdg_goals=(11, 16, 17),
        criteria=(("Nytteverdi", "", 3), ("Inkludering", "Når konseptet grupper som sjelden deltar?", 2)),
        start=-65,
        open_days=40,
        review_days=20,
        prize_text="40 000 kroner delt likt mellom de fire beste",
        prize_amount=4_000_000,
        prize_split={"kind": "shared", "best": 4},
    ),
    DemoChallenge(
        slug="virtuell-korttidsavdeling",
        host="halden",
        title="Hjemme etter sykehuset",
        summary="Hvordan kan teknologi gi utskrevne pasienter trygghet hjemme de første dagene?",
        problem=(
            "Pilotprosjektet Virtuell Korttidsavdeling gir utskrevne pasienter et tilbud i eget hjem ved hjelp av "
            "teknologi. Vi ba om konsepter som gjør tilbudet tryggere og enklere for pasienter og pårørende."
        ),
        target_groups=("students", "young-professionals", "companies"),
        sdg_goals=(3, 10),
        criteria=(("Pasientnytte", "", 3), ("Gjennomførbarhet", "", 2), ("Personvern", "", 1)),
        start=-120,
        open_days=35,
        review_days=21,
        voting_days=7,
        voting_method="points",
        votes_per_voter=5,
        max_points_per_concept=3,
        jury_weight=60,
        prize_text="30 000 kroner delt likt mellom de tre beste",
        prize_amount=3_000_000,
        prize_split={"kind": "shared", "best": 3},
        follow_up="Vinnerkonseptet inngår i neste fase av Virtuell Korttidsavdeling.",
    ),
    DemoChallenge(
        slug="biblioteket-som-moteplass",
        host="stavanger",
        title="Biblioteket som møteplass",
        summary="Hvordan kan bydelsbibliotekene bli steder der naboer møtes, også når de er betjeningsfrie?",
        problem=(
            "Stavanger har åpnet flere bydelsbibliotek for kveldsbruk uten betjening. Lokalene står ofte tomme.\n\n"
            "Vi ba om konsepter som får naboer, lag og foreninger til å bruke bibliotekene, og lot innbyggerne "
            "stemme over forslagene før juryen og kommunen kårer vinneren."
        ),
        target_groups=("citizens", "students"),
        sdg_goals=(4, 11),
        criteria=(("Nytte for nabolaget", "", 3), ("Gjennomførbarhet", "", 2)),
        start=-58,
        open_days=35,
        review_days=14,
        voting_days=7,
        voting_method="single",
        jury_weight=50,
        prize_text="20 000 kroner til vinneren og et halvt års prøveperiode",
        prize_amount=2_000_000,
    ),
    DemoChallenge(
        slug="gronnare-skolgardar",
        host="helsingborg",
        title="Grönnare skolgårdar",
        summary="Hur kan skolgårdarna bli gröna mötesplatser för hela stadsdelen efter skoltid?",
        problem="Staden planerade att öppna skolgårdarna för alla efter skoltid.",
        target_groups=("citizens", "students"),
        sdg_goals=(4, 11, 15),
        criteria=(("Nytta", "", 2), ("Genomförbarhet", "", 1)),
        start=-7,
        prize_text="30 000 kronor till det bästa konceptet",
        prize_amount=3_000_000,
        prize_currency="SEK",
        status="cancelled",
        cancel_reason="Skolförvaltningen har skjutit upp ombyggnaden av skolgårdarna till nästa år. Utmaningen "
        "kommer tillbaka när budgeten är klar.",
    ),
    DemoChallenge(
        slug="gronnere-skolevei",
        host="baerum",
        title="Grønnere skolevei",
        summary="Hvordan får vi flere barn til å gå eller sykle til skolen i Bærum?",
        problem="Utkast: beskriv problemet sammen med skolene før utfordringen publiseres.",
        target_groups=("citizens", "students"),
        sdg_goals=(3, 11),
        criteria=(("Trygghet", "", 2), ("Klimaeffekt", "", 1)),
        start=30,
        status="draft",
    ),
)

# (source slug, new host, new slug, new title, start, prize text, prize amount): "steal and share" copies.
COPIES: tuple[tuple[str, str, str, str, int, str, int], ...] = (
    (
        CHALLENGE_MARKER_SLUG,
        "baerum",
        "levende-sandvika-sentrum",
        "Levende Sandvika sentrum",
        -2,
        "40 000 kroner delt likt mellom de to beste",
        4_000_000,
    ),
)


def _timeline(spec: DemoChallenge, now: datetime) -> dict[str, datetime | None]:
    """The challenge's dates, from submissions opening `spec.start` days from `now`."""
    day = timedelta(days=1)
    opens = now + spec.start * day
    closes = opens + spec.open_days * day
    review_ends = closes + spec.review_days * day if spec.review_days else None
    voting_opens = (review_ends or closes) if spec.voting_days else None
    voting_closes = voting_opens + spec.voting_days * day if voting_opens and spec.voting_days else None
    announce = (voting_closes or review_ends or closes) + 7 * day
    return {
        "opens_at": opens,
        "submissions_close_at": closes,
        "review_ends_at": review_ends,
        "voting_opens_at": voting_opens,
        "voting_closes_at": voting_closes,
        "announce_at": announce,
    }


def challenges_loaded(session: Session) -> bool:
    """True when the demo challenges are in the database."""
    try:
        challenge_by_slug(session, CHALLENGE_MARKER_SLUG)
    except NotFound:
        return False
    return True


def load_challenges(session: Session, *, now: datetime) -> None:
    """Create, co-host, publish (or cancel) the demo challenges through the service, and copy one to another host."""
    actor = Actor.system()
    # Published a week before submissions open, so that challenges already past their deadline went through
    # the same rules (dates in order, a future deadline) as a real one.
    for spec in CHALLENGES:
        dates = _timeline(spec, now)
        opens = dates["opens_at"]
        assert opens is not None  # noqa: S101  (every demo challenge has an opening date)
        written = min(now, opens - timedelta(days=7))
        data = ChallengeCreate(
            organization=spec.host,
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            problem_statement=spec.problem,
            target_groups=[TargetGroup(group) for group in spec.target_groups],
            sdg_goals=list(spec.sdg_goals),
            prize_text=spec.prize_text,
            prize_amount=spec.prize_amount,
            prize_currency=spec.prize_currency,
            prize_split=spec.prize_split,
            follow_up_text=spec.follow_up,
            team_size_max=spec.team_size_max,
            voting_method=VotingMethod(spec.voting_method) if spec.voting_days else VotingMethod.NONE,
            votes_per_voter=spec.votes_per_voter,
            max_points_per_concept=spec.max_points_per_concept,
            live_counts=spec.live_counts,
            jury_weight=spec.jury_weight if spec.voting_days else 100,
            criteria=[CriterionIn(name=name, description=text, weight=weight) for name, text, weight in spec.criteria],
            **dates,
        )
        challenge = challenges.create(session, actor=actor, data=data, now=written)
        for cohost in spec.cohosts:
            challenge = challenges.add_cohost(
                session, actor=actor, challenge=challenge, organization_slug=cohost, now=written
            )
        if spec.status == "draft":
            continue
        challenge = challenges.publish(session, actor=actor, challenge=challenge, now=written)
        if spec.status == "cancelled":
            challenges.cancel(session, actor=actor, challenge=challenge, reason=spec.cancel_reason, now=now)

    for source_slug, host, slug, title, start, prize_text, prize_amount in COPIES:
        source = challenges.get_for(session, slug=source_slug, actor=actor)
        written = now + timedelta(days=start - 7)
        copied = challenges.copy(
            session,
            actor=actor,
            source=source,
            data=ChallengeCopy(organization=host, slug=slug, title=title),
            now=written,
        )
        opens = now + timedelta(days=start)
        update = ChallengeUpdate(
            summary="Hvordan får vi flere til å handle, møtes og bli værende i Sandvika sentrum? Basert på Haldens "
            "utfordring – vi stjeler gode løsninger.",
            prize_text=prize_text,
            prize_amount=prize_amount,
            prize_currency="NOK",
            opens_at=opens,
            submissions_close_at=opens + timedelta(days=35),
            review_ends_at=opens + timedelta(days=49),
            announce_at=opens + timedelta(days=56),
        )
        copied = challenges.update(session, actor=actor, challenge=copied, data=update, now=written)
        challenges.publish(session, actor=actor, challenge=copied, now=written)


def covers_loaded(session: Session) -> bool:
    """True when the demo challenges were given their covers (the marker challenge has one)."""
    statement = select(Challenge.cover_sha256).where(Challenge.slug == CHALLENGE_MARKER_SLUG)
    return session.exec(statement).first() is not None


def load_covers(session: Session, *, now: datetime) -> None:
    """A generated cover for each demo challenge that asks for one and has none (older demo databases too)."""
    for index, spec in enumerate(CHALLENGES):
        challenge = challenge_by_slug(session, spec.slug)
        if spec.cover and challenge.cover_sha256 is None and challenge.status != "cancelled":
            content = cover_for(index, colour_of(spec.host))
            challenges.set_cover(session, actor=Actor.system(), challenge=challenge, content=content, now=now)


# --- citizens following challenges -------------------------------------------------------------------------------

# (citizen, challenges they follow). Jonas takes his news as a daily digest; the others one email at a time.
FOLLOWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nora.dahl@example.org", ("baerekraftig-sentrumshandel", "smartere-mobilitet", "trygga-och-levande-stadsdelar")),
    (
        "jonas.aasen@example.org",
        ("baerekraftig-sentrumshandel", "open-data-for-everyday-services", "energismarte-hjem"),
    ),
    ("elsa.nilsson@example.org", ("trygga-och-levande-stadsdelar", "smartere-mobilitet")),
    ("liam.murphy@example.org", ("open-data-for-everyday-services",)),
)
DAILY_DIGEST_CITIZENS = ("jonas.aasen@example.org",)


def follows_loaded(session: Session) -> bool:
    """True when the demo citizens' follows are in the database."""
    first = select(User.id).where(User.email == FOLLOWS[0][0]).scalar_subquery()
    return session.exec(select(Follow.id).where(col(Follow.user_id) == first)).first() is not None


def load_follows(session: Session, *, now: datetime) -> None:
    """The citizens follow their challenges through the service; one switches to a daily digest."""
    users = users_by_email(session, (email for email, _slugs in FOLLOWS))
    for email, slugs in FOLLOWS:
        actor = Actor(user=users[email], via="session")
        if email in DAILY_DIGEST_CITIZENS:
            accounts.update_profile(session, actor=actor, email_frequency="daily")
        for slug in slugs:
            challenge = challenges.get_for(session, slug=slug, actor=actor)
            follows.follow(session, actor=actor, challenge=challenge, now=now)


# --- questions and answers ---------------------------------------------------------------------------------------

# (challenge slug, asker, question, answer or ""): asked a day after the challenge opened, answered the next day
# (by the platform, so that the audit log shows demo writes as "system").
QUESTIONS: tuple[tuple[str, str, str, str], ...] = (
    (
        "baerekraftig-sentrumshandel",
        "nora.dahl@example.org",
        "Kan vi foreslå midlertidig bruk av tomme lokaler, for eksempel pop-up-butikker eller verksteder?",
        "Ja! Kommunen har avtale med gårdeierne om **fire tomme lokaler i Storgata** som kan brukes gratis i en "
        "testperiode på tre måneder.",
    ),
    (
        "baerekraftig-sentrumshandel",
        "jonas.aasen@example.org",
        "Må konseptet gjelde hele sentrum, eller holder det med én gate?",
        "Det holder godt med én gate eller ett kvartal, så lenge dere forklarer hvordan ideen kan skaleres.",
    ),
    (
        "baerekraftig-sentrumshandel",
        "emma.solberg@example.org",
        "Får vi låne tomme butikklokaler til å teste ideen vår?",
        "",
    ),
    (
        "baerekraftig-sentrumshandel",
        "sander.kristiansen@example.org",
        "Hvor mange sider kan konseptbeskrivelsen være?",
        "",
    ),
    ("baerekraftig-sentrumshandel", "ida.halvorsen@example.org", "KJØP BILLIGE KLOKKER HER!!! www.example.com", ""),
    (
        "smartere-mobilitet",
        "elsa.nilsson@example.org",
        "Måste lösningen testas i både Stavanger och Helsingborg, eller räcker det med en av städerna?",
        "Det räcker att börja i en av städerna, men beskriv gärna hur lösningen kan flyttas till den andra. "
        "Piloten i Hbg Works kan starta redan i vår.",
    ),
    (
        "smartere-mobilitet",
        "mohammed.ali@example.org",
        "Finnes det åpne data om sykkeltrafikk i Stavanger som vi kan bruke?",
        "Ja, tellepunktene for sykkel ligger som åpne data på *opencom.no*. Vi legger også ut "
        "reisevaneundersøkelsen fra 2024 før fristen.",
    ),
    (
        "smartere-mobilitet",
        "oscar.persson@example.org",
        "Får man skicka in ett koncept som bara handlar om gångtrafik?",
        "",
    ),
)
MERGED = ("baerekraftig-sentrumshandel", 2, 0)  # the third question duplicates the first
HIDDEN = ("baerekraftig-sentrumshandel", 4, "Reklame, ikke et spørsmål om utfordringen.")


def questions_loaded(session: Session) -> bool:
    """True when the demo questions are in the database."""
    marker = select(Challenge.id).where(Challenge.slug == CHALLENGE_MARKER_SLUG).scalar_subquery()
    return session.exec(select(Question.id).where(Question.challenge_id == marker)).first() is not None


def load_questions(session: Session, *, now: datetime) -> None:
    """Questions asked through the service a day after each challenge opened, answered, merged and hidden."""
    asked: dict[str, list[Question]] = {}
    for slug, asker, body, text in QUESTIONS:
        challenge = challenge_by_slug(session, slug)
        opens = challenge.opens_at or now
        moment = min(now, opens + timedelta(days=1, hours=len(asked.get(slug, []))))
        question = questions.ask(session, actor=actor_for(session, asker), challenge=challenge, body=body, now=moment)
        asked.setdefault(slug, []).append(question)
        if text:
            questions.answer(
                session,
                actor=Actor.system(),
                challenge=challenge,
                question=question,
                text=text,
                now=min(now, moment + timedelta(days=1)),
            )
    slug, duplicate, original = MERGED
    challenge = challenge_by_slug(session, slug)
    questions.merge(
        session,
        actor=Actor.system(),
        challenge=challenge,
        question=asked[slug][duplicate],
        into_id=asked[slug][original].id or 0,
        now=now,
    )
    slug, index, reason = HIDDEN
    questions.hide(
        session, actor=Actor.system(), challenge=challenge, question=asked[slug][index], reason=reason, now=now
    )
