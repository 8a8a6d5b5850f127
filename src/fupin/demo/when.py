"""When the demo's records happened: every status and workflow event carries the day it records,
never the moment `fupin demo` ran (a 2016 project step must not sort after a 2024 one)."""

import datetime

from django.utils import timezone


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """The aware moment an event of `day` is stamped with (office hours, local time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def restamp(model, stamped: list[tuple[object, datetime.datetime]]) -> None:
    """Give bulk-created events the time they record: auto_now_add stamps them with the current
    time on insert, so the demo sets `at` afterwards, one UPDATE per distinct time."""
    by_time: dict[datetime.datetime, list[int]] = {}
    for obj, at in stamped:
        by_time.setdefault(at, []).append(obj.pk)
    for at, pks in by_time.items():
        model._base_manager.filter(pk__in=pks).update(at=at)
