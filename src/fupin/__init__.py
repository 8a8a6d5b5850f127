"""fupin — 党建引领帮扶管理平台 (party-building-led poverty alleviation and rural assistance)."""

__version__ = "0.1.0"
