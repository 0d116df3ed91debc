"""Query-string numbers, read one way everywhere: a whole number within a range, or the default when the
parameter is absent or empty; anything else is an InvalidField (400) that names the parameter and the range.
Digits only (no sign, no spaces, no exponent) and at most 18 of them, so int() never gets a huge string."""

from flask_babel import gettext as _

from webapp.kernel.errors import InvalidField

MAX_DIGITS = 18


def whole_number(
    raw: str | None, field: str, default: int, lowest: int, highest: int, message: str | None = None
) -> int:
    """`message` (already translated) replaces the standard one where the unit matters ("of pixels")."""
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= MAX_DIGITS) or not lowest <= int(raw) <= highest:
        raise InvalidField(
            field,
            message
            or _(
                "%(field)s must be a whole number from %(low)d to %(high)d.",
                field=field,
                low=lowest,
                high=highest,
            ),
        )
    return int(raw)
