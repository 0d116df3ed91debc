"""The reasons moderators give: a rejection's reason (read by the submitter through the receipt) and the
optional reason of any other action."""

from flask_babel import gettext as _

from webapp.kernel.errors import InvalidField
from webapp.kernel.http.text_input import refuse_control_characters
from webapp.kernel.vocabulary import REJECT_REASON_LABELS, Limits


def reject_reason_text(code: str, text: str | None) -> str:
    """The reason the submitter reads through their receipt: the chosen reason, then the free text."""
    if code not in REJECT_REASON_LABELS:
        raise InvalidField("reason", _("Choose a reason: %(codes)s.", codes=", ".join(REJECT_REASON_LABELS)))
    text = (text or "").strip()
    refuse_control_characters(text, "text")
    if code == "other" and not text:
        raise InvalidField("text", _('Say why in a few words when the reason is "other".'))
    if len(text) > Limits.REASON_CHARS:
        raise InvalidField(
            "text",
            _("The explanation is too long (at most %(count)s characters).", count=Limits.REASON_CHARS),
        )
    label = str(REJECT_REASON_LABELS[code])
    return f"{label}: {text}" if text else label


def optional_reason(text: str | None, field: str = "reason") -> str | None:
    text = (text or "").strip() or None
    refuse_control_characters(text, field)
    if text is not None and len(text) > Limits.REASON_CHARS:
        raise InvalidField(
            field, _("The reason is too long (at most %(count)s characters).", count=Limits.REASON_CHARS)
        )
    return text
