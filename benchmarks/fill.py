"""A fast bulk filler of households and members, for benchmarks only (`fupin bench_fill`).

`registry.generator` makes realistic, fully validated rows in Python at about 1,500 members/s: two
hours for ten million. This generates the same two tables inside PostgreSQL with `SELECT … FROM
generate_series(…)`, reads each batch out with `COPY … TO STDOUT`, encrypts the personal values in
Python (AES-GCM is not available in SQL) and writes the rows back with `COPY … FROM STDIN`. The
secondary indexes and foreign keys are dropped during the load and recreated afterwards from their
own catalogue definitions (`pg_get_indexdef` / `pg_get_constraintdef`, so names and definitions are
exactly what the migrations made), then ANALYZE.

What the rows look like, and where they are simplified:
- Households on real village codes under the chosen division codes (default the provinces Gansu,
  Qinghai, Guizhou, Yunnan: about 55,000 villages; any code prefix works, e.g. one county),
  round-robin, numbered village code + 5-digit sequence, 1–8 members (mean about 3.7), attribute
  and main cause by national shares, status mostly exited, a mobile phone and a bank account each.
- Names from the generator's weighted common surnames and given-name characters (one or two,
  by sex); in Qinghai and Tibet half the households have Tibetan names. Head and children share
  the surname. `name_initials` is assembled in SQL from per-character initials computed once in
  Python with `regions.names.initials_of`, so prefixes and initials have a realistic spread.
- ID numbers: the village's county as area code, a birth date between 1900 and 2019, a sequence
  whose parity is the sex, and the ISO 7064 MOD 11-2 check digit (computed in SQL). Member k gets
  slot (k · P) mod (43,800 days × 500): unique by construction up to 21.9 million members.
  Birth dates are spread evenly over those 120 years (not by age and relation: search does not
  care). The blind indexes (`id_number_bidx`, `id_last4_bidx`, `phone_bidx`, `health_bidx`) are
  HMAC-SHA256 with the blind-index key through pgcrypto's `hmac()`, truncated to 32 hex characters
  exactly like `core.crypto.blind_index` (`verify_sample` checks them against Python);
  `birth_year` from the number; the masked phone and account as `core.masking` makes them.
- The encrypted columns are real `core.crypto` ciphertexts (AES-256-GCM, a fresh nonce each) under
  the current FUPIN_FIELD_KEYS, as the services write them: every page, reveal and export works on
  these rows. A bench database is read with the keys it was filled with.
- No incomes, checks or events: the household list's income subqueries find nothing, as for
  newly registered households.

Appending is allowed (fill 1 M, measure, fill 9 M more) as long as the database holds only rows
made here with the same division codes (the member table is marked by a comment). Use a dedicated
database.
"""

import time
from base64 import b64encode
from collections.abc import Callable

from django.db import connection, transaction

from fupin.core import crypto
from fupin.core.masking import mask_account, mask_phone
from fupin.regions.names import initials_of
from fupin.registry.generator import (
    FEMALE_CHARS,
    MALE_CHARS,
    SURNAME_WEIGHTS,
    SURNAMES,
    TIBETAN_FEMALE,
    TIBETAN_MALE,
)
from fupin.registry.idnumbers import check_digit
from fupin.registry.models import last4_index

MARK = "bench_fill"  # the member table's comment: rows made here
DEFAULT_PROVINCES = ("62", "63", "52", "53")
TIBETAN_PROVINCES = ("63", "54")
DAYS = 43_800  # 1900-01-01 + 0 … 43,799 days (to 2019-12-03)
SLOTS = DAYS * 500  # (birth date, sequence pair): one member each
STRIDE = 7_368_787  # prime, coprime to SLOTS: k -> (k * STRIDE) mod SLOTS is a bijection
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Members per household: cumulative percentages for 1, 2, … 8 people (mean about 3.66).
SIZE_CUMULATIVE = (10, 26, 46, 70, 87, 96, 99, 100)
MEAN_SIZE = 3.66
TABLES = ("registry_household", "registry_member")

Progress = Callable[[str], None]


def _r(expr: str, salt: int, n: int) -> str:
    """A pseudo-random integer in [0, n) from `expr` (deterministic: the same row gives the same value)."""
    return f"mod(hashint8extended(({expr})::bigint, {salt}) & 2147483647, {n})"


