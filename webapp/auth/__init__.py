"""Accounts in the browser: log in and out, roles, a reporter's own sightings, the admin's role page."""
