"""An extension point for what follows a change of a household's facts: other apps react to an income
or a 两不愁三保障 check being written without the registry importing them (the app boundary). An
app registers a callback in its AppConfig.ready():

    from fupin.registry import hooks
    hooks.on_household_changed(reevaluate_household)   # callback(household_id) -> None

`household_changed(household_id)` is called by the registry's services inside their transaction; each
callback runs once that transaction commits (`transaction.on_commit`), so it sees the new rows, and a
write that rolls back calls nothing. A failing callback is logged (robust on_commit) and never undoes
the registry's write.
"""

from django.db import transaction

CALLBACKS: list = []


def on_household_changed(callback) -> None:
    if callback not in CALLBACKS:
        CALLBACKS.append(callback)


def household_changed(household_id: int) -> None:
    for callback in CALLBACKS:
        transaction.on_commit(lambda callback=callback: callback(household_id), robust=True)