def _pick(array: str, expr: str, salt: int) -> str:
    """`array[1 + random index]`, `array` naming a text[] parameter and its length parameter."""
    return f"(%({array})s::text[])[1 + mod(hashint8extended(({expr})::bigint, {salt}) & 2147483647, %({array}_n)s)]"


def _weighted(expr: str, salt: int, weights: dict[str, int]) -> str:
    total = sum(weights.values())
    r = _r(expr, salt, total)
    parts, upto = [], 0
    for value, weight in list(weights.items())[:-1]:
        upto += weight
        parts.append(f"WHEN {r} < {upto} THEN '{value}'")
    return f"(CASE {' '.join(parts)} ELSE '{list(weights)[-1]}' END)"


def name_arrays() -> dict:
    """The name pieces and their pinyin initials, as query parameters (computed once in Python)."""
    surnames = [s for s, w in zip(SURNAMES, SURNAME_WEIGHTS, strict=True) for _ in range(w)]
    arrays = {
        "sur": surnames,
        "male": list(MALE_CHARS),
        "female": list(FEMALE_CHARS),
        "tibm": list(TIBETAN_MALE),
        "tibf": list(TIBETAN_FEMALE),
        "tiba": list(TIBETAN_FEMALE + TIBETAN_MALE),
    }
    params = {}
    for key, values in arrays.items():
        params[key] = values
        params[key + "_n"] = len(values)
        params[key + "_i"] = [initials_of(v) for v in values]
        params[key + "_i_n"] = len(values)
    return params


def _name_sql(key: str, surname_key: str, male: str, tibetan: str) -> tuple[str, str]:
    """(name, initials) SQL expressions. `key` identifies the person, `surname_key` the family line."""

    def both(array: str, expr: str, salt: int) -> tuple[str, str]:
        return _pick(array, expr, salt), _pick(array + "_i", expr, salt)

    sur, sur_i = both("sur", surname_key, 11)
    m1, m1_i = both("male", key, 12)
    m2, m2_i = both("male", key, 13)
    f1, f1_i = both("female", key, 12)
    f2, f2_i = both("female", key, 13)
    two = f"{_r(key, 14, 10)} < 7"
    t1m, t1m_i = both("tibm", key, 15)
    t1f, t1f_i = both("tibf", key, 15)
    t2m, t2m_i = both("tibm", key, 16)
    t2a, t2a_i = both("tiba", key, 16)
    t2m_pick = f"({_r(key, 17, 10)} < 6)"

    def assemble(s, a1, a2, b1, b2, tm1, tf1, tm2, ta2) -> str:
        han = f"{s} || CASE WHEN {male} THEN {a1} || CASE WHEN {two} THEN {a2} ELSE '' END ELSE {b1} || CASE WHEN {two} THEN {b2} ELSE '' END END"
        first = f"(CASE WHEN {male} THEN {tm1} ELSE {tf1} END)"
        second = f"(CASE WHEN {male} AND {t2m_pick} THEN {tm2} ELSE {ta2} END)"
        tib = f"{first} || CASE WHEN {two} THEN {second} ELSE '' END"
        return f"(CASE WHEN {tibetan} THEN {tib} ELSE {han} END)"

    name = assemble(sur, m1, m2, f1, f2, t1m, t1f, t2m, t2a)
    initials = assemble(sur_i, m1_i, m2_i, f1_i, f2_i, t1m_i, t1f_i, t2m_i, t2a_i)
    return name, initials


def _head_male(hid: str) -> str:
    return f"({_r(hid, 21, 100)} < 85)"


def _tibetan(hid: str, tib_village: str) -> str:
    return f"({tib_village} AND {_r(hid, 22, 2)} = 0)"


def _size(hid: str) -> str:
    r = _r(hid, 23, 100)
    cases = " ".join(f"WHEN {r} < {upto} THEN {n}" for n, upto in enumerate(SIZE_CUMULATIVE[:-1], start=1))
    return f"(CASE {cases} ELSE {len(SIZE_CUMULATIVE)} END)"


