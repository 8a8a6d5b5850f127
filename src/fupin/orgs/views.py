from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from fupin.core.scoping import get_visible_or_404
from fupin.orgs import selectors
from fupin.orgs.models import Unit


@login_required
def unit_detail(request, pk: int):
    unit = get_visible_or_404(Unit.objects.select_related("region", "parent"), request.user, pk=pk)
    return render(request, "orgs/unit_detail.html", {"unit": unit, "places": selectors.unit_places(unit)})
