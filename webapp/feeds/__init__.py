"""Atom feeds of the cameras verified, moved or taken down in a state, a county, an agency's network or a
drawn area, at day precision (`routes`, on `blueprint.bp`); what they list in `entries`, written in `atom`."""

from webapp.feeds import routes  # noqa: F401  (its views register on the blueprint)
from webapp.feeds.blueprint import bp

__all__ = ["bp"]
