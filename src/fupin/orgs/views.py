from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from fupin.orgs.models import Unit


@login_required
def unit_list(request):
    units = Unit.objects.visible_to(request.user)
    return render(request, "orgs/unit_list.html", {"units": units})
