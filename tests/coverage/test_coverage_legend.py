"""The choropleth's legend never shows an empty or repeated class ("0–0, 0–0, 0–0, 0–0, > 0" on a fresh
install): quintiles that are values areas have, merged where equal, rounded as the legend writes them. Checked
with degenerate data (all zeros, one value, two values) and any data hypothesis draws."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import make_camera
from tests.support.coverage_fixtures import load_testland
from tests.support.js_modules import call_export, export_value
from webapp.coverage.choropleth import QUANTILES, WHOLE_METRICS, legend_classes, legend_of, shown
from webapp.kernel.vocabulary import AreaKind
from webapp.map.view_image import CHOROPLETH_COLOURS, NO_FIGURE


def quintiles(values: list[float]) -> list[float]:
    """PostgreSQL's percentile_disc: the first value whose cumulative share reaches the fraction."""
    ordered = sorted(values)
    return [ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] for fraction in QUANTILES]


def legend_for(metric: str, values: list[float]):
    return legend_classes(metric, quintiles(values), min(values), max(values))


def class_of(value: float, breaks: list[float]) -> int:
    """static/js/choropleth.js classOf."""
    return next((index for index, cut in enumerate(breaks) if value <= cut), len(breaks))


def assert_readable(metric: str, values: list[float]) -> None:
    breaks, classes = legend_for(metric, values)
    assert len(classes) == len(breaks) + 1 <= 5
    assert len({tuple(bounds) for bounds in classes}) == len(classes), classes  # none repeated
    for low, high in classes:
        assert high is None or low <= high, classes
    assert breaks == sorted(set(breaks))
    used = {class_of(shown(value), breaks) for value in values}
    assert used == set(range(len(classes))), (classes, values)  # none empty


def test_all_zeros_is_one_class_reading_0():
    assert legend_for("cameras", [0] * 3222) == ([], [[0.0, 0.0]])
    assert legend_for("per_10k_residents", [0.0] * 52) == ([], [[0.0, 0.0]])


def test_one_value_is_one_class():
    assert legend_for("cameras", [7] * 40) == ([], [[7.0, 7.0]])
    assert legend_for("cameras", [3]) == ([], [[3.0, 3.0]])


def test_two_values_are_two_classes():
    breaks, classes = legend_for("cameras", [0] * 30 + [5] * 10)
    assert (breaks, classes) == ([0.0], [[0.0, 0.0], [0.0, None]])  # "0" and "> 0"
    assert_readable("cameras", [0] * 30 + [5] * 10)
    assert_readable("per_10k_residents", [0.0] * 3 + [0.25] * 1000)


def test_whole_counts_start_after_the_cut_before():
    breaks, classes = legend_for("cameras", list(range(100)))
    assert breaks == [19.0, 39.0, 59.0, 79.0]
    assert classes == [[0.0, 19.0], [20.0, 39.0], [40.0, 59.0], [60.0, 79.0], [79.0, None]]
    assert "cameras" in WHOLE_METRICS


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["cameras", "per_10k_residents"]),
    st.lists(
        st.one_of(st.integers(0, 5), st.integers(0, 100_000), st.floats(0, 50, allow_nan=False)),
        min_size=1,
        max_size=60,
    ),
)
def test_no_data_ever_gives_an_empty_or_repeated_class(metric, values):
    if metric in WHOLE_METRICS:
        values = [float(round(value)) for value in values]
    assert_readable(metric, values)


def test_the_live_legend_of_a_fresh_install_and_of_one_camera(client, app_context, tmp_path):
    load_testland(tmp_path)
    empty = client.get("/api/v1/coverage/legend?kind=county").get_json()
    assert empty["classes"]["cameras"] == [[0, 0]]
    assert empty["breaks"]["cameras"] == []
    assert empty["classes"]["per_10k_residents"] == [[0, 0]]

    make_camera(-99.5, 40.5)
    counties = legend_of(AreaKind.COUNTY)
    assert counties.classes["cameras"][-1] == [0.0, None]
    assert len({tuple(bounds) for bounds in counties.classes["cameras"]}) == len(counties.classes["cameras"])


def test_the_legend_script_classes_rounds_and_colours_as_the_server():
    """choropleth.js (the map's and /coverage's legend) against the server: a figure falls in the class
    class_of says, a bound reads as `shown` rounds it, and the classes' colours are the PNG's."""
    breaks = [0.0, 0.5, 2.5, 10.0]
    values = [-1.0, 0.0, 0.25, 0.5, 0.5001, 2.5, 9.99, 10.0, 10.01, 1e6]
    assert call_export("choropleth.js", "classOf", [[value, breaks] for value in values]) == [
        class_of(value, breaks) for value in values
    ]
    assert call_export("choropleth.js", "classOf", [[3.0, []]]) == [class_of(3.0, [])]
    # The legend writes the bounds the server rounded (an exact half, 1234.5, is the one figure the two would
    # round apart: Python to even, the script up), and rounds any other figure as the server does.
    figures = [0.0, 0.012345, 0.5, 2.345, 12.34, 99.94, 99.96, 100.4, 1234.6, 987654.3]
    rounded = [shown(figure) for figure in figures]
    for asked in (figures, rounded):
        written = call_export("choropleth.js", "fmt", [[figure, "en-US"] for figure in asked])
        assert [float(text.replace(",", "")) for text in written] == rounded
    assert export_value("choropleth.js", "COLOURS") == list(CHOROPLETH_COLOURS)
    assert export_value("choropleth.js", "NO_DATA") == NO_FIGURE
