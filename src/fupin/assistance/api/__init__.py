"""The assistance API, through the scoping choke point.

Reads go through assistance.selectors (out of scope is 404, like missing); writes through
assistance.services: a field error is a 422 with one entry per field, a stale `version` or a
refused workflow step a 409 with the reasons, in Chinese. One module per area; the app's router
mounts them in this order, which is the order of the OpenAPI document.
"""

from ninja import Router

from fupin.assistance.api import measures, pairings, postings, trainings, visits

router = Router(tags=["assistance"])
for area in (pairings, visits, postings, measures, trainings):
    router.add_router("", area.router)
