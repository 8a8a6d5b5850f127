"""The registry in the API: households, members, incomes and checks, the status workflow (exit
review), reveal and a division's figures.

Every operation reads through the scoping choke point (out of scope is 404, like missing) and writes
through registry.services / registry.lifecycle. A service's ValidationError is a 422 with one entry
per field; a stale `version` or a refused transition is a 409 with the reasons, in Chinese. The list
of households is the household list's one declaration (registry.lists.HOUSEHOLDS, through
core.lists.api_list), filtered by its form and counted like its page. One module per area; the
app's router mounts them in this order, which is the order of the OpenAPI document.
"""

from ninja import Router

from fupin.registry.api import figures, households, incomes, members, workflow

router = Router(tags=["registry"])
for area in (households, members, incomes, workflow, figures):
    router.add_router("", area.router)
