"""Refusals of a service write that callers turn into their own answers (409 in the API, a form message)."""

from django.utils.translation import gettext as _


class StaleVersion(Exception):
    """The record changed since it was read (optimistic lock); the API answers 409."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("该记录已被他人修改,请刷新后重试"))

    @property
    def message(self) -> str:
        return str(self.args[0])


class TransitionRefused(Exception):
    """A status change the rules do not allow now; `reasons` lists every reason, in Chinese."""

    def __init__(self, reasons: list[str]):
        self.reasons = [str(r) for r in reasons]
        super().__init__(";".join(self.reasons))
