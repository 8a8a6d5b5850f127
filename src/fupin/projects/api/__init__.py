"""The projects API, through the scoping choke point: the library, its workflow, the fund ledger.

Reads are scoped (out of scope is 404, like missing); writes go through the services. A field error
is a 422 with one entry per field; a stale `version`, a refused step or a refused ledger entry is a
409 with the reasons in Chinese. Money travels as decimal strings ("1234.50"), never floats. One
module per area; the app's router mounts them in this order, which is the order of the OpenAPI
document.
"""

from ninja import Router

from fupin.projects.api import funds, projects

router = Router(tags=["projects"])
for area in (projects, funds):
    router.add_router("", area.router)
