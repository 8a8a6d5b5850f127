"""The registry's queue tasks (fupin.jobs imports every app's tasks.py in every process)."""

from fupin.registry.importing.jobs import import_households

__all__ = ["import_households"]
