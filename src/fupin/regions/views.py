from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from fupin.core.scoping import scope_of
from fupin.regions import selectors
from fupin.regions.forms import BrowseForm


@login_required
def browse(request):
    """Pick a division and see its details and children. Division codes are public reference data;
    the user's own area (a single scope prefix) is only the starting point, not a limit."""
    data = request.GET
    if "region" not in data:
        prefixes = scope_of(request.user).prefixes
        data = {"region": prefixes[0] if len(prefixes) == 1 else ""}
    form = BrowseForm(data)
    region = form.cleaned_data["region"] if form.is_valid() else None
    context = {
        "form": form,
        "region": region,
        "path": selectors.path_of(region) if region else [],
        "children": selectors.children_of(region.code if region else None),
    }
    return render(request, "regions/browse.html", context)
