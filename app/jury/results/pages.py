"""The hosts' jury results page: the ranking with its chart, how it was computed, the method check, the jury report
and links to the CSV exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from babel.numbers import format_decimal
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app import i18n
from app.auth.deps import SignedInDep
from app.challenges.deps import SignedInChallengeDep
from app.clock import ClockDep
from app.db import WritingSessionDep
from app.jury.calibration import Method
from app.jury.results import service
from app.templating import render

router = APIRouter()

# The chart's own units (the SVG scales to the width it is given).
CHART_WIDTH = 400
CHART_LEFT = 14
CHART_RIGHT = CHART_WIDTH - 14
CHART_TOP = 6
ROW_HEIGHT = 38
LABEL_CHARACTERS = 30


def decimal(value: float, places: int = 2, *, signed: bool = False) -> str:
    """`value` with a fixed number of decimals in the current language ("6,40"), signed with + or − if asked."""
    value = round(value, places) + 0.0  # no "−0,00"
    digits = "0." + "0" * places if places else "0"
    pattern = f"+{digits};\u2212{digits}" if signed and value else digits
    return format_decimal(value, format=pattern, locale=i18n.babel_locale())


@dataclass(frozen=True)
class ChartRow:
    label: str
    label_y: float
    bar_y: float
    low_x: float
    score_x: float
    high_x: float


@dataclass(frozen=True)
class ChartTick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    """A dot for each ranked concept's jury score and a bar for its interval, on the scale from 0 to its top."""

    width: int
    height: int
    left: int
    right: int
    axis_y: float
    rows: list[ChartRow]
    ticks: list[ChartTick]
    boundary_y: float | None  # a line under the last prize place, when concepts follow it


def _tick_step(scale_max: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50):
        if scale_max / step <= 10:
            return step
    return scale_max


def _short(title: str) -> str:
    return title if len(title) <= LABEL_CHARACTERS else title[: LABEL_CHARACTERS - 1].rstrip() + "…"


def chart_of(results: service.HostResults) -> Chart:
    """The chart's geometry in its own units, rows in the ranking table's order."""
    scale_max = results.scale_max

    def x(value: float) -> float:
        return round(CHART_LEFT + (CHART_RIGHT - CHART_LEFT) * min(max(value / scale_max, 0.0), 1.0), 1)

    rows = []
    for index, row in enumerate(results.ranking):
        top = CHART_TOP + index * ROW_HEIGHT
        concept = row.concept
        interval = f"{decimal(concept.low, 1)}–{decimal(concept.high, 1)}"
        rows.append(
            ChartRow(
                label=f"{row.rank}. {_short(concept.title)}: {decimal(concept.score)} ({interval})",
                label_y=top + 14,
                bar_y=top + 26,
                low_x=x(concept.low),
                score_x=x(concept.score),
                high_x=x(concept.high),
            )
        )
    axis_y = CHART_TOP + len(rows) * ROW_HEIGHT + 2
    step = _tick_step(scale_max)
    ticks = [ChartTick(x(value), i18n.format_number(value)) for value in range(0, scale_max + 1, step)]
    if scale_max % step:
        ticks.append(ChartTick(x(scale_max), i18n.format_number(scale_max)))
    boundary = CHART_TOP + results.places * ROW_HEIGHT - 2 if len(rows) > results.places else None
    return Chart(CHART_WIDTH, int(axis_y + 22), CHART_LEFT, CHART_RIGHT, axis_y, rows, ticks, boundary)


@router.get("/manage/challenges/{slug}/jury/results", response_class=HTMLResponse)
def results_page(
    request: Request,
    session: WritingSessionDep,
    challenge: SignedInChallengeDep,
    actor: SignedInDep,
    clock: ClockDep,
    method: str | None = None,
    round_: Annotated[str | None, Query(alias="round")] = None,
) -> Response:
    chosen = service.method_named(method)  # a hand-edited address shows the default rather than an error page
    shown_round = int(round_) if round_ in ("1", "2") else None
    results = service.host_results(
        session, actor=actor, challenge=challenge, method=chosen, now=clock.now(), round_=shown_round
    )
    context = {
        "challenge": challenge,
        "results": results,
        "chart": chart_of(results),
        "methods": list(Method),
        "decimal": decimal,
    }
    return render(request, "jury/results.html", context)
