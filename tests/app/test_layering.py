"""The layering written in docs/architecture.md holds: every package of webapp/ is in its table, no module
imports a package of a higher layer, packages never import each other in a circle, no module is part of a
circle of modules, each blueprint serves URLs under the prefixes its package's row lists, and the package
skeleton holds (blueprints in blueprint.py, registered with their view modules from the app's one list, no
module importing a view module). Imports are read with `ast`, inside functions too."""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WEBAPP = PROJECT_ROOT / "webapp"
ARCHITECTURE = PROJECT_ROOT / "docs" / "architecture.md"
LAYER_RANKS = {"kernel": 0, "shared": 1, "domain": 2}
APP = "app"  # webapp/__init__.py, above every layer


@dataclass(frozen=True)
class Package:
    name: str
    rank: int
    prefixes: tuple[str, ...]


def documented_packages(text: str) -> dict[str, Package]:
    """The rows of the table between the `<!-- layers -->` markers."""
    table = text.split("<!-- layers", 1)[1].split("<!-- /layers -->", 1)[0]
    packages = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[0].startswith("`"):
            continue
        name, layer, _owns, prefixes = cells
        assert layer in LAYER_RANKS, f"{name}: unknown layer {layer!r}"
        listed = tuple(re.findall(r"`([^`]+)`", prefixes))
        packages[name.strip("`")] = Package(name.strip("`"), LAYER_RANKS[layer], listed)
    return packages


PACKAGES_ON_DISK = {path.parent.name for path in WEBAPP.glob("*/__init__.py")}


def package_of(module: str) -> str | None:
    """`webapp.kernel.data.audit` -> `kernel`; `webapp` or a name in webapp/__init__.py -> APP; None
    outside."""
    parts = module.split(".")
    if parts[0] != "webapp":
        return None
    return parts[1] if len(parts) > 1 and parts[1] in PACKAGES_ON_DISK else APP


