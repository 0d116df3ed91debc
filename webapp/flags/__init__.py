"""Public flags on cameras ("does not exist", "shows personal information", ...) and their moderator queue."""
