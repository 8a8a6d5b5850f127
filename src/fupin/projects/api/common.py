"""What the projects API's areas share and no one area owns: field types, the service-to-API names."""

from typing import Annotated

from ninja import Field
from pydantic import StringConstraints

from fupin.core.validators import NO_CONTROL_LINE, NO_CONTROL_TEXT

# The services name fields as the forms do; the API names them as its schemas do.
ALIASES = {"unit": "unit_id", "household": "household_id"}

Money = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$")]
Year = Annotated[int, Field(ge=2010, le=2100)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=NO_CONTROL_LINE)]
Short = Annotated[str, StringConstraints(max_length=200, pattern=NO_CONTROL_TEXT)]
