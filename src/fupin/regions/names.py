"""Display names and pinyin initials of divisions.

Initials are computed character by character from a cache filled by pypinyin: pinyin of whole
phrases is far slower and 665,276 names must load in well under a minute. Place names rarely
depend on phrase context for their first letter; where a character is polyphonic the common
reading is used (documented limitation).
"""

import re
from functools import cache

from pypinyin import Style, lazy_pinyin

# (suffix of the committee's official name, what the place itself is called), longest first so that
# 村民委员会 wins over 委员会. The variants without 会 or with 委会 are typos in the national list
# (西沟村村民委员, 石牌村民委会, 怡和社区居委); treating them alike keeps the short names uniform.
_RULES = (
    ("社区居民委员会", "社区"),
    ("村民委员会", "村"),
    ("居民委员会", "居委会"),
    ("嘎查委员会", "嘎查"),
    ("社区居委会", "社区"),
    ("社区居民委员", "社区"),
    ("社区居民委会", "社区"),
    ("村民委员", "村"),
    ("村民委会", "村"),
    ("居民委员", "居委会"),
    ("居民委会", "居委会"),
    ("嘎查委会", "嘎查"),
    ("社区居委", "社区"),
    ("村委会", "村"),
    ("村委员", "村"),
    ("村委", "村"),
)
# A trailing note in brackets (富东村民委员会（农村社区）) is kept, the suffix before it still shortened.
_TRAILING_NOTE = re.compile(r"(?:（[^（）]*）|\([^()]*\))+$")


def _shorten(name: str) -> str:
    for suffix, place in _RULES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            # 民族村村民委员会 -> 民族村, not 民族村村. A bare 居委会 without 社区 in its official
            # name is not renamed into a 社区 (金莲桥居委会 stays 金莲桥居委会): that would invent a name.
            return stem if stem.endswith(place) or place == "居委会" and stem.endswith("居") else stem + place
    return name


def short_name_of(name: str) -> str:
    """民族村村民委员会 -> 民族村; 城关社区居民委员会 -> 城关社区; other levels are unchanged."""
    name = name.strip()
    note = _TRAILING_NOTE.search(name)
    if note and note.start() > 0:
        return _shorten(name[: note.start()]) + note.group()
    return _shorten(name)


@cache
def _initial(char: str) -> str:
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    letters = lazy_pinyin(char, style=Style.FIRST_LETTER, errors="ignore")
    return letters[0].lower() if letters else ""


def initials_of(name: str) -> str:
    """兴海县 -> xhx."""
    return "".join(_initial(c) for c in name)[:60]