HOUSEHOLD_ATTRIBUTES = {"ordinary": 70, "dibao": 14, "dibao_poor": 11, "tekun": 5}
CAUSES = {
    "illness": 40,
    "no_funds": 16,
    "no_skills": 12,
    "no_labour": 9,
    "schooling": 6,
    "disability": 6,
    "disaster": 3,
    "no_land": 2,
    "no_water": 2,
    "transport": 2,
    "no_drive": 1,
    "other": 1,
}
STRUCTURES = {"brick": 45, "brick_wood": 25, "reinforced": 15, "earth_wood": 12, "other": 3}
EXIT_YEARS = {"2015": 4, "2016": 18, "2017": 24, "2018": 25, "2019": 18, "2020": 8, "0": 3}


def _hmac_sql(kind: str, value: str) -> str:
    """`core.crypto.blind_index(kind, value)` in SQL (pgcrypto), for a non-empty value."""
    return f"left(encode(hmac(convert_to('{kind}:' || {value}, 'UTF8'), %(index_key)s::bytea, 'sha256'), 'hex'), 32)"


# The columns each generated row is written to, in the order of its SELECT. The last ones are the
# clear values Python encrypts on the way from COPY TO to COPY FROM (ENCRYPTED, in the same order).
HOUSEHOLD_COLUMNS = (
    "id, number, village_id, group_name, head_name, phone_bidx, phone_masked, bank_name, "
    "bank_account_masked, attribute, main_cause, cause2, cause3, housing_area, housing_structure, "
    "housing_year, relocated, safe_water, electricity, status, exit_year, exit_review, exit_review_year, "
    "member_count, version, created_at, updated_at, phone_enc, bank_account_enc"
)
MEMBER_COLUMNS = (
    "id, household_id, name, name_initials, sex, birth_year, id_number_bidx, id_last4_bidx, relation, "
    "ethnicity, education, school_status, health_bidx, disability_enc, labour, work_status, "
    "months_worked, dibao, medical_insurance, pension_insurance, version, created_at, updated_at, "
    "id_number_enc, health_enc"
)
ENCRYPTED = 2  # per table: (phone, bank account) and (ID number, health)
BANKS = ("农村信用社", "中国农业银行", "中国邮政储蓄银行")


def household_sql() -> str:
    hid = "g.h"
    head_key = f"({hid} * 8 + 1)"
    head_name, _initials = _name_sql(head_key, hid, _head_male(hid), _tibetan(hid, "v.tib"))
    exit_year = _weighted(hid, 31, EXIT_YEARS)
    # A mobile number (13x…) and a 19-digit account (6228…) per household; masked as
    # core.masking.mask_phone / mask_account do.
    phone = f"'13' || lpad({_r(hid, 51, 1_000_000_000)}::text, 9, '0')"
    account = f"'6228' || lpad({_r(hid, 52, 1_000_000_000)}::text, 9, '0') || lpad({_r(hid, 53, 1_000_000)}::text, 6, '0')"
    banks = ", ".join(f"'{b}'" for b in BANKS)
    # Built from this module's constants only; the values are query parameters.
    return f"""
SELECT {hid}, v.code || lpad((({hid} - 1) / %(villages)s + 1)::text, 5, '0'), v.code,
    (1 + {_r(hid, 24, 8)})::text || '社', {head_name}, {_hmac_sql("phone", "p.phone")},
    left(p.phone, 3) || '****' || right(p.phone, 4), (ARRAY[{banks}])[1 + {_r(hid, 54, len(BANKS))}],
    repeat('*', 15) || right(p.account, 4),
    {_weighted(hid, 25, HOUSEHOLD_ATTRIBUTES)}, {_weighted(hid, 26, CAUSES)}, '', '',
    (40 + {_r(hid, 27, 900)} / 10.0)::numeric(7, 1), {_weighted(hid, 28, STRUCTURES)},
    1960 + {_r(hid, 29, 60)}, {_r(hid, 30, 10)} = 0, true, true,
    CASE WHEN {exit_year} = '0' THEN 'poor' ELSE 'exited' END,
    NULLIF({exit_year}, '0')::smallint, '', NULL, {_size(hid)}, 1, now(), now(), p.phone, p.account
FROM generate_series(%(h0)s::bigint + 1, %(h1)s::bigint) AS g(h)
JOIN bench_villages v ON v.i = mod(g.h - 1, %(villages)s)
CROSS JOIN LATERAL (SELECT {phone} AS phone, {account} AS account) p
"""  # noqa: S608


