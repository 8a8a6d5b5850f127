import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from fupin.core.validators import mobile_phone as normalize_mobile
from fupin.registry.idnumbers import check_digit, make_id_number, normalize_id_number, parse_id_number

bodies = st.text(alphabet="0123456789", min_size=17, max_size=17)
areas = st.sampled_from(["632524", "620821", "620102", "110105", "540623", "810000", "710000"])
births = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2024, 12, 31))


@st.composite
def valid_ids(draw):
    return make_id_number(
        area_code=draw(areas),
        birth_date=draw(births),
        sequence=draw(st.integers(0, 499)),
        male=draw(st.booleans()),
    )


@given(bodies)
def test_it_agrees_with_stdnum_on_the_check_digit(body):
    """For every 17-digit body our MOD 11-2 check digit is stdnum's (which wants a full number)."""
    assert check_digit(body) == ric.calc_check_digit(body + "0")


@given(valid_ids())
def test_it_parses_every_valid_number(value):
    """A generated number parses, and sex and birth date come back from it."""
    parsed = parse_id_number(value)
    assert parsed.value == value
    assert parsed.birth_date.strftime("%Y%m%d") == value[6:14]
    assert parsed.sex == ("M" if int(value[16]) % 2 else "F")
    assert parsed.area_code == value[:6] and parsed.province_code == value[:2]


@given(valid_ids(), st.integers(0, 17), st.integers(1, 9))
def test_it_rejects_any_single_digit_change(value, position, delta):
    """Changing one character (including the check character) is always caught."""
    chars = "0123456789X" if position == 17 else "0123456789"
    old = value[position]
    new = chars[(chars.index(old) + delta) % len(chars)]
    changed = value[:position] + new + value[position + 1 :]
    with pytest.raises(ValidationError):
        parse_id_number(changed)


@given(valid_ids())
def test_it_normalises_full_width_and_lower_case_x(value):
    """Full-width digits, a lower-case x and spaces are normalised before checking."""
    full = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in value.lower())
    spaced = f" {full[:6]} {full[6:14]}\u3000{full[14:]} "
    assert normalize_id_number(spaced) == value
    assert parse_id_number(spaced).value == value


def test_it_accepts_numbers_stdnum_rejects():
    """620102 (城关区) with a 1980 birth is valid though the area code is younger than the person."""
    value = make_id_number(area_code="620102", birth_date=datetime.date(1980, 5, 1), sequence=3, male=True)
    assert parse_id_number(value).birth_date == datetime.date(1980, 5, 1)
    with pytest.raises(Exception):  # noqa: B017 - stdnum's InvalidComponent (or KeyError)
        ric.validate(value)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("63252419800101001", "id_length"),
        ("6325241980010100AX", "id_chars"),
        ("992524198001010012", "id_province"),
        ("632524198002300010", "id_birth"),
        ("632524189912310010", "id_birth"),
        ("632524198001010011", "id_check"),
    ],
)
def test_it_says_what_is_wrong_in_chinese(raw, code):
    """Each rule has its own code and a Chinese message."""
    if code in ("id_birth", "id_province"):
        raw = raw[:17] + check_digit(raw[:17])
    with pytest.raises(ValidationError) as info:
        parse_id_number(raw)
    assert info.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.messages[0])


def test_it_refuses_a_birth_date_after_today():
    """A birth date after `today` is refused."""
    value = make_id_number(area_code="632524", birth_date=datetime.date(2020, 6, 1), sequence=1, male=False)
    with pytest.raises(ValidationError):
        parse_id_number(value, today=datetime.date(2020, 5, 31))


def test_it_normalises_mobile_numbers_and_refuses_landlines():
    """phonenumbers decides what a CN mobile is; the result is 11 digits."""
    assert normalize_mobile("+86 138-0013-8000") == "13800138000"
    assert normalize_mobile("１３８００１３８０００") == "13800138000"
    for bad in ("010-12345678", "12345", "abc"):
        with pytest.raises(ValidationError):
            normalize_mobile(bad)
