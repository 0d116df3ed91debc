"""The README's configuration table lists every environment variable the code reads."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READS = re.compile(
    r"""(?:os\.environ\.get|os\.environ\[|_int|_flag|_duration|_int_from_env)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def _variables_read_by_the_app() -> set[str]:
    sources = [*ROOT.joinpath("webapp").rglob("*.py"), ROOT / "gunicorn.conf.py"]
    return {name for source in sources for name in READS.findall(source.read_text())}


def test_every_environment_variable_is_documented_in_the_readme():
    variables = _variables_read_by_the_app()
    assert {
        "DATABASE_URL",
        "SECRET_KEY",
        "RATELIMIT_SUBMIT",
        "WEB_CONCURRENCY",
    } <= variables  # the scan works
    table = {
        row.split("|")[1].strip().strip("`")
        for row in ROOT.joinpath("README.md").read_text().splitlines()
        if row.startswith("| `")
    }
    assert sorted(variables - table) == []
