"""Moderation: the review queue, the actions on sightings, cameras and flags, and their history."""