def module_name(path: Path) -> str:
    relative = path.relative_to(PROJECT_ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str) -> set[str]:
    """Every module an import statement in `source` names (relative imports resolved)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = (
                    module.split(".")[: -node.level] if not module.endswith("__init__") else module.split(".")
                )
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names.add(target)
            # `from webapp import models` imports the package webapp.models.
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def package_imports(sources: dict[str, str]) -> set[tuple[str, str, str]]:
    """(importing module, its package, imported package) for every import between two app packages."""
    found = set()
    for module, source in sources.items():
        here = package_of(module)
        for name in imported_modules(source, module):
            there = package_of(name)
            if there is not None and there != here:
                found.add((module, here, there))
    return found


def layering_violations(sources: dict[str, str], packages: dict[str, Package]) -> list[str]:
    """Upward imports and package circles, as readable sentences (empty when the layering holds)."""
    problems = []
    edges: dict[str, set[str]] = {}
    for module, here, there in sorted(package_imports(sources)):
        if here == APP:
            continue
        if there == APP:
            problems.append(f"{module} imports the app package (webapp/__init__.py)")
            continue
        if here not in packages or there not in packages:
            continue  # the completeness test reports it
        if packages[there].rank > packages[here].rank:
            problems.append(
                f"{module} ({here}, a {_layer(packages[here])} package) imports {there}, "
                f"a {_layer(packages[there])} package above it"
            )
        edges.setdefault(here, set()).add(there)
    problems += [f"packages import each other in a circle: {' -> '.join(cycle)}" for cycle in _cycles(edges)]
    return problems


def _layer(package: Package) -> str:
    return next(name for name, rank in LAYER_RANKS.items() if rank == package.rank)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    cycles, done = [], set()

    def visit(node: str, path: list[str]) -> None:
        for target in sorted(edges.get(node, ())):
            if target in path:
                cycle = path[path.index(target) :] + [target]
                if frozenset(cycle) not in done:
                    done.add(frozenset(cycle))
                    cycles.append(cycle)
            elif len(path) < 20:
                visit(target, [*path, target])

    for start in sorted(edges):
        visit(start, [start])
    return cycles


def _ancestors(module: str) -> list[str]:
    """`webapp.a.b.c` -> [`webapp`, `webapp.a`, `webapp.a.b`]."""
    parts = module.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def module_imports(sources: dict[str, str]) -> dict[str, set[str]]:
    """For every module of `sources`, the modules of `sources` its import statements run.

    `from webapp.p import name` runs `webapp.p` (its `__init__`) and, when `name` is a submodule, that module.
    Importing `webapp.p.m` also runs the packages above it, `webapp.p` first, when they have not run yet; the
    edge to such a parent package is counted only when the parent is not one of the importing module's own
    parents. A module's own parents have always started running before its first line (Python imports a
    package before any of its modules), so importing them again only looks them up: it neither runs them
    nor reads from them, and counting it would call every package whose `__init__` imports its own modules
    (`webapp.jobs` re-exports its API) a circle. Another package's `__init__` does run at that import, and a
    chain through it is a real circle: `a` imports `webapp.p.data`, which runs `webapp.p`'s `__init__`, which
    imports a module that imports `a`, which is then half-initialised. The app package `webapp` is a parent
    of every module, so it is never counted this way; an explicit import of it is."""
    edges: dict[str, set[str]] = {}
    for module, source in sources.items():
        own_parents = {module, *_ancestors(module)}
        targets = set()
        for name in imported_modules(source, module):
            if name not in sources:
                continue
            targets.add(name)
            targets.update(
                parent for parent in _ancestors(name) if parent in sources and parent not in own_parents
            )
        targets.discard(module)
        edges[module] = targets
    return edges


def module_circles(sources: dict[str, str]) -> list[str]:
    """One circle per strongly connected group of modules (Tarjan's algorithm), as readable sentences."""
    edges = module_imports(sources)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return [
        f"modules import each other in a circle: {' -> '.join(_circle_in(group, edges))}" for group in groups
    ]


def _circle_in(group: list[str], edges: dict[str, set[str]]) -> list[str]:
    """The shortest circle through the first (by name) module of a strongly connected group."""
    members, start = set(group), min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(edges[node] & members):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no circle through {start}")


def app_sources() -> dict[str, str]:
    return {module_name(path): path.read_text() for path in WEBAPP.rglob("*.py")}


@pytest.fixture(scope="module")
def packages() -> dict[str, Package]:
    return documented_packages(ARCHITECTURE.read_text())


def test_every_package_is_in_the_table_and_every_row_is_a_package(packages):
    assert set(packages) == PACKAGES_ON_DISK, "docs/architecture.md's table and webapp/ differ"


def test_no_module_imports_a_package_above_its_layer_or_in_a_circle(packages):
    assert layering_violations(app_sources(), packages) == []


def test_the_check_catches_an_upward_import_and_a_circle(packages):
    sources = app_sources()
    upward = dict(sources)
    upward["webapp.kernel.data.audit"] += "\nfrom webapp.moderation.sightings import verify_sighting\n"
    problems = layering_violations(upward, packages)
    assert problems[0] == (
        "webapp.kernel.data.audit (kernel, a kernel package) imports moderation, a domain package above it"
    )
    # Every domain imports the kernel, so the upward import closes circles through it too.
    assert all(
        problem.startswith("packages import each other in a circle: kernel") for problem in problems[1:]
    )
    circle = dict(sources)
    circle["webapp.geo.nearby"] += "\ndef _late():\n    from webapp.photos import published\n"
    circle["webapp.photos.published"] += "\nimport webapp.geo.bbox\n"
    [problem] = layering_violations(circle, packages)
    assert problem in (
        "packages import each other in a circle: geo -> photos -> geo",
        "packages import each other in a circle: photos -> geo -> photos",
    )


def test_each_blueprint_serves_the_prefixes_its_row_lists(app, packages):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        package = package_of(view.__module__)
        prefixes = packages[package].prefixes
        assert any(rule.rule == prefix or rule.rule.startswith(prefix) for prefix in prefixes), (
            f"{rule.rule} is served by {view.__module__}; docs/architecture.md lists {prefixes or None} "
            f"for {package}"
        )


def test_no_module_is_part_of_a_circle_of_modules():
    circles = module_circles(app_sources())
    assert circles == [], "\n".join(circles)


def test_the_check_catches_a_circle_of_modules():
    sources = {
        "webapp": "from webapp.p.views import page\n",
        "webapp.p": '"""A package whose __init__ imports nothing."""\n',
        "webapp.p.views": "from webapp.p.queries import rows\n",
        "webapp.p.queries": "def rows():\n    from webapp.p.views import page\n",
        # A package that re-exports its modules, which import each other one way: no circle.
        "webapp.r": "from webapp.r.c import f\n",
        "webapp.r.c": "from webapp.r.d import g\n",
        "webapp.r.d": "import webapp.kernel\n",
        # `webapp.q.a` imports a module of `webapp.s`, which runs `webapp.s`'s __init__, which imports one
        # that imports `webapp.q.a` back.
        "webapp.q": "",
        "webapp.q.a": "from webapp.s.data import x\n",
        "webapp.s": "from webapp.s import views\n",
        "webapp.s.views": "from webapp.q.a import f\n",
        "webapp.s.data": "x = 1\n",
    }
    assert module_circles(sources) == [
        "modules import each other in a circle: webapp.p.queries -> webapp.p.views -> webapp.p.queries",
        "modules import each other in a circle: webapp.q.a -> webapp.s -> webapp.s.views -> webapp.q.a",
    ]
    real = app_sources()
    real["webapp.agencies.public.profiles"] += "\nfrom webapp.agencies.public.filters import parse_page\n"
    [problem] = module_circles(real)
    assert "webapp.agencies.public.filters" in problem and "webapp.agencies.public.profiles" in problem


def _app_lists() -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """BLUEPRINTS and CLI_MODULES as webapp/__init__.py writes them (read, not imported)."""
    tree = ast.parse((WEBAPP / "__init__.py").read_text())
    values = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id in ("BLUEPRINTS", "CLI_MODULES")
    }
    return values["BLUEPRINTS"], values["CLI_MODULES"]


