"""Issue 23, item 12: the Spanish pages hold no English in their translated parts (the map panel's "other"
and "unknown", the coverage method, moderator pages' statuses, mounts, sources and fields), counts agree
with their number, the catalogue speaks usted throughout, the policy quotes say they are the agencies' own
English, and the English pages write "license plate" (US English)."""

import re
from html import unescape
from pathlib import Path

from babel.messages.pofile import read_po

from tests.factories import make_camera, make_sighting
from tests.support.coverage_fixtures import load_testland, place_cameras

CATALOGUE = (
    Path(__file__).resolve().parents[2] / "webapp" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
)


def visible_text(html: str) -> str:
    """The words a reader sees: no scripts, styles, tags or attributes."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def english_words(text: str, words: list[str]) -> list[str]:
    return [word for word in words if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]


def test_the_map_panel_names_other_and_unknown_in_spanish(client, app_context, tmp_path):
    load_testland(tmp_path)
    place_cameras()
    answer = client.get("/api/v1/coverage/view?bbox=-100,40,-96,41&top=1&lang=es").get_json()
    names = [entry["name"] for entry in answer["vendors"] + answer["operators"]]
    assert "Otros fabricantes" in names and "Otros operadores" in names
    assert not {"Unknown", "Other vendors", "Unknown operator", "Other operators"} & set(names)
    unknown = client.get("/api/v1/coverage/view?bbox=-100,40,-99,41&top=5&lang=es").get_json()
    assert "Operador desconocido" in [entry["name"] for entry in unknown["operators"]]
    assert "Verified cameras only" not in unknown["method"]["counted"]


def test_a_coverage_page_in_spanish_has_its_method_and_counts_in_spanish(client, app_context, tmp_path):
    load_testland(tmp_path)
    place_cameras()
    make_camera(-98.6, 40.6, vendor="unknown", operator=None)  # Second County: 2 reported
    page = visible_text(client.get("/coverage/areas/98001?lang=es").get_data(as_text=True))
    assert "Solo cámaras verificadas" in page and "Verified cameras only" not in page
    assert "1 importada de OpenStreetMap, 2 reportadas aquí" in page
    second = visible_text(client.get("/coverage/areas/98007?lang=es").get_data(as_text=True))
    assert "0 importadas de OpenStreetMap, 1 reportada aquí" in second and "1 reportadas" not in second
    assert "(en las palabras de las propias fuentes, en inglés)" in page


def test_moderator_pages_in_spanish_name_statuses_mounts_sources_and_fields_in_spanish(
    moderator_client, app_context
):
    camera = make_camera(mount="pole", directions=[90], operator="CPD")
    form = {
        "version": str(camera.version),
        "lat": "41.878100",
        "lon": "-87.629800",
        "directions": "90, 270",
        "vendor": "flock-safety",
        "mount": "pole",
        "operator": "CPD",
    }
    assert moderator_client.post(f"/moderate/cameras/{camera.id}/correct", data=form).status_code == 303
    page = visible_text(moderator_client.get(f"/moderate/cameras/{camera.id}?lang=es").get_data(as_text=True))
    assert english_words(page, ["verified", "pole", "report", "directions", "correct", "camera"]) == []
    assert "verificada" in page and "En su propio poste" in page and "direcciones" in page

    sighting = make_sighting(mount="pole", vendor="unknown")
    review = moderator_client.get(f"/moderate/sightings/{sighting.id}?lang=es").get_data(as_text=True)
    assert english_words(visible_text(review), ["pending", "pole", "Unknown"]) == []


def test_the_catalogue_speaks_usted_throughout():
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    familiar = re.compile(
        r"(?<!\w)(tú|tu|tus|puedes|haz|estás|editabas|revisabas|elige|escribe|indica|busca|selecciona|"
        r"cópialo|muévelo|genérala|toma|corrige|vuelve a cargar|has pedido|sube el|envía el)(?!\w)",
        re.IGNORECASE,
    )
    found = []
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            # "indica"/"elige" are also the third person ("la fuente indica"): only at a sentence's start.
            for match in familiar.finditer(text or ""):
                before = (text or "")[: match.start()].rstrip()
                third_person = match.group(1).lower() in {
                    "indica",
                    "elige",
                    "busca",
                    "toma",
                    "escribe",
                } and not (before == "" or before.endswith((".", ":", ";", "¿", "¡", '"')))
                if not third_person:
                    found.append((message.id, match.group(1)))
    assert found == []


def test_policy_quotes_say_they_are_the_agencies_own_english(client):
    for language, note in (
        ("en", "quoted as the agencies publish them"),
        ("es", "se citan tal como las agencias"),
    ):
        page = client.get(f"/agencies/policy-vs-federal?lang={language}")
        assert page.status_code == 200
        assert note in page.get_data(as_text=True)


def test_english_pages_write_license_plate(client, app_context):
    camera = make_camera()
    for url in ("/submit", "/privacy", f"/cameras/{camera.id}"):
        text = visible_text(client.get(url).get_data(as_text=True))
        assert "licence" not in text.lower().replace("open database licence", ""), url
    assert "license plates" in visible_text(client.get("/submit").get_data(as_text=True))
