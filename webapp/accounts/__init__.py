"""Accounts: logging in and out (throttled), roles and their changes, a reporter's own sightings, and the
`flask users` commands."""
