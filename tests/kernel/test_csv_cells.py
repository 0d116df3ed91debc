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


def test_an_answer_with_provenance_is_the_bytes_of_writing_every_cell_of_every_row():
    """csv_with_provenance writes the provenance cells once and adds them to each row's line: the file must be
    what writing them on every row makes, whatever the cells hold (quotes, commas, line breaks, formulas)."""
    from webapp.kernel.csv_cells import csv_with_provenance, plain_cell

    rows = [
        ["a", 1, -2.5, None, True, False],
        ['say "hi", twice', "line\nbreak", "=SUM(A1)", "-3", "", None],
        ["", "", None, None, None, "@x"],
        ["\tTAB", "\rCR", 0, "ünïcode, too", "+1", "trailing\n"],
    ]
    columns = ["one", "two", "three", "four", "five", "six"]
    provenance = {"sources": 'Bench "log", 32 files | =method\nnext line', "as_of": "2026-12-07T17:40Z"}
    expected = io.StringIO()
    writer = csv_writer(expected)
    writer.writerow([*columns, *provenance])
    for row in rows:
        writer.writerow([*(plain_cell(value) for value in row), *provenance.values()])
    writer.writerow(["# the rest is elsewhere"])
    assert csv_with_provenance(columns, rows, provenance, note="the rest is elsewhere") == expected.getvalue()
    # One column: a row of one empty cell, and no provenance at all.
    one = io.StringIO()
    csv_writer(one).writerow(["only", "as_of"])
    csv_writer(one).writerow(["", "today"])
    assert csv_with_provenance(["only"], [[None]], {"as_of": "today"}) == one.getvalue()
    assert csv_with_provenance(["x", "y"], [[1, "=2"]], {}) == "x,y\n1,'=2\n"
