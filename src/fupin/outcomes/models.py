"""Models of outcomes."""

from django.db import models  # noqa: F401
