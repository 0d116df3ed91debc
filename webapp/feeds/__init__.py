"""Atom feeds of the cameras verified, moved or taken down in a state, a county, an agency's network or a
drawn area, at day precision (`routes`, on `blueprint.bp`); what they list in `entries`, written in `atom`."""
