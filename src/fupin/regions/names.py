"""Display names and pinyin initials of divisions.

Initials are computed character by character from a cache filled by pypinyin: pinyin of whole
phrases is far slower and 665,276 names must load in well under a minute. Place names rarely
depend on phrase context for their first letter; where a character is polyphonic the common
reading is used (documented limitation).
"""

from functools import cache

from pypinyin import Style, lazy_pinyin

# Longest first: 村民委员会 must win over 委员会.
_SUFFIXES = ("村民委员会", "居民委员会", "社区居委会", "村委会", "居委会")


def short_name_of(name: str) -> str:
    """民族村村民委员会 -> 民族村; 城关社区居民委员会 -> 城关社区. Bare suffixes become 村/社区."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("村") and not stem.endswith("村"):
                return stem + "村"
            if suffix.startswith(("居", "社区")) and not stem.endswith(("社区", "居")):
                return stem + "社区"
            return stem
    return name


@cache
def _initial(char: str) -> str:
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    letters = lazy_pinyin(char, style=Style.FIRST_LETTER, errors="ignore")
    return letters[0].lower() if letters else ""


def initials_of(name: str) -> str:
    """兴海县 -> xhx."""
    return "".join(_initial(c) for c in name)[:60]
