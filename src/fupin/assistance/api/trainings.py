"""Training classes and their person-times."""

import datetime
from decimal import Decimal
from functools import partial
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from pydantic import StringConstraints

from fupin.apierrors import WRITE_ERRORS, patch_answer
from fupin.apitypes import DbId, DivisionCode, Text
from fupin.assistance import selectors, services
from fupin.assistance.api.common import Day, Version, region_or_422, unit_or_422
from fupin.assistance.choices import TrainingForm, TrainingKind
from fupin.assistance.lists import TRAININGS
from fupin.assistance.models import TrainingClass
from fupin.core import lists
from fupin.core.scoping import get_visible_or_404

router = Router()

Year = Annotated[int, Field(ge=2000, le=2100)]


class TrainingOut(Schema):
    id: int
    topic: str
    form: str
    kind: TrainingKind
    start: datetime.date
    end: datetime.date
    place: str
    organiser: str
    region_code: str
    hours: Decimal
    person_times: int
    version: int


def _training_out(t: TrainingClass) -> dict:
    # The list annotates person_times (one query for the page); a single class counts its attendees.
    person_times = getattr(t, "person_times", None)
    if person_times is None:
        person_times = sum(a.count for a in t.attendees.all())
    return {
        "id": t.id,
        "topic": t.topic,
        "form": t.form,
        "kind": t.kind,
        "start": t.start,
        "end": t.end,
        "place": t.place,
        "organiser": str(t.organiser),
        "region_code": t.region_id,
        "hours": t.hours,
        "person_times": person_times,
        "version": t.version,
    }


lists.api_list(router, "/trainings", TRAININGS, TrainingOut, summary="培训班", serialize=_training_out)


class PersonTimesFilter(Schema):
    unit_id: DbId | None = None
    year: Year | None = None
    kind: TrainingKind | None = None
    region_prefix: DivisionCode | None = None


class PersonTimesOut(Schema):
    person_times: int


@router.get("/trainings/person-times", response=PersonTimesOut, summary="培训人次(按单位、年度、类别、地区)")
def person_times(request: HttpRequest, filters: Query[PersonTimesFilter]):
    return {
        "person_times": selectors.training_person_times(
            unit_id=filters.unit_id,
            year=filters.year,
            kind=filters.kind,
            region_prefix=filters.region_prefix,
            user=request.user,
        )
    }


# After /trainings/person-times: "{training_id}" would otherwise catch that path.
class AttendeeIn(Schema):
    """A named person (count 1) or, without a name, a group of `count` people."""

    kind: TrainingKind | None = None
    name: Annotated[Text, StringConstraints(max_length=50)] = ""
    unit_name: Annotated[Text, StringConstraints(max_length=100)] = ""
    count: Annotated[int, Field(ge=1, le=100000)] = 1


class TrainingPatch(Schema):
    """Only the fields sent change; `attendees`, when sent, replaces the class's attendees."""

    version: Version
    topic: Annotated[Text, StringConstraints(min_length=1, max_length=200)] | None = None
    form: TrainingForm | None = None
    kind: TrainingKind | None = None
    start: Day | None = None
    end: Day | None = None
    place: Annotated[Text, StringConstraints(min_length=1, max_length=100)] | None = None
    organiser_id: DbId | None = None
    region_code: DivisionCode | None = None
    hours: Annotated[Decimal, Field(ge=0, max_digits=6, decimal_places=1)] | None = None
    attendees: Annotated[list[AttendeeIn], Field(max_length=1000)] | None = None


@router.patch("/trainings/{training_id}", response={200: TrainingOut, **WRITE_ERRORS}, summary="修改培训班")
def update_training(request: HttpRequest, training_id: Path[DbId], payload: TrainingPatch):
    training = get_visible_or_404(
        TrainingClass.objects.select_related("organiser"), request.user, pk=training_id
    )
    return patch_answer(
        request,
        payload,
        partial(_training_update, training),
        lambda t: _training_out(TrainingClass.objects.select_related("organiser").get(pk=t.pk)),
        aliases={"organiser": "organiser_id", "region": "region_code"},
    )


def _training_update(training: TrainingClass, *, by, version: int, request, **sent) -> TrainingClass:
    """training_update takes every value: the class's own, with those sent (the organiser and
    division looked up in the writer's scope); attendees sent replace the class's, else stay."""
    values = {
        key: sent.get(key, getattr(training, key))
        for key in ("topic", "form", "kind", "start", "end", "place", "hours")
    }
    values["organiser"] = training.organiser
    values["region"] = training.region_id
    if sent.get("organiser_id"):
        values["organiser"] = unit_or_422(by, sent["organiser_id"], "organiser")
    if sent.get("region_code"):
        values["region"] = region_or_422(by, sent["region_code"], "region")
    return services.training_update(
        by=by,
        training=training,
        version=version,
        attendees=sent.get("attendees"),
        request=request,
        **values,
    )
