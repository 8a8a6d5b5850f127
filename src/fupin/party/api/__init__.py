"""The party API, through the scoping choke point (out of scope is 404, like missing).

Writes go through party.services: a field error is a 422 with one entry per field, a stale
`version` or a refused workflow step is a 409 with the reasons, in Chinese. One module per area;
the app's router mounts them in this order, which is the order of the OpenAPI document.
"""

from ninja import Router

from fupin.party.api import life, members, orgs, pairings, work

router = Router(tags=["party"])
for area in (orgs, members, life, pairings, work):
    router.add_router("", area.router)
