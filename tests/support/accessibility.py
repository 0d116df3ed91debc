"""Accessibility checks in Chromium: axe-core (npm, a dev dependency never served to visitors) evaluated in
the page through the DevTools protocol, so the page's CSP needs no exception for it."""

from functools import cache

from tests.support.database import PROJECT_ROOT

AXE_SOURCE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")


@cache
def _axe_source() -> str:
    if not AXE_SOURCE.exists():
        raise AssertionError(f"{AXE_SOURCE} is missing: `make test` runs npm ci")
    return AXE_SOURCE.read_text()


def relative_luminance(red: int, green: int, blue: int) -> float:
    """WCAG's relative luminance of an sRGB colour (0-255 channels): what is left of it in greyscale."""
    channels = [value / 255 for value in (red, green, blue)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def axe_violations(page, impacts=BLOCKING_IMPACTS) -> list[str]:
    """axe-core's WCAG 2.x A/AA violations on the page as it is now, of the given impacts, one line each."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
                resultTypes: ["violations"],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(
                    n => n.target.join(" ") + " :: " + n.failureSummary.split("\\n").slice(1, 2).join("")
                ),
            }));
        }"""
    )
    return [
        f"{violation['impact']} {violation['id']}: {violation['help']} -> {violation['targets']}"
        for violation in results
        if violation["impact"] in impacts
    ]
