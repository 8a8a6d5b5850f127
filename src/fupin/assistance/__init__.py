"""Assistance: pairings (cadre ↔ household, unit ↔ county), dispatched cadres and coverage, 一户一策 plans, visits and work logs, training classes."""
