"""An extension point for the household timeline: other apps add entries without the registry
importing them. An app registers a provider in its AppConfig.ready():

    from fupin.registry import timeline
    timeline.register(my_entries)   # my_entries(household, user) -> [{"at", "title", "text", "who", "url"}]

`at` is an aware datetime; the provider must return only what `user` may see.
"""

PROVIDERS: list = []


def register(provider) -> None:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def merged(events, household, user) -> list[dict]:
    """The household's own events and every provider's entries, newest first."""
    items = [{"at": e.at, "event": e} for e in events]
    for provider in PROVIDERS:
        items += [{"at": entry["at"], "entry": entry} for entry in provider(household, user)]
    return sorted(items, key=lambda item: item["at"], reverse=True)
