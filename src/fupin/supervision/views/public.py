"""The public count (no login): per county, how many findings are 已整改 / 正在整改 / 未整改, in
total and per township. Numbers and division names only: no description, village, unit or person."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path

from fupin.regions.models import Region
from fupin.supervision import selectors


def public_counts(request, code: str):
    county = Region.objects.filter(code=code, level=Region.Level.COUNTY).first()
    if county is None:
        raise Http404
    counts = selectors.public_counts(county.code)
    names = dict(Region.objects.filter(code__in=list(counts["townships"])).values_list("code", "name"))
    townships = [(names.get(code, code), n) for code, n in sorted(counts["townships"].items())]
    return render(
        request,
        "supervision/public_counts.html",
        {"county": county, "total": counts["total"], "townships": townships},
    )


urlpatterns = [path("public/<str:code>/", public_counts, name="public_counts")]
