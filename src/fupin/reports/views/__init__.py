"""The reports pages, by area: dashboard (驾驶舱: key figures, 待办, charts, map, drill-down), profile (the village profile)."""
