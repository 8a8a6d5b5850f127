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

from huey.contrib.djhuey import db_periodic_task

from fupin.jobs.services import first_tonight, local_crontab
from fupin.supervision import services

log = logging.getLogger(__name__)


ESCALATE_AT = local_crontab(minute="40", hour="0")


def escalate_tonight(today: datetime.date | None = None) -> dict:
    counts = services.escalate_findings(today=today)
    log.info("supervision deadline check: %s", counts)
    return counts


@db_periodic_task(ESCALATE_AT)
def nightly_escalations():
    if first_tonight("supervision-escalations"):
        escalate_tonight()
