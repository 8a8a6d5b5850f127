"""The monitoring API, through the scoping choke point.

Reads go through monitoring.selectors (out of scope is 404, like missing); writes through
monitoring.services: a field error is a 422 with one entry per field, a stale `version` or a refused
step a 409 with the reasons, in Chinese. One module per area, mounted in this order.
"""

from ninja import Router

from fupin.monitoring.api import cases, objects, rules, screening, standards

router = Router(tags=["monitoring"])
for area in (cases, objects, standards, rules, screening):
    router.add_router("", area.router)
