"""The registry columns of a checked row: encrypted, blind-indexed and masked, ready to write.

Shared by the staging path (importer) and the fast path (direct). `old` is the row already
registered, if any: an unchanged value keeps its stored ciphertext, so the merge sees no change.
"""

from decimal import Decimal

from fupin.core import crypto
from fupin.core.masking import mask_account, mask_phone
from fupin.regions.names import initials_of
from fupin.registry.importing.template import INCOME_KEYS
from fupin.registry.models import CENT, YearlyIncome, last4_index

# The staged income of a household: its year and the amounts the file gives (INCOME_KEYS order).
AMOUNT_KEYS = INCOME_KEYS[1:]
# What is written to registry_yearlyincome besides household_id: the inputs, then the totals that
# YearlyIncome.compute_totals() makes (the one definition, in Decimal, never in SQL).
INCOME_COLUMNS = (
    "year",
    "people",
    *AMOUNT_KEYS,
    "net_income",
    "per_capita",
    "compliant_costs",
    "per_capita_after_costs",
)


def household_columns(h: dict, old) -> tuple:
    phone, account = h["phone"], h["bank_account"]
    phone_bidx = crypto.blind_index("phone", phone)
    if old is not None and old[1] == phone_bidx:
        phone_enc = old[2]  # unchanged: keep the stored ciphertext so the merge sees no change
    else:
        phone_enc = crypto.encrypt(phone)
    if old is not None and old[3] and account and crypto.decrypt(old[3]) == account:
        account_enc = old[3]
    else:
        account_enc = crypto.encrypt(account)
    return (
        h["number"],
        h["village"],
        h["group_name"],
        phone_enc,
        phone_bidx,
        mask_phone(phone),
        h["bank_name"],
        account_enc,
        mask_account(account),
        h["attribute"],
        h["main_cause"],
        h["cause2"],
        h["cause3"],
        h["housing_area"],
        h["housing_structure"],
        h["housing_year"],
        h["relocated"],
        h["safe_water"],
        h["electricity"],
    )


_HEALTH_BIDX: dict[str, str] = {}  # a handful of health values: their blind indexes, once per process
_INITIALS: dict[str, str] = {}  # name -> pinyin initials (names repeat)
_INITIALS_MAX = 200_000


def reset_caches() -> None:
    """Before each import: the blind index key may have changed since the last one in this process."""
    _HEALTH_BIDX.clear()


def _health_bidx(health: str) -> str:
    found = _HEALTH_BIDX.get(health)
    if found is None:
        found = crypto.blind_index("health", health)
        if len(_HEALTH_BIDX) < 100:
            _HEALTH_BIDX[health] = found
    return found


def _initials(name: str) -> str:
    found = _INITIALS.get(name)
    if found is None:
        found = initials_of(name)[:50]
        if len(_INITIALS) < _INITIALS_MAX:
            _INITIALS[name] = found
    return found


def member_columns(m: dict, bidx: str, old) -> tuple:
    person = m["id_number"]
    health, disability = m["health"], m["disability"]
    health_bidx = _health_bidx(health)
    # old: (household number, village, id_number_enc, health_bidx, health_enc, disability_enc)
    id_enc = old[2] if old is not None else crypto.encrypt(person.value)
    health_enc = old[4] if old is not None and old[3] == health_bidx else crypto.encrypt(health)
    if old is not None and (
        old[5] == "" if not disability else old[5] and crypto.decrypt(old[5]) == disability
    ):
        disability_enc = old[5]
    else:
        disability_enc = crypto.encrypt(disability)
    return (
        m["name"],
        _initials(m["name"]),
        m["sex"] or person.sex,
        person.birth_date.year,
        id_enc,
        bidx,
        last4_index(person.value[-4:]),
        m["relation"],
        m["ethnicity"],
        m["education"],
        m["school_status"],
        health_enc,
        health_bidx,
        disability_enc,
        m["labour"],
        m["work_status"],
        m["months_worked"],
        m["dibao"],
        m["medical_insurance"],
        m["pension_insurance"],
    )


def staged_income(h: dict) -> tuple:
    """(year, *amounts) of a checked household, all None when the file gives no income for it."""
    year = h.get("income_year")
    if year is None:
        return (None,) * len(INCOME_KEYS)
    return (year, *(h.get(key) or Decimal(0) for key in AMOUNT_KEYS))


def income_columns(year: int, amounts, people: int) -> tuple:
    """The INCOME_COLUMNS values of a household's income, totals computed as the services compute them."""
    # From a staging table SQLite may hand back a float or an int: through str, never binary floats.
    values = [Decimal(0) if a is None else Decimal(str(a)).quantize(CENT) for a in amounts]
    income = YearlyIncome(year=int(year), people=people, **dict(zip(AMOUNT_KEYS, values, strict=True)))
    income.compute_totals()
    return tuple(getattr(income, name) for name in INCOME_COLUMNS)
