"""An integrator generates a Python client from /api/v1/openapi.json and it works against a real server."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from app.submissions import service as submissions
from tests.conftest import LiveServer
from tests.factories import make_challenge, make_organization, make_submission, make_user

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "samskap_client"


@pytest.fixture(scope="session")
def generated(app: FastAPI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ModuleType]]:
    """The generator's output and the client package it wrote, generated once per run."""
    folder = tmp_path_factory.mktemp("client")
    document = folder / "openapi.json"
    document.write_text(json.dumps(app.openapi()))
    config = folder / "config.json"
    # No post hooks: formatting the generated code is the integrator's business, not the document's. A download is
    # documented as the file types it really is; the generator reads bytes only for octet-stream unless told.
    binary = dict.fromkeys(submissions.CONTENT_TYPES.values(), "application/octet-stream")
    settings = {"package_name_override": PACKAGE, "post_hooks": [], "content_type_overrides": binary}
    config.write_text(json.dumps(settings))
    command = [GENERATOR, "generate", "--path", document, "--output-path", folder / "out", "--config", config]
    run = subprocess.run(  # noqa: S603  (our own generator, our own document)
        [str(part) for part in command], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(folder / "out"))
        yield run.stdout + run.stderr, importlib.import_module(PACKAGE)
    for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def _call(operation: str, **kwargs: Any) -> Any:
    module = importlib.import_module(f"{PACKAGE}.api.{operation}")
    return module.sync_detailed(**kwargs)


def test_the_client_is_generated_without_a_warning(generated: tuple[str, ModuleType]) -> None:
    output, _package = generated
    assert "warning" not in output.lower(), output


def test_an_integrator_lists_challenges_reads_one_and_its_concepts_and_gets_a_problem_for_a_missing_one(
    generated: tuple[str, ModuleType], live_server: LiveServer, db: Session
) -> None:
    _output, package = generated
    host = make_organization(db, slug="halden", name="Halden kommune")
    challenge = make_challenge(db, host, slug="gronne-tak", title="Grønne tak", submissions_public="at-submission")
    make_submission(db, challenge, make_user(db), title="Sedum på skolene", versions=1)
    models = importlib.import_module(f"{PACKAGE}.models")

    with package.Client(base_url=live_server.url, raise_on_unexpected_status=True) as client:
        listed = _call("challenges.list_challenges", client=client, sort=models.ChallengeSort.DEADLINE)
        assert listed.status_code == 200
        assert [item.slug for item in listed.parsed.items] == ["gronne-tak"]

        one = _call("challenges.get_challenge", client=client, slug="gronne-tak").parsed
        assert isinstance(one, models.ChallengeRead)
        assert (one.title, one.host.slug) == ("Grønne tak", "halden")

        concepts = _call("submissions.list_submissions", client=client, slug="gronne-tak").parsed
        assert isinstance(concepts, models.GalleryPage)
        assert [concept.title for concept in concepts.items] == ["Sedum på skolene"]

        missing = _call("challenges.get_challenge", client=client, slug="finnes-ikke")
        assert missing.status_code == 404
        assert isinstance(missing.parsed, models.Problem)
        assert missing.parsed.type_ == "/problems/not-found"
