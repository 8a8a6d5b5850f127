from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from fupin.core.scoping import scope_of
from fupin.regions.models import Region


@login_required
def home(request):
    """The user's start page: who they are and what they can see."""
    scope = scope_of(request.user)
    regions = Region.objects.filter(code__in=scope.prefixes)
    return render(request, "core/home.html", {"scope": scope, "scope_regions": regions})


def healthz(request):
    """Liveness for load balancers: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
