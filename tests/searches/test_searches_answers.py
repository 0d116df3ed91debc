"""The searches answers (issue 21, item 5) against a log imported in the test through the real importer from
a real CSV file: each figure, the filters, the rows behind a figure (citable by file and row), the CSV files
read back with csv, the sources statement, demo data marked, and the questions across logs."""

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.agencies import make_data_source, policy, share
from tests.support.search_answer_logs import (
    AUSTIN,
    DALLAS,
    ICE,
    IMMIGRATION_ROWS,
    NETWORK_ROWS,
    OFFICER,
    OKLAHOMA,
    PLATE,
    SOURCE,
    network_world,
    org_world,
)


@pytest.fixture
def world(app_context, tmp_path):
    return network_world(tmp_path)


def searched_by(client, world, **args):
    response = client.get(f"/api/v1/agencies/{world['owner'].id}/searched-by", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def all_rows(client, url: str) -> list[dict]:
    """Every row behind a figure, following `next` page after page."""
    rows, seen_pages = [], 0
    path, query = url.split("?", 1) if "?" in url else (url, "")
    api = path.replace("/searches/agencies/", "/api/v1/agencies/").replace(
        "/searched-by/rows", "/searched-by/rows"
    )
    args = {name: values[0] for name, values in parse_qs(query).items()}
    while True:
        response = client.get(api, query_string=args)
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.get_json()
        rows += page["rows"]
        seen_pages += 1
        assert seen_pages < 50
        if not page["next"]:
            return rows
        args["after"] = page["next"]


def test_the_headline_figures_and_every_list(client, world):
    answer = searched_by(client, world)
    assert answer["total"] == len(NETWORK_ROWS) == 10
    assert answer["immigration"] == len(IMMIGRATION_ROWS) == 5
    categories = {entry["category"]: entry for entry in answer["immigration_categories"]}
    assert {name: entry["searches"] for name, entry in categories.items() if entry["searches"]} == {
        "ice_hold": 1,
        "ice": 2,
        "immigration_dropdown": 1,
        "cbp": 1,
        "hsi": 1,
    }
    assert categories["hsi"]["counted"] is False and categories["ice"]["counted"] is True
    assert answer["no_reason"] == 2
    assert answer["searching_agencies"] == 4
    relations = {entry["relation"]: entry for entry in answer["by_relation"]}
    assert {name: entry["searches"] for name, entry in relations.items()} == {
        "in_state": 5,
        "out_of_state": 3,
        "federal": 1,
        "unknown": 1,
    }
    assert relations["out_of_state"]["immigration"] == 2
    assert [(entry["name"], entry["searches"]) for entry in answer["by_searcher"]] == [
        (AUSTIN, 5),
        (OKLAHOMA, 3),
        (DALLAS, 1),
        (ICE, 1),
    ]
    assert answer["by_searcher"][1]["agency"]["state"] == "OK"
    assert [(m["month"], m["searches"], m["immigration"]) for m in answer["by_month"]] == [
        ("2025-01", 5, 2),
        ("2025-02", 5, 3),
    ]
    assert {t["search_type"]: t["searches"] for t in answer["by_search_type"]} == {
        "search": 7,
        "lookup": 2,
        "search - Mobile": 1,
    }
    assert answer["multi_network"] == 4


def test_filters_narrow_every_figure(client, world):
    immigration = searched_by(client, world, category="immigration")
    assert immigration["total"] == immigration["immigration"] == 5
    assert immigration["no_reason"] == 0
    february = searched_by(client, world, **{"from": "2025-02", "to": "2025-02"})
    assert (february["total"], february["immigration"], february["no_reason"]) == (5, 3, 1)
    assert [m["month"] for m in february["by_month"]] == ["2025-02"]
    oklahoma = searched_by(client, world, searcher=world["searchers"][OKLAHOMA])
    assert (oklahoma["total"], oklahoma["immigration"], oklahoma["searching_agencies"]) == (3, 2, 1)
    both = searched_by(client, world, searcher=world["searchers"][OKLAHOMA], **{"from": "2025-02"})
    assert both["total"] == 1 and both["by_category"][0]["category"] == "cbp"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"from": "2025-13"}, "from"),
        ({"category": "aliens"}, "category"),
        ({"searcher": "-1"}, "searcher"),
        ({"from": "2025-03", "to": "2025-01"}, "to"),
    ],  # fmt: skip
)
def test_bad_filters_are_refused_by_name(client, world, args, field):
    response = client.get(f"/api/v1/agencies/{world['owner'].id}/searched-by", query_string=args)
    assert response.status_code == 400
    assert response.get_json()["message"].startswith(field)


def test_an_agency_without_a_network_log_says_so(client, app_context):
    from tests.support.agencies import make_agency

    agency = make_agency("Nowhere Police Department", state="TX")
    response = client.get(f"/api/v1/agencies/{agency.id}/searched-by")
    assert response.status_code == 404
    assert "network audit log" in response.get_json()["message"]


