"""Areas: US state and county boundaries with their population and road miles (import, the small built-in
set, look-ups). Cameras know their state and county through the database (migration 0006)."""
