"""The language of a page: chosen in the address (`?lang=es`), else from Accept-Language, else English;
and the locale's way of writing numbers and months.

The choice lives in the address, never in a cookie or the session: an anonymous visitor gets no cookie for it,
and a link to a Spanish page is a Spanish page for whoever opens it. Every URL the app builds for the visitor
carries the chosen `lang` on (url_defaults), so the choice survives navigation, forms and redirects. An answer
whose language came from Accept-Language says so in `Vary`, so a cache never hands one visitor's language to
another.

The language says which catalogue is read; the region says how numbers and months are written. The region
comes from Accept-Language when it names one for that language (es-ES writes 1.234, es-MX 1,234), else the
United States, where Sightline's cameras and readers are.
"""

from datetime import date
from urllib.parse import urlencode

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from flask import Flask, g, has_request_context, request
from flask_babel import get_locale, refresh
from markupsafe import Markup, escape

# The languages with a catalogue, in the order the switcher lists them, each with its own name.
LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"
DEFAULT_REGION = "US"
LANGUAGE_PARAMETER = "lang"
# URLs that never carry the choice: files, tiles and photos (the same in every language, one copy in caches),
# and the JSON the scripts ask for, whose URLs they extend with their own query string (`url + "?bbox=..."`);
# those answers' messages follow Accept-Language.
LANGUAGE_FREE_ENDPOINTS = (
    "static",
    "frontend.",
    "tiles.",
    "coverage_tiles.",
    "photos.",
    "map.gazetteer",
    "opendata.",
    "coverage_api.",
    "submit.nearby",
    "submit.photo_position",
)


def chosen_language() -> str | None:
    """The language the address asks for (`?lang=`), when it is one we have."""
    if not has_request_context():
        return None
    wanted = request.args.get(LANGUAGE_PARAMETER, "")
    return wanted if wanted in LANGUAGES else None


def _accepted_locales() -> list[Locale]:
    """The visitor's Accept-Language entries, best first, as locales (unknown tags left out)."""
    locales = []
    for tag, _quality in request.accept_languages:
        try:
            locales.append(Locale.parse(tag, sep="-"))
        except (ValueError, UnknownLocaleError):
            continue
    return locales


def select_locale() -> str:
    """Flask-Babel's locale selector: `language_REGION` for this request."""
    if not has_request_context():
        return f"{DEFAULT_LANGUAGE}_{DEFAULT_REGION}"
    # The region (and, without `?lang=`, the language) comes from the request's Accept-Language.
    g.locale_from_header = True
    accepted = _accepted_locales()
    language = chosen_language()
    if language is None:
        language = next(
            (locale.language for locale in accepted if locale.language in LANGUAGES), DEFAULT_LANGUAGE
        )
    region = next(
        (locale.territory for locale in accepted if locale.language == language and locale.territory), None
    )
    if region is None or not _is_known_locale(f"{language}_{region}"):
        region = DEFAULT_REGION
    return f"{language}_{region}"


def _is_known_locale(name: str) -> bool:
    try:
        Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        return False
    return True


def page_language() -> str:
    """The language of this page, for `<html lang>` and the scripts (`en` or `es`)."""
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else DEFAULT_LANGUAGE


def page_locale_tag() -> str:
    """The page's locale as a BCP 47 tag (`en-US`, `es-MX`), for the scripts' numbers and months."""
    locale = get_locale()
    return str(locale).replace("_", "-") if locale is not None else DEFAULT_LANGUAGE


def language_links() -> list[dict]:
    """The switcher: this same page in each language, the current one marked."""
    current = page_language()
    links = []
    for code, name in LANGUAGES.items():
        arguments = [
            (key, value) for key, value in request.args.items(multi=True) if key != LANGUAGE_PARAMETER
        ]
        arguments.append((LANGUAGE_PARAMETER, code))
        links.append(
            {
                "code": code,
                "name": name,
                "url": f"{request.path}?{urlencode(arguments)}",
                "current": code == current,
            }
        )
    return links


def language_field() -> Markup:
    """A hidden `lang` field for GET forms, whose submission replaces the action's query string."""
    language = chosen_language()
    if language is None:
        return Markup("")
    return Markup('<input type="hidden" name="%s" value="%s">') % (LANGUAGE_PARAMETER, escape(language))


def month_label(month: date | None) -> str:
    """A month as the page's locale writes it ("March 2026", "marzo de 2026"): the one way pages show the
    month of a sighting or a camera (stored and exported months stay YYYY-MM)."""
    if month is None:
        return ""
    return format_skeleton("yMMMM", month, locale=get_locale() or DEFAULT_LANGUAGE)


def _carry_language(endpoint: str, values: dict) -> None:
    language = chosen_language()
    if language is None or LANGUAGE_PARAMETER in values or endpoint.startswith(LANGUAGE_FREE_ENDPOINTS):
        return
    values[LANGUAGE_PARAMETER] = language


def _forget_the_last_requests_locale() -> None:
    # Flask-Babel keeps the locale in `g`, which outlives a request when an app context was already pushed
    # (a CLI command, a test): each request chooses its own.
    refresh()
    g.pop("locale_from_header", None)


def _vary_on_accept_language(response):
    if g.get("locale_from_header"):
        response.vary.add("Accept-Language")
    return response


def init_languages(app: Flask) -> None:
    app.before_request(_forget_the_last_requests_locale)
    app.url_defaults(_carry_language)
    app.after_request(_vary_on_accept_language)
    app.jinja_env.globals.update(
        page_language=page_language,
        page_locale_tag=page_locale_tag,
        language_links=language_links,
        language_field=language_field,
    )
    app.jinja_env.filters["month"] = month_label