def member_sql() -> str:
    # Level x: one row per member (household id, position j, global index k); y: sex, birth date
    # and sequence pair; the body and check digit; z: name, initials and health on top of z0.
    head_male = _head_male("x.hid")
    child_male = f"({_r('(x.hid * 8 + x.j)', 41, 100)} < 52)"
    male = f"(CASE WHEN x.j = 1 THEN {head_male} WHEN x.j = 2 THEN NOT {head_male} ELSE {child_male} END)"
    key = "(z0.hid * 8 + z0.j)"
    # Head and children carry the family surname; a spouse brings another one.
    surname_key = f"(CASE WHEN z0.j = 2 THEN -{key} ELSE z0.hid END)"
    name, initials = _name_sql(key, surname_key, "z0.male", _tibetan("z0.hid", "z0.tib"))
    # ISO 7064 MOD 11-2 over the 17-digit body: the area's part is precomputed per village.
    digit_sum = " + ".join(f"substr(y.body, {i}, 1)::int * {WEIGHTS[i - 1]}" for i in range(7, 18))
    health = _weighted(key, 42, {"healthy": 80, "chronic": 12, "serious": 4, "disabled": 4})
    slot = f"mod(x.k * {STRIDE}, {SLOTS})"
    # Built from this module's constants only; the values are query parameters.
    return f"""
SELECT z.k, z.hid, z.name, z.initials, CASE WHEN z.male THEN 'M' ELSE 'F' END,
    extract(year FROM z.birth)::int, {_hmac_sql("id", "z.idn")}, {_hmac_sql("id4", "right(z.idn, 4)")},
    CASE WHEN z.j = 1 THEN 'head' WHEN z.j = 2 THEN 'spouse' WHEN z.male THEN 'son' ELSE 'daughter' END,
    CASE WHEN z.tib THEN '藏族' ELSE '汉族' END, 'junior', 'none', {_hmac_sql("health", "z.health")}, '',
    'ordinary', 'none', 0, false, true, false, 1, now(), now(), z.idn, z.health
FROM (
    SELECT y.*, y.body || substr('10X98765432', 1 + mod(y.area_sum + {digit_sum}, 11), 1) AS idn
    FROM (
        SELECT y.*, y.area || to_char(y.birth, 'YYYYMMDD') || lpad((y.pair * 2 + y.male::int)::text, 3, '0') AS body
        FROM (
            SELECT x.*, {male} AS male,
                date '1900-01-01' + ({slot} / 500)::int AS birth,
                mod({slot}, 500) AS pair
            FROM (
                SELECT h.hid, j, h.area, h.area_sum, h.tib, %(k0)s::bigint + h.before + j AS k
                FROM (
                    SELECT h.id AS hid, h.member_count, v.area, v.area_sum, v.tib,
                        sum(h.member_count) OVER (ORDER BY h.id) - h.member_count AS before
                    FROM registry_household h
                    JOIN bench_villages v ON v.code = h.village_id
                    WHERE h.id > %(h0)s AND h.id <= %(h1)s
                ) h
                CROSS JOIN LATERAL generate_series(1, h.member_count) AS j
            ) x
        ) y
    ) y
) z0
CROSS JOIN LATERAL (SELECT z0.*, {name} AS name, {initials} AS initials, {health} AS health) z
"""  # noqa: S608


def _sealer():
    """`core.crypto.encrypt` on bytes (same key, nonce source and token format), without the
    str round trips: a million members are two million values to seal."""
    cipher, aad, prefix = crypto._writer()
    head = prefix.encode()
    nonce = crypto._nonce

    def seal(raw: bytes) -> bytes:
        if not raw:
            return b""
        n = nonce()
        return head + b64encode(n + cipher.encrypt(n, raw, aad))

    return seal


