"""The projects app's own refusal; the shared ones are in fupin.core.errors."""

from fupin.core.errors import TransitionRefused


class LedgerRefused(TransitionRefused):
    """A ledger entry the rules refuse (overspending, a second reversal ...); `reasons` in Chinese."""
