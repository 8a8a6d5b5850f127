"""Constrained types for API inputs, so bad input is a 422 with a reason and never a 500.

PostgreSQL refuses NUL characters in text and integers beyond 64 bits; unconstrained inputs would
reach the database and fail there. Every API schema takes its strings and ids from here.
"""

from typing import Annotated

from pydantic import Field, StringConstraints

# No NUL or other C0 control characters except tab/newline.
_NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"

SearchText = Annotated[str, StringConstraints(max_length=50, pattern=_NO_CONTROL)]
Text = Annotated[str, StringConstraints(max_length=2000, pattern=_NO_CONTROL)]
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Limit = Annotated[int, Field(ge=1, le=200)]
Offset = Annotated[int, Field(ge=0, le=10_000_000)]
DivisionCode = Annotated[str, StringConstraints(pattern=r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$")]