def copy_through(cursor, select_sql: str, params: dict, table: str, columns: str) -> int:
    """Rows of `select_sql` read out (text COPY), their last ENCRYPTED values sealed, and written
    into `table` (text COPY). The values are digits, names and base64: nothing to escape."""
    seal = _sealer()
    rows = []
    with cursor.copy(f"COPY ({select_sql}) TO STDOUT", params) as copy:
        for data in copy:
            parts = bytes(data)[:-1].rsplit(b"\t", ENCRYPTED)
            parts[1:] = map(seal, parts[1:])
            rows.append(b"\t".join(parts) + b"\n")
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for i in range(0, len(rows), 4096):
            copy.write(b"".join(rows[i : i + 4096]))
    return len(rows)


def saved_ddl(cursor) -> tuple[list[str], list[str]]:
    """(drop statements, create statements) for the two tables' secondary indexes, unique
    constraints and foreign keys (primary keys and CHECK constraints stay)."""
    drops, creates = [], []
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
        FROM pg_constraint c
        WHERE c.conrelid::regclass::text = ANY(%s) AND c.contype IN ('u', 'f')
        ORDER BY c.contype DESC, c.conname
        """,
        [list(TABLES)],
    )
    for table, name, definition, _kind in cursor.fetchall():
        drops.append(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        creates.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        [list(TABLES)],
    )
    index_creates = []
    for name, definition in cursor.fetchall():
        drops.append(f"DROP INDEX {name}")
        index_creates.append(definition)
    # Unique constraints first (their indexes), then plain indexes, foreign keys last.
    uniques = [c for c in creates if " UNIQUE " in c]
    fks = [c for c in creates if " FOREIGN KEY " in c]
    return drops, uniques + index_creates + fks


def _prepare(cursor, prefixes: tuple[str, ...]) -> int:
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
    cursor.execute("DROP TABLE IF EXISTS bench_villages")
    weights = " + ".join(f"substr(code, {i}, 1)::int * {w}" for i, w in enumerate(WEIGHTS[:6], start=1))
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_villages AS
        SELECT (row_number() OVER (ORDER BY code) - 1)::bigint AS i, code::text AS code,
            left(code, 6) AS area, {weights} AS area_sum, left(code, 2) = ANY(%s) AS tib
        FROM regions_region WHERE level = 5 AND code LIKE ANY(%s)
        """,  # noqa: S608 - the weights are constants
        [list(TIBETAN_PROVINCES), [p + "%" for p in prefixes]],
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_villages (i)")
    cursor.execute("CREATE UNIQUE INDEX ON bench_villages (code)")
    cursor.execute("ANALYZE bench_villages")
    cursor.execute("SELECT count(*) FROM bench_villages")
    return cursor.fetchone()[0]


def _check_only_bench_rows(cursor) -> tuple[int, int]:
    """The last household and member ids; refuses a registry that holds rows not made here (its
    member table lacks the MARK comment that fill leaves)."""
    cursor.execute(
        "SELECT obj_description('registry_member'::regclass, 'pg_class'), "
        "EXISTS (SELECT FROM registry_member), EXISTS (SELECT FROM registry_household)"
    )
    mark, members, households = cursor.fetchone()
    if (members or households) and mark != MARK:
        raise SystemExit(
            "the database holds households not made by this bench_fill (or by an older one, whose "
            "ID numbers were placeholders): use a dedicated database"
        )
    cursor.execute("SELECT coalesce(max(id), 0) FROM registry_household")
    h0 = cursor.fetchone()[0]
    cursor.execute("SELECT coalesce(max(id), 0) FROM registry_member")
    return h0, cursor.fetchone()[0]


