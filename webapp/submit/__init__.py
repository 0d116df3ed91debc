"""Reporting a camera: the /submit form, the JSON submission API, receipts and their status."""
