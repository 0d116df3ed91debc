"""The embeddable map and the share dialog in a real browser (Debian's Chromium): a page of another origin
frames /embed with the snippet the share dialog gives, and it draws; the same page framing "/" is refused;
the dialog's link opens the view it was given and its PNG downloads."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories import make_camera
from tests.support.maps import on_map, wait_until
from webapp.kernel.extensions import db


class _NewsroomHandler(BaseHTTPRequestHandler):
    """A newsroom's story page on another origin: its body is whatever the test puts in `story`."""

    story = ""

    def do_GET(self):  # noqa: N802 (the http.server API)
        body = (
            f"<!doctype html><html><head><title>Story</title></head><body>{self.story}</body></html>".encode()
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def newsroom():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NewsroomHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def chicago(app, live_server):
    with app.app_context():
        for index in range(12):
            make_camera(-87.63 + (index % 4) * 0.002, 41.878 + (index // 4) * 0.002)
        db.session.commit()


def frame_at(page, url_part: str, timeout: float = 15.0):
    """The page's frame whose address holds `url_part`, once it has one."""
    for _ in range(int(timeout * 10)):
        found = [frame for frame in page.frames if url_part in frame.url]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError(f"no frame at {url_part}: {[frame.url for frame in page.frames]}")


@pytest.mark.browser
def test_share_dialog_gives_a_link_a_snippet_another_site_can_frame_and_a_png(
    page, live_server, newsroom, chicago
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto(f"{live_server}/#15/41.87900/-87.62700/density")
    wait_until(page, on_map("densityMap.getZoom() === 15"))

    # The dialog opens from its button, takes the focus, and closes back to the button with Escape.
    share = page.locator(".sightline-share-button")
    share.click()
    dialog = page.locator("#share-dialog")
    assert dialog.is_visible()
    assert page.evaluate("document.activeElement.id") == "share-link"
    link = page.locator("#share-link").input_value()
    assert link == f"{live_server}/#15/41.87900/-87.62700/density"
    page.locator("[data-copy=share-link]").click()
    wait_until(page, "document.querySelector('.share-status').textContent !== ''")
    assert page.evaluate("navigator.clipboard.readText()") == link
    snippet = page.locator("#share-snippet").input_value()
    assert snippet.startswith(f'<iframe src="{live_server}/embed?z=15&amp;lat=41.87900&amp;lon=-87.62700')
    page.locator("[data-copy=share-snippet]").click()
    wait_until(page, "navigator.clipboard.readText().then(t => window.__copied = t) && window.__copied")
    assert page.evaluate("window.__copied") == snippet
    png = page.evaluate("document.getElementById('share-png').href")
    assert "/map.png?bbox=" in png and "layer=cameras" in png
    answer = page.request.get(png)
    assert answer.status == 200 and answer.headers["content-type"] == "image/png"
    assert answer.body()[:8] == b"\x89PNG\r\n\x1a\n"
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('sightline-share-button')")

    # The link, pasted into a new tab, opens the same view.
    other = page.context.new_page()
    other.goto(link)
    wait_until(other, on_map("densityMap.getZoom() === 15"))
    centre = other.evaluate(on_map("densityMap.getCenter()"))
    assert abs(centre["lat"] - 41.879) < 1e-4 and abs(centre["lng"] + 87.627) < 1e-4
    other.close()

    # A story on another origin embeds the snippet, and frames "/" too: only the embed draws.
    _NewsroomHandler.story = snippet + f'<iframe src="{live_server}/" title="main"></iframe>'
    page.goto(f"{newsroom}/story")
    embedded = frame_at(page, "/embed?")
    wait_until(embedded, on_map("densityMap.getZoom() === 15"))
    wait_until(embedded, "document.querySelectorAll('.leaflet-tile path').length > 0")
    assert embedded.locator(".site-header").count() == 0
    # The map fills the frame's width (the page's centred, width-limited layout does not apply).
    assert (
        embedded.evaluate(
            "Math.abs(document.querySelector('.leaflet-container').getBoundingClientRect().width"
            " - window.innerWidth)"
        )
        <= 1
    )
    assert embedded.locator(".sightline-share-button").count() == 0
    footer = embedded.locator(".embed-footer").inner_text()
    assert "Sightline contributors" in footer and "Verified cameras as of" in footer
    assert (
        embedded.locator("#open-in-sightline")
        .get_attribute("href")
        .endswith("/#15/41.87900/-87.62700/density")
    )
    assert embedded.locator("#open-in-sightline").get_attribute("target") == "_blank"
    main_frame = page.frame_locator("iframe[title=main]")
    page.wait_for_timeout(500)
    assert main_frame.locator(".leaflet-container").count() == 0
    refused = [frame.url for frame in page.frames if frame.url.startswith("chrome-error://")]
    assert len(refused) == 1, [frame.url for frame in page.frames]
    assert any("frame-ancestors" in error or "Refused to frame" in error for error in page.console_errors)
    # The embed asked nothing of any other host.
    hosts = {url.split("/")[2] for url in page.seen_urls if url.startswith("http")}
    assert hosts == {live_server.split("/")[2], newsroom.split("/")[2]}
