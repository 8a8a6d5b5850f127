"""The party API, through the scoping choke point."""

from ninja import Router

router = Router(tags=["party"])
