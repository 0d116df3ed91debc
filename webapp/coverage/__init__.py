"""Coverage analysis for reporters: live figures per state and county (per resident, per road mile, per
km², ranks, vendors and operators), drawn or uploaded areas and routes, growth over time, the choropleth
tiles, and the /coverage pages. Method and formulas: docs/coverage.md."""
