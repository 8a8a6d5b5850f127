"""Supervision's nightly work on the queue (fupin.jobs imports every app's tasks.py in every process):
at 00:40 in the server's time zone (Beijing time) the deadline check (services.escalate_findings)
warns each unclosed finding once when it turns orange and escalates it once when it turns red.

The same pattern as monitoring.tasks: huey matches periodic tasks in UTC, so the crontab is read in
settings.TIME_ZONE; several consumers each schedule it and the first to start the night's check
marks it in the queue's storage (`put_if_empty`), the others skip. The check itself is idempotent
(each level is taken by a conditional update), so a second run would write nothing anyway.
"""

import datetime
import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fupin.jobs.services import queue
from fupin.supervision import services

log = logging.getLogger(__name__)


def local_crontab(**fields):
    """huey's crontab read in the server's time zone (see monitoring.tasks.local_crontab)."""
    matches = crontab(**fields)

    def validate(timestamp: datetime.datetime) -> bool:
        if queue().utc:
            timestamp = timezone.localtime(timestamp.replace(tzinfo=datetime.UTC)).replace(tzinfo=None)
        return matches(timestamp)

    validate.fields = fields
    return validate


ESCALATE_AT = local_crontab(minute="40", hour="0")


def first_tonight(name: str, today: datetime.date | None = None) -> bool:
    day = today or timezone.localdate()
    key = f"fupin-nightly:supervision-{name}:{day.isoformat()}"
    if not queue().put_if_empty(key, True):
        log.info("nightly %s of %s already started by another consumer; skipped", name, day)
        return False
    queue().delete(f"fupin-nightly:supervision-{name}:{(day - datetime.timedelta(days=1)).isoformat()}")
    return True


def escalate_tonight(today: datetime.date | None = None) -> dict:
    counts = services.escalate_findings(today=today)
    log.info("supervision deadline check: %s", counts)
    return counts


@db_periodic_task(ESCALATE_AT)
def nightly_escalations():
    if first_tonight("escalations"):
        escalate_tonight()
