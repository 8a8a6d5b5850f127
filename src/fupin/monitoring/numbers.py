"""Receipt numbers (受理编号): what an applicant keeps to follow a self-report, and every lead's name.

`JC` + the date + six random digits for a person's lead (not guessable from another's receipt, so a
receipt shows its own progress only); a rule's lead is numbered from its household, rule and period,
so writing it twice gives the same number and the unique constraint keeps one.
"""

import datetime
import secrets


def receipt(on: datetime.date) -> str:
    return f"JC{on:%Y%m%d}{secrets.randbelow(10**6):06d}"


def rule_receipt(period: str, rule_id: int, household_id: int) -> str:
    # "YJ" + 202611 + rule (3) + household (9): 20 characters for up to a billion households.
    return f"YJ{period.replace('-', '')}{rule_id:03d}{household_id:09d}"
