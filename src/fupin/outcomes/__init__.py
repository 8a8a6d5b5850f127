"""Outcomes of assisting units: consumption assistance (purchases, sales on behalf), job placements, the six yearly indicators of 定点帮扶责任书."""
