"""Models of party."""

from django.db import models  # noqa: F401
