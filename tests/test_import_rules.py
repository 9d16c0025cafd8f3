"""Who may import whom (DESIGN.md §3), read from the source with `ast`: no module is imported to check it.

Every `import` counts, at module level, inside a function (a lazy import is still an import) or under
`if TYPE_CHECKING:` (a dependency all the same). Kinds of module:

- the *kit* (`app/kit/`) and the *core* modules directly in `app/` (config, db, errors, security, templating, i18n,
  clock, actor, openapi, …) sit below every domain: they import the core and the kit only, never a domain;
- the *composition roots* `app/main.py`, `app/cli.py`, `app/models.py` (the table registry) and `app/demo` (demo
  data, a consumer of everything) are exempt from the layering; nothing but a root imports the demo data;
- a *domain* is a top-level package under `app/`, ordered lower → higher in `DOMAIN_ORDER`. In a domain (or a
  feature sub-package such as `app/submissions/team/`):
  - *face* modules: `api.py`, `pages.py`, `*_api.py`, `*_pages.py`;
  - *deps* modules: `deps.py`, `*_deps.py` (lookups that 404 when not visible);
  - *views* modules: `views.py`, `*_views.py` (cards and counts other domains' pages show);
  - the package's `__init__.py`, which names its routers;
  - every other module is *service layer* (service.py, permissions.py, models.py, schemas.py and a feature's
    modules such as `submissions/gallery.py`).

The rules:

1. A domain's *public* modules are its (or its features') `service`, `permissions`, `views`, `deps`, `models` and
   `schemas`, plus the shared modules DESIGN.md names (`SHARED_MODULES`). Another domain imports nothing else
   from it: not its feature internals, not its faces, not its package `__init__`.
2. Service-layer and views modules import the core, the kit, their own domain's non-face, non-deps modules, and
   lower domains' `service`, `permissions`, `views`, `models` and `schemas` (the shared modules count as
   service); never deps.
3. Face and deps modules (deps serve the faces) may import any domain's public modules (higher domains' too) and
   their own domain's service-layer modules, deps and views — never a face module, not even of their own domain.
4. A face module is imported only by its own package's `__init__` (or a root); so is a package `__init__`.
5. Nobody imports another module's private (`_underscored`) name.
6. No import circles: no module reaches itself through the import graph (lazy imports included; importing
   `app.x.service` is an edge to that module only, not to `app/x/__init__.py`).

Today's tree still breaks some rules: `KNOWN_VIOLATIONS` lists each (module, imported module) pair. The list can
only shrink: a pair that no longer breaks a rule fails `test_known_violations_still_occur` until it is removed.
"""

from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# Lower → higher, as the code imports today: audit and integrations (the outbox) are used by every domain's
# services; accounts by organisations; auth builds the actor from both and guards every route; organisations by
# challenges; challenges by submissions; site only shows.
DOMAIN_ORDER = (
    "audit",
    "integrations",
    "accounts",
    "organizations",
    "auth",
    "challenges",
    "submissions",
    "voting",
    "jury",
    "site",
)
ROOTS = frozenset({"main", "cli", "models", "demo"})
PUBLIC_NAMES = frozenset({"service", "permissions", "views", "deps", "models", "schemas"})
# Modules DESIGN.md / EXAMPLES.md name as the way other domains reach them (they count as a service).
SHARED_MODULES = frozenset(
    {
        "accounts.gdpr",  # domains register their GDPR export and deletion with it (DESIGN.md §3)
        "challenges.phases",  # the phase table every predicate consults (DESIGN.md house rule 3)
        "integrations.outbox",  # services enqueue their events (EXAMPLES.md, "Services own the rules")
    }
)

KNOWN_VIOLATIONS: frozenset[tuple[str, str]] = frozenset({})


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    module: str
    imported: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.imported} ({self.reason})"


@dataclass(frozen=True)
class Edge:
    path: str
    line: int
    module: str
    imported: str
    names: tuple[str, ...]  # the names taken from `imported` that are not modules themselves