def fill(
    members: int,
    *,
    provinces: tuple[str, ...] = DEFAULT_PROVINCES,
    batch: int = 25_000,
    progress: Progress = print,
) -> dict:
    """Add about `members` members (in whole households; the last household is trimmed to hit the
    number exactly) on the villages under the division codes `provinces`, and return timings.

    `batch` households per round trip: their rows (about 3.7 members each) are held in memory
    between the COPY out and the COPY in, about 400 bytes a member."""
    if connection.vendor != "postgresql":
        raise SystemExit("bench_fill needs PostgreSQL")
    started = time.perf_counter()
    timings: dict[str, float] = {}
    params = name_arrays()
    params["index_key"] = crypto._index_key()
    hh_sql, m_sql = household_sql(), member_sql()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET work_mem = '256MB'")
        villages = _prepare(cursor, provinces)
        if not villages:
            raise SystemExit("no villages under those codes: run `fupin regions load` first")
        h0, k0 = _check_only_bench_rows(cursor)
        if k0 + members >= SLOTS:
            raise SystemExit(f"at most {SLOTS - 1} members in one database")
        drops, creates = saved_ddl(cursor)
        progress(f"{villages} villages; dropping {len(drops)} indexes and constraints")
        for statement in drops:
            cursor.execute(statement)
        try:
            load_started = time.perf_counter()
            added = 0
            while added < members:
                want = max(1, min(batch, round((members - added) / MEAN_SIZE)))
                where = {**params, "villages": villages, "h0": h0, "h1": h0 + want, "k0": k0}
                with transaction.atomic():
                    copy_through(cursor, hh_sql, where, "registry_household", HOUSEHOLD_COLUMNS)
                    rows = copy_through(cursor, m_sql, where, "registry_member", MEMBER_COLUMNS)
                h0 += want
                k0 += rows
                added += rows
                elapsed = time.perf_counter() - load_started
                progress(
                    f"  {added:,} members, {h0:,} households in total ({added / elapsed:,.0f} members/s)"
                )
            if added > members:
                _trim(cursor, k0 - (added - members))
                k0 -= added - members
                added = members
            timings["load_s"] = time.perf_counter() - load_started
        finally:
            index_started = time.perf_counter()
            for statement in creates:
                step = time.perf_counter()
                cursor.execute(statement)
                progress(f"  {time.perf_counter() - step:6.1f} s  {statement[:110]}")
            timings["index_s"] = time.perf_counter() - index_started
        cursor.execute(f"COMMENT ON TABLE registry_member IS '{MARK}'")
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
        step = time.perf_counter()
        cursor.execute("ANALYZE registry_household, registry_member")
        timings["analyze_s"] = time.perf_counter() - step
        cursor.execute("DROP TABLE IF EXISTS bench_villages")
    timings["total_s"] = time.perf_counter() - started
    timings["members"] = added
    return timings


def _trim(cursor, last_k: int) -> None:
    """Delete members after `last_k` and fix their households' member counts (empty ones go)."""
    cursor.execute(
        "WITH gone AS (DELETE FROM registry_member WHERE id > %s RETURNING household_id) "
        "UPDATE registry_household h SET member_count = h.member_count - g.n "
        "FROM (SELECT household_id, count(*) AS n FROM gone GROUP BY 1) g WHERE h.id = g.household_id",
        [last_k],
    )
    cursor.execute("DELETE FROM registry_household WHERE member_count = 0")


def verify_sample(n: int = 1000) -> dict:
    """On `n` random members and their households: the ciphertexts decrypt, and the SQL's blind
    indexes, masks and initials agree with core.crypto, core.masking and initials_of."""
    from fupin.registry.models import Member

    rows = list(
        Member.objects.order_by("?")[:n].values_list(
            "id_number_enc",
            "id_number_bidx",
            "id_last4_bidx",
            "birth_year",
            "name",
            "name_initials",
            "health_enc",
            "health_bidx",
            "household__phone_enc",
            "household__phone_bidx",
            "household__phone_masked",
            "household__bank_account_enc",
            "household__bank_account_masked",
        )
    )
    bidx_ok = initials_ok = 0
    for enc, bidx, last4_bidx, birth_year, name, initials, health, health_bidx, *household in rows:
        phone_enc, phone_bidx, phone_masked, account_enc, account_masked = household
        number, phone, account = crypto.decrypt(enc), crypto.decrypt(phone_enc), crypto.decrypt(account_enc)
        bidx_ok += (
            crypto.blind_index("id", number) == bidx
            and check_digit(number[:17]) == number[-1]
            and last4_index(number[-4:]) == last4_bidx
            and int(number[6:10]) == birth_year
            and crypto.blind_index("health", crypto.decrypt(health)) == health_bidx
            and crypto.blind_index("phone", phone) == phone_bidx
            and mask_phone(phone) == phone_masked
            and mask_account(account) == account_masked
        )
        initials_ok += initials_of(name)[:50] == initials
    return {"sampled": len(rows), "bidx_match": bidx_ok, "initials_match": initials_ok}