def test_every_figure_links_to_the_rows_behind_it(client, world):
    answer = searched_by(client, world)
    immigration_rows = all_rows(client, answer["rows"]["immigration"])
    assert sorted(row["row"] for row in immigration_rows) == list(IMMIGRATION_ROWS)
    assert {row["file"] for row in immigration_rows} == {world["file_id"]}
    assert {row["file_name"] for row in immigration_rows} == {"network_2025.csv"}
    for entry in (
        answer["by_relation"] + answer["by_category"] + answer["by_month"] + answer["by_search_type"]
    ):
        assert len(all_rows(client, entry["rows"])) == entry["searches"], entry
    for entry in answer["by_searcher"]:
        rows = all_rows(client, entry["rows"])
        assert len(rows) == entry["searches"] and {row["searcher"] for row in rows} == {entry["name"]}
    assert len(all_rows(client, answer["rows"]["no_reason"])) == answer["no_reason"]
    first = all_rows(client, answer["rows"]["total"])[0]
    assert first == first | {
        "row": 1,
        "searcher": AUSTIN,
        "reason": "stolen vehicle",
        "networks": 1,
        "devices": 7,
    }
    assert (
        first["searched_at"] == "2025-01-05T09:01:00Z" and first["time_frame_from"] == "2025-01-05T08:00:00Z"
    )


def test_rows_come_a_page_at_a_time_without_gaps_or_repeats(client, world):
    owner = world["owner"].id
    seen, after = [], None
    for _page in range(20):
        args = {"limit": "3", **({"after": after} if after else {})}
        page = client.get(f"/api/v1/agencies/{owner}/searched-by/rows", query_string=args).get_json()
        assert len(page["rows"]) <= 3
        seen += [row["row"] for row in page["rows"]]
        after = page["next"]
        if not after:
            break
    assert seen == list(range(1, 11))
    response = client.get(f"/api/v1/agencies/{owner}/searched-by/rows", query_string={"after": "yesterday"})
    assert response.status_code == 400 and response.get_json()["message"].startswith("after")


def read_csv(response) -> list[dict]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_csv_files_read_back_with_their_sources(client, world):
    owner = world["owner"].id
    figures = read_csv(client.get(f"/api/v1/agencies/{owner}/searched-by.csv"))
    by_key = {(row["list"], row["key"]): row for row in figures}
    assert by_key[("figures", "total")]["searches"] == "10"
    assert by_key[("figures", "immigration")]["searches"] == "5"
    assert by_key[("by_relation", "out_of_state")]["searches"] == "3"
    assert by_key[("by_month", "2025-02")]["immigration"] == "3"
    assert by_key[("by_searcher", str(world["searchers"][OKLAHOMA]))]["label"].startswith(OKLAHOMA)
    assert all(SOURCE.title in row["sources"] and row["as_of"] for row in figures)
    assert urlsplit(by_key[("figures", "immigration")]["rows"]).path.endswith("/searched-by/rows")
    rows = read_csv(
        client.get(f"/api/v1/agencies/{owner}/searched-by/rows.csv", query_string={"category": "immigration"})
    )
    assert [int(row["row"]) for row in rows] == list(IMMIGRATION_ROWS)
    assert rows[0]["file_name"] == "network_2025.csv" and rows[0]["category"] == "ice_hold"
    assert all("2025-03-14" in row["sources"] for row in rows)


def test_every_answer_carries_its_sources_statement(client, world):
    answer = searched_by(client, world)
    (log_file,) = answer["sources"]["logs"]
    assert log_file == log_file | {
        "title": SOURCE.title,
        "url": SOURCE.url,
        "received_on": "2025-03-14",
        "file_name": "network_2025.csv",
        "period_from": "2025-01-05",
        "period_to": "2025-02-21",
        "demo": False,
    }
    assert answer["sources"]["demo"] is False
    page = client.get(f"/searches/agencies/{world['owner'].id}/searched-by").get_data(as_text=True)
    assert SOURCE.title in page and SOURCE.url in page and "2025-03-14" in page
    assert "DEMO" not in page