def module_files(app: Path) -> dict[str, Path]:
    """Every module under `app`, by its dotted name (`app.x.y`; a package is its `__init__.py`)."""
    modules = {}
    for path in sorted(app.rglob("*.py")):
        parts = (app.name, *path.relative_to(app).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def import_edges(app: Path) -> list[Edge]:
    """Every import of a module under `app`, anywhere in a file (inside functions too)."""
    modules = module_files(app)
    edges = []
    for module, path in modules.items():
        shown = path.relative_to(app.parent).as_posix()
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules and alias.name != app.name:
                        edges.append(Edge(shown, node.lineno, module, alias.name, ()))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                if base != app.name and not base.startswith(app.name + "."):
                    continue
                attributes = []
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    if submodule in modules:
                        edges.append(Edge(shown, node.lineno, module, submodule, ()))
                    else:
                        attributes.append(alias.name)
                if attributes and base in modules and base != app.name:
                    edges.append(Edge(shown, node.lineno, module, base, tuple(attributes)))
    return edges


def kind(module: str, packages: frozenset[str]) -> str:
    """core, kit, root, package, face, deps, views or service (see the module docstring)."""
    parts = module.split(".")[1:]
    if not parts:
        return "core"
    if parts[0] == "kit":
        return "kit"
    if parts[0] in ROOTS:
        return "root"
    if module in packages:
        return "package"
    if len(parts) == 1:
        return "core"
    last = parts[-1]
    if last in {"api", "pages"} or last.endswith(("_api", "_pages")):
        return "face"
    if last == "deps" or last.endswith("_deps"):
        return "deps"
    if last == "views" or last.endswith("_views"):
        return "views"
    return "service"


def domain(module: str) -> str:
    return module.split(".")[1]


def is_public(module: str) -> bool:
    inner = ".".join(module.split(".")[1:])
    return module.split(".")[-1] in PUBLIC_NAMES or inner in SHARED_MODULES


def rank(name: str) -> int:
    return DOMAIN_ORDER.index(name) if name in DOMAIN_ORDER else -1


def rule_violations(edge: Edge, packages: frozenset[str]) -> list[str]:
    """Why `edge` breaks a layering rule (an empty list when it keeps them)."""
    reasons = []
    importer, target = kind(edge.module, packages), kind(edge.imported, packages)
    private = [name for name in edge.names if name.startswith("_")]
    if private:
        reasons.append(f"takes the private name {', '.join(private)}")
    if target == "root" and domain(edge.imported) == "demo" and domain(edge.module) not in {"main", "cli", "demo"}:
        reasons.append("the demo data is a consumer of everything and imported only by the CLI")
    if importer == "root":
        return reasons
    target_is_domain = target not in {"core", "kit", "root"}
    if importer == "kit":
        if target_is_domain or target == "root":
            reasons.append("app.kit imports no domain")
        return reasons
    if importer == "core":
        if target_is_domain:
            reasons.append("a core module is below every domain and imports none")
        return reasons
    if not target_is_domain:
        return reasons
    own, other = domain(edge.module), domain(edge.imported)
    if rank(own) < 0 or rank(other) < 0:
        reasons.append(f"add the domain {own if rank(own) < 0 else other} to DOMAIN_ORDER")
        return reasons
    if target in {"face", "package"}:
        if not (importer == "package" and own == other and edge.imported != edge.module):
            if importer == "face" and target == "face":
                reasons.append("a page or API module may not import another page or API module")
            else:
                what = "page or API module" if target == "face" else "package's routers"
                reasons.append(f"a {what} is imported only by its own package's __init__ and app.main")
        return reasons
    if importer == "package":
        if own != other:
            reasons.append("a package's __init__ names its own routers and imports no other domain")
        return reasons
    if own != other and not is_public(edge.imported):
        reasons.append(
            f"reaches into app.{other}'s internals: only its service, permissions, views, deps, models and "
            "schemas are for other domains"
        )
        return reasons
    if importer in {"face", "deps"}:
        return reasons
    if target == "deps":
        reasons.append(f"a {importer}-layer module may not import deps (only pages, API modules and deps may)")
    elif own != other and rank(other) >= rank(own):
        reasons.append(
            f"a {importer}-layer module imports only lower domains ({other} is not below {own} in DOMAIN_ORDER)"
        )
    return reasons


def circles(edges: list[Edge]) -> list[Violation]:
    """Every edge that lies on an import circle, with one circle through it."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.module, set()).add(edge.imported)
    component = _components(graph)
    found = []
    for edge in edges:
        if edge.module == edge.imported or component.get(edge.module) != component.get(edge.imported):
            continue
        path = _shortest_path(graph, edge.imported, edge.module)
        circle = " -> ".join([edge.module, *path])
        found.append(Violation(edge.path, edge.line, edge.module, edge.imported, f"an import circle: {circle}"))
    return found


def _components(graph: dict[str, set[str]]) -> dict[str, int]:
    """Tarjan's strongly connected components: module -> component number."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    component: dict[str, int] = {}

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component[member] = index[node]
                if member == node:
                    break

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return component


def _shortest_path(graph: dict[str, set[str]], start: str, goal: str) -> list[str]:
    came_from: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            break
        for successor in sorted(graph.get(node, ())):
            if successor not in came_from:
                came_from[successor] = node
                queue.append(successor)
    path: list[str] = []
    step: str | None = goal
    while step is not None:
        path.append(step)
        step = came_from[step]
    return path[::-1]


def check(app: Path) -> list[Violation]:
    """Every import under `app` that breaks a rule of the module docstring."""
    packages = frozenset(name for name, path in module_files(app).items() if path.name == "__init__.py")
    edges = import_edges(app)
    found = [
        Violation(edge.path, edge.line, edge.module, edge.imported, reason)
        for edge in edges
        for reason in rule_violations(edge, packages)
    ]
    return sorted([*found, *circles(edges)], key=lambda v: (v.path, v.line, v.imported, v.reason))


def test_the_app_keeps_the_import_rules() -> None:
    new = [v for v in check(APP) if (v.module, v.imported) not in KNOWN_VIOLATIONS]
    assert not new, "imports that break DESIGN.md §3 (see tests/test_import_rules.py):\n" + "\n".join(map(str, new))


def test_known_violations_still_occur() -> None:
    occurring = {(v.module, v.imported) for v in check(APP)}
    fixed = sorted(KNOWN_VIOLATIONS - occurring)
    assert not fixed, "no longer a violation, remove from KNOWN_VIOLATIONS: " + ", ".join(map(str, fixed))


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """A synthetic `app/` package under `root` (each file's text as given; packages get an empty __init__)."""
    app = root / "app"
    for name, text in files.items():
        path = app / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in [path.parent, *path.parent.parents]:
            if folder == root:
                break
            (folder / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return app


CLEAN_TREE = {
    "config.py": "",
    "errors.py": "from app.config import get_settings\n",
    "kit/forms.py": "from app.errors import AppError\n",
    "main.py": "from app import accounts, challenges\nfrom app.challenges import pages\n",
    "accounts/__init__.py": "def routers():\n    from app.accounts import api, pages\n",
    "accounts/models.py": "",
    "accounts/service.py": "from app.accounts.models import User\nfrom app.kit import forms\n",
    "accounts/deps.py": "from app.accounts import service\n",
    "accounts/api.py": "from app.accounts import deps, service\n",
    "accounts/pages.py": "from app.accounts import deps, service\nfrom app.challenges import views\n",
    "challenges/models.py": "from app.accounts.models import User\n",
    "challenges/service.py": "from app.accounts import service as accounts\nfrom app.challenges import questions\n",
    "challenges/questions.py": "def ask():\n    from app.accounts import service\n",
    "challenges/views.py": "from app.challenges import service\n",
    "challenges/deps.py": "from app.auth.deps import ActorDep\nfrom app.challenges import service\n",
    "challenges/pages.py": "from app.challenges import deps, questions, service, views\n",
    "challenges/questions_pages.py": "from .questions import ask\nfrom . import service\n",
    "challenges/team/service.py": "from app.challenges import service\n",
    "challenges/team/pages.py": "from app.challenges.team import service\nfrom app.auth.deps import ActorDep\n",
    "demo/__init__.py": "from app.demo import challenges\nfrom app.demo.base import png\n",
    "demo/base.py": "from app.challenges import service\n",
    "demo/challenges.py": "from app.challenges import pages\nfrom app.demo.base import png\n",
}


def test_a_clean_tree_passes(tmp_path: Path) -> None:
    assert check(write_tree(tmp_path, CLEAN_TREE)) == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {
                "challenges/pages.py": "from app.challenges import questions_pages\n",
                "challenges/questions_pages.py": "",
            },
            "app/challenges/pages.py:1 imports app.challenges.questions_pages "
            "(a page or API module may not import another page or API module)",
            id="a page imports a page of its own domain",
        ),
        pytest.param(
            {"site/pages.py": "\n\nfrom app.challenges.pages import card\n", "challenges/pages.py": ""},
            "app/site/pages.py:3 imports app.challenges.pages "
            "(a page or API module may not import another page or API module)",
            id="a page imports another domain's page",
        ),
        pytest.param(
            {"challenges/team/pages.py": "from app.challenges.api import x\n", "challenges/api.py": "x = 1\n"},
            "app/challenges/team/pages.py:1 imports app.challenges.api "
            "(a page or API module may not import another page or API module)",
            id="a feature page imports an API module",
        ),
        pytest.param(
            {"kit/urls.py": "def f():\n    from app.challenges import service\n", "challenges/service.py": ""},
            "app/kit/urls.py:2 imports app.challenges.service (app.kit imports no domain)",
            id="kit imports a domain lazily",
        ),
        pytest.param(
            {"clock.py": "import app.accounts.models\n", "accounts/models.py": ""},
            "app/clock.py:1 imports app.accounts.models (a core module is below every domain and imports none)",
            id="core imports a domain",
        ),
        pytest.param(
            {"accounts/service.py": "from app.challenges import service\n", "challenges/service.py": ""},
            "app/accounts/service.py:1 imports app.challenges.service "
            "(a service-layer module imports only lower domains (challenges is not below accounts in DOMAIN_ORDER))",
            id="a service imports a higher domain's service",
        ),
        pytest.param(
            {"challenges/service.py": "from app.challenges import deps\n", "challenges/deps.py": ""},
            "app/challenges/service.py:1 imports app.challenges.deps "
            "(a service-layer module may not import deps (only pages, API modules and deps may))",
            id="a service imports deps",
        ),
        pytest.param(
            {"challenges/pages.py": "from app.submissions.gallery import cards\n", "submissions/gallery.py": ""},
            "app/challenges/pages.py:1 imports app.submissions.gallery (reaches into app.submissions's internals: "
            "only its service, permissions, views, deps, models and schemas are for other domains)",
            id="a page reaches into another domain's feature module",
        ),
        pytest.param(
            {
                "submissions/gallery_api.py": "from app.submissions.service import _found, read\n",
                "submissions/service.py": "",
            },
            "app/submissions/gallery_api.py:1 imports app.submissions.service (takes the private name _found)",
            id="a private name",
        ),
        pytest.param(
            {"challenges/service.py": "from app import demo\n", "demo.py": ""},
            "app/challenges/service.py:1 imports app.demo "
            "(the demo data is a consumer of everything and imported only by the CLI)",
            id="a domain imports the demo data",
        ),
        pytest.param(
            {"kit/text.py": "from app.demo import DATA\n", "demo/__init__.py": "DATA = 1\n"},
            "app/kit/text.py:1 imports app.demo (app.kit imports no domain)",
            id="kit imports the demo data",
        ),
        pytest.param(
            {
                "submissions/service.py": "def f():\n    from app.challenges import service as challenges\n",
                "challenges/service.py": "from app.submissions import service\n",
            },
            "app/submissions/service.py:2 imports app.challenges.service "
            "(an import circle: app.submissions.service -> app.challenges.service -> app.submissions.service)",
            id="a circle dodged with a lazy import",
        ),
    ],
)
def test_each_broken_rule_is_reported(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    reported = [str(v) for v in check(write_tree(tmp_path, {**CLEAN_TREE, **files}))]
    assert expected in reported


def test_a_longer_circle_names_every_step(tmp_path: Path) -> None:
    files = {
        "audit/service.py": "from app.accounts import service\n",
        "accounts/service.py": "from app.organizations.service import x\n",
        "organizations/service.py": "import app.audit.service\nx = 1\n",
    }
    reported = [v for v in check(write_tree(tmp_path, files)) if "circle" in v.reason]
    assert {(v.module, v.imported) for v in reported} == {
        ("app.audit.service", "app.accounts.service"),
        ("app.accounts.service", "app.organizations.service"),
        ("app.organizations.service", "app.audit.service"),
    }
    assert (
        "an import circle: app.audit.service -> app.accounts.service -> app.organizations.service -> app.audit.service"
        in {v.reason for v in reported}
    )
