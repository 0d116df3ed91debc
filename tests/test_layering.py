"""The layering written in docs/architecture.md holds: every package of webapp/ is in its table, no module
imports a package of a higher layer, packages never import each other in a circle, and each blueprint
serves URLs under the prefixes its package's row lists. Imports are read with `ast`, inside functions too."""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
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
    """`webapp.kernel.audit` -> `kernel`; `webapp` or a name in webapp/__init__.py -> APP; None outside."""
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
    upward["webapp.kernel.audit"] += "\nfrom webapp.moderation.sightings import verify_sighting\n"
    problems = layering_violations(upward, packages)
    assert problems[0] == (
        "webapp.kernel.audit (kernel, a kernel package) imports moderation, a domain package above it"
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
