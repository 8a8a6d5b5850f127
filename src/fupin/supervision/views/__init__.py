"""Supervision's pages, one module per area: findings (the closed loop, the summary, the overview),
inspections, plans (plans, tasks and their progress), assessments (考核) and public (the count without login)."""