# The modules that read a request's arguments, form or body into plain values.
REQUEST_PARSING = ("filters", "request_parsing")


def skeleton_problems(sources: dict[str, str], blueprints, cli_modules) -> list[str]:
    """Blueprints are made in blueprint.py modules; the app's one list names every one with the view modules
    (routes.py, api.py) that register on it; no module but the app imports a view module; every cli.py is
    in the app's list of CLI groups, and only another cli.py imports one (to add a command to its group); a
    request-parsing module (REQUEST_PARSING) is imported only where the request is read (a view module, or a
    module that imports flask's `request`), so the queries take plain values."""
    listed_views = {view for _blueprint, *views in blueprints for view in views}
    listed_blueprint_modules = {blueprint.rsplit(".", 1)[0] for blueprint, *_views in blueprints}
    problems = []
    for module, source in sorted(sources.items()):
        leaf = module.rsplit(".", 1)[-1]
        if re.search(r"\bBlueprint\(", source) and leaf != "blueprint":
            problems.append(f"{module} makes a Blueprint outside a blueprint.py")
        if leaf == "blueprint" and module not in listed_blueprint_modules:
            problems.append(f"{module} is not in webapp/__init__.py's BLUEPRINTS")
        if leaf in ("routes", "api") and module not in listed_views:
            problems.append(f"{module} is a view module missing from webapp/__init__.py's BLUEPRINTS")
        if leaf == "cli" and module not in cli_modules:
            problems.append(f"{module} is missing from webapp/__init__.py's CLI_MODULES")
        imported = imported_modules(source, module)
        if any(name.endswith(".blueprint") for name in imported) and module not in listed_views:
            problems.append(f"{module} registers views but is not listed as a view module")
        reads_request = module in listed_views or re.search(r"^from flask import .*\brequest\b", source, re.M)
        if not reads_request:
            problems += [
                f"{module} reads no request but imports the request parsing of {name}"
                for name in sorted(imported)
                if name.rsplit(".", 1)[-1] in REQUEST_PARSING
            ]
        if module != "webapp":
            problems += [
                f"{module} imports the view module {name}" for name in sorted(imported & listed_views)
            ]
            if leaf != "cli":
                problems += [
                    f"{module} imports the CLI module {name}" for name in sorted(imported & set(cli_modules))
                ]
    problems += [
        f"{view} is listed but is not a routes.py or api.py"
        for view in sorted(listed_views)
        if view.rsplit(".", 1)[-1] not in ("routes", "api")
    ]
    return problems


def test_the_package_skeleton_holds():
    problems = skeleton_problems(app_sources(), *_app_lists())
    assert problems == [], "\n".join(problems)


def test_the_skeleton_check_catches_a_stray_blueprint_a_view_import_a_cli_import_and_a_query_parsing():
    sources = app_sources()
    sources["webapp.agencies.public.api"] += "\nfrom webapp.agencies.public.routes import index\n"
    sources["webapp.coverage.tile_routes"] = (
        'from flask import Blueprint\n\nbp = Blueprint("coverage_tiles", __name__)\n'
    )
    sources["webapp.searches.demo_cli"] = "from webapp.searches.cli import cli\n"
    sources["webapp.searches.rows"] += "\nfrom webapp.searches.filters import parse_filters\n"
    assert skeleton_problems(sources, *_app_lists()) == [
        "webapp.agencies.public.api imports the view module webapp.agencies.public.routes",
        "webapp.coverage.tile_routes makes a Blueprint outside a blueprint.py",
        "webapp.searches.demo_cli imports the CLI module webapp.searches.cli",
        "webapp.searches.rows reads no request but imports the request parsing of webapp.searches.filters",
    ]


def test_api_modules_serve_the_api_and_routes_modules_the_rest(app):
    """api.py answers under /api/ only; routes.py (pages, tiles, files) never there."""
    misplaced = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        module = app.view_functions[rule.endpoint].__module__
        in_api_module = module.rsplit(".", 1)[-1] == "api"
        if in_api_module != rule.rule.startswith("/api/"):
            misplaced.append(f"{rule.rule} is served by {module}")
    assert misplaced == [], "\n".join(misplaced)
