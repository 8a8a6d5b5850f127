"""Reports pages: profile (村情画像, the village profile: one declaration, reports.lists.VILLAGE_PROFILE,
gives the page, its export and the API list)."""

from fupin.core.lists import urls
from fupin.reports.lists import VILLAGE_PROFILE

urlpatterns: list = [*urls(VILLAGE_PROFILE, "villages/")]