def test_the_page_shows_the_figures_and_links_them(client, world):
    response = client.get(f"/searches/agencies/{world['owner'].id}/searched-by", query_string={"lang": "es"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Quién buscó en las cámaras de Testville Police Department" in page
    assert "searched-by/rows?category=immigration" in page
    agency_page = client.get(f"/agencies/{world['owner'].id}").get_data(as_text=True)
    assert f"/searches/agencies/{world['owner'].id}/searched-by" in agency_page


def test_a_demo_log_is_marked_wherever_it_is_shown(client, app_context, tmp_path):
    world = network_world(tmp_path, demo=True)
    owner = world["owner"].id
    assert searched_by(client, world)["log"]["demo"] is True
    for path in (
        f"/searches/agencies/{owner}/searched-by",
        f"/searches/agencies/{owner}/searched-by/rows",
        "/searches",
    ):
        assert 'data-testid="demo-mark"' in client.get(path).get_data(as_text=True), path
    rows = read_csv(client.get(f"/api/v1/agencies/{owner}/searched-by/rows.csv"))
    assert all(row["sources"].startswith("GENERATED DEMO DATA") for row in rows)
    assert client.get("/api/v1/searches/immigration").get_json()["pairs"][0]["demo"] is True


def test_the_officers_log_is_never_broken_down_by_officer(client, world, tmp_path):
    org_world(tmp_path, world["owner"])
    owner = world["owner"].id
    answer = client.get(f"/api/v1/agencies/{owner}/officers-searched").get_json()
    assert (answer["total"], answer["immigration"], answer["no_reason"], answer["multi_network"]) == (
        3,
        1,
        1,
        1,
    )
    assert answer["multi_network_share"] == pytest.approx(1 / 3, abs=1e-4)
    assert [m["month"] for m in answer["by_month"]] == ["2025-03", "2025-04"]
    assert "by_searcher" not in answer
    texts = [
        client.get(f"/searches/agencies/{owner}/officers").get_data(as_text=True),
        client.get(f"/searches/agencies/{owner}/officers/rows").get_data(as_text=True),
        client.get(f"/api/v1/agencies/{owner}/officers-searched/rows.csv").get_data(as_text=True),
    ]
    for body in texts:
        assert OFFICER not in body and "Jane" not in body and PLATE not in body
    assert len(client.get(f"/api/v1/agencies/{owner}/officers-searched/rows").get_json()["rows"]) == 3


def test_across_logs_immigration_and_out_of_state(client, world):
    immigration = client.get("/api/v1/searches/immigration").get_json()
    pairs = {
        (pair["searcher"]["name"], pair["owner"]["id"]): pair["searches"] for pair in immigration["pairs"]
    }
    owner = world["owner"].id
    assert pairs == {(OKLAHOMA, owner): 2, (AUSTIN, owner): 1, (ICE, owner): 1, (DALLAS, owner): 1}
    assert immigration["searches"] == 5
    out_of_state = client.get("/api/v1/searches/out-of-state", query_string={"state": "TX"}).get_json()
    assert [(pair["searcher"]["name"], pair["searches"]) for pair in out_of_state["pairs"]] == [(OKLAHOMA, 3)]
    assert client.get("/api/v1/searches/out-of-state", query_string={"state": "OK"}).get_json()["pairs"] == []
    rows = read_csv(client.get("/api/v1/searches/out-of-state.csv", query_string={"state": "TX"}))
    assert [(row["searcher"], row["relation"], row["searches"]) for row in rows] == [
        (OKLAHOMA, "out_of_state", "3")
    ]
    page = client.get("/searches/out-of-state", query_string={"state": "TX"}).get_data(as_text=True)
    assert OKLAHOMA in page and SOURCE.title in page


def test_policy_against_practice(client, world):
    source = make_data_source()
    policy(
        world["owner"],
        source,
        prohibited_uses="Immigration enforcement",
        prohibits_immigration_enforcement=True,
    )
    share(world["owner"], world["agencies"][AUSTIN], source)
    answer = client.get("/api/v1/searches/policy-vs-practice").get_json()
    (entry,) = answer["agencies"]
    assert (entry["id"], entry["searches"]) == (world["owner"].id, 5)
    assert {s["name"]: s["searches"] for s in entry["searchers"]} == {
        OKLAHOMA: 2,
        AUSTIN: 1,
        ICE: 1,
        DALLAS: 1,
    }
    assert entry["policy"]["prohibited_uses"] == "Immigration enforcement"
    unlisted = client.get("/api/v1/searches/unlisted-searchers").get_json()
    (owner,) = unlisted["owners"]
    # Austin is on the owner's list; Oklahoma City and ICE are not; Dallas PD is linked to no agency.
    assert (owner["searches"], owner["searches_unlisted"], owner["searches_unmatched"]) == (10, 4, 1)
    assert {s["name"]: s["searches"] for s in owner["unlisted"]} == {OKLAHOMA: 3, ICE: 1}
    rows = read_csv(client.get("/api/v1/searches/unlisted-searchers.csv"))
    assert {row["searcher"] for row in rows} == {OKLAHOMA, ICE}
    for path in ("/searches/policy-vs-practice", "/searches/unlisted-searchers", "/searches"):
        assert client.get(path, query_string={"lang": "es"}).status_code == 200


def test_the_searches_page_lists_the_logs_and_the_questions(client, world):
    page = client.get("/searches").get_data(as_text=True)
    assert "Testville Police Department" in page and SOURCE.title in page
    for path in ("/searches/immigration", "/searches/policy-vs-practice", "/searches/unlisted-searchers"):
        assert path in page
    assert client.get("/api/v1/searches/logs").get_json()["logs"][0]["searches"] == 10
    assert 'href="/searches"' in client.get("/privacy").get_data(as_text=True)
