import pytest

from fupin.regions.names import initials_of, short_name_of


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("民族村村民委员会", "民族村"),
        ("楼梓庄村委会", "楼梓庄村"),
        ("多福巷社区居委会", "多福巷社区"),
        ("大北家园社区居民委员会", "大北家园社区"),
        ("金莲桥居委会", "金莲桥居委会"),
        ("立新街居民委员会", "立新街居委会"),
        ("西沟村村民委员", "西沟村"),
        ("怡和社区居委", "怡和社区"),
        ("乌拉嘎查委员会", "乌拉嘎查"),
        ("富东村民委员会（农村社区）", "富东村（农村社区）"),
        ("村民委员会", "村民委员会"),
        ("兴海县", "兴海县"),
    ],
)
def test_it_shortens_committee_names_to_the_place(name, short):
    """A village or community committee's name becomes the place's name; other names are kept."""
    assert short_name_of(name) == short


def test_it_computes_pinyin_initials():
    """Initials are lowercase first letters, ASCII letters and digits kept, punctuation dropped."""
    assert initials_of("兴海县") == "xhx"
    assert initials_of("唐乃亥乡") == "tnhx"
    assert initials_of("第1村（A）") == "d1ca"
    assert len(initials_of("长" * 100)) == 60
