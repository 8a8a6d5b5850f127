"""What the party API's areas share and no one area owns: the field types."""

from typing import Annotated

from ninja import Field
from pydantic import StringConstraints

from fupin.apitypes import SearchText
from fupin.core.validators import NO_CONTROL_LINE

Year = Annotated[int, Field(ge=2000, le=2100)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Name = Annotated[SearchText, StringConstraints(min_length=1)]
Topic = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_CONTROL_LINE)]
Money = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,10}(\.[0-9]{1,2})?$")]
Line100 = Annotated[str, StringConstraints(max_length=100, pattern=NO_CONTROL_LINE)]
