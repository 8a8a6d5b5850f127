"""Models of assistance."""

from django.db import models  # noqa: F401
