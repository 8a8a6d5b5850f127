from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from fupin.core.menu import menu_for
from fupin.core.scoping import scope_of
from fupin.core.shell_info import role_labels, scope_places


@login_required
def home(request):
    """The user's start page: who they are, what they can see, and where to go next."""
    user = request.user
    context = {
        "scope": scope_of(user),
        "scope_places": scope_places(user),
        "role_names": role_labels(user),
        "quick_links": [item for item in menu_for(request) if item["icon"] != "home"],
    }
    return render(request, "core/home.html", context)


def healthz(request):
    """Liveness for load balancers: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
