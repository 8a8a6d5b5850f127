"""What the assistance API's areas share and no one area owns: field types, a unit or division in a body."""

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field
from pydantic import StringConstraints

from fupin.apitypes import Text
from fupin.core.scoping import scope_of
from fupin.orgs.selectors import unit_for
from fupin.regions.models import Region

Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Reason = Annotated[Text, StringConstraints(max_length=500)]
# A date, bounded so a typo (year 20190) is a 422 rather than an overflow further down.
Day = Annotated[datetime.date, Field(ge=datetime.date(2000, 1, 1), le=datetime.date(2100, 12, 31))]


def unit_or_422(user, unit_id, field: str):
    """A unit the user may see; anything else is a field error (like an invalid choice in a form)."""
    unit = unit_for(user, unit_id)
    if unit is None:
        raise ValidationError({field: _("所选单位不存在或不在您的数据范围内")})
    return unit


def region_or_422(user, code: str, field: str) -> Region:
    """A division the user's scope covers; anything else is a field error."""
    region = Region.objects.filter(code=code).first()
    if region is None or not scope_of(user).covers_code(code):
        raise ValidationError({field: _("所选区划不存在或不在您的数据范围内")})
    return region
