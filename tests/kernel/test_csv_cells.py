"""CSV injection: a text cell that a spreadsheet would run as a formula is neutralised in every CSV the app
writes (OWASP: cells starting with = + - @ tab or carriage return get a leading single quote)."""

import csv
import io

import pytest

from tests.factories import make_camera
from webapp.kernel.csv_cells import csv_writer, safe_cell
from webapp.opendata.export_files import write_exports

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_cell_is_prefixed_with_a_quote(text):
    assert safe_cell(text) == "'" + text


def test_plain_text_and_numbers_stay_as_they_are():
    assert safe_cell("Chicago PD") == "Chicago PD"
    assert safe_cell("a=b") == "a=b"
    assert safe_cell(-87.6298) == -87.6298
    buffer = io.StringIO()
    csv_writer(buffer).writerow(["x", -1.5, None, "=1"])
    assert buffer.getvalue() == "x,-1.5,,'=1\n"


def test_the_camera_export_neutralises_an_operator_written_as_a_formula(client, app_context):
    camera = make_camera(operator='=HYPERLINK("http://evil.example","click")')
    write_exports()
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/cameras.csv").get_data(as_text=True))))
    [row] = [row for row in rows if int(row["id"]) == camera.id]
    assert row["operator"] == "'" + camera.operator
    # Coordinates are numbers, and negative ones stay numbers.
    assert float(row["lon"]) < 0


def test_no_other_module_writes_csv_another_way():
    """Every CSV the app (and its benchmarks) write goes through csv_writer: nothing else imports csv."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    importers = []
    for source in [*root.joinpath("webapp").rglob("*.py"), *root.joinpath("bench").rglob("*.py")]:
        for node in ast.walk(ast.parse(source.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if "csv" in names:
                importers.append(str(source.relative_to(root)))
    assert importers == ["webapp/kernel/csv_cells.py"]
