"""公示 pages: open to everyone, no login. Per village and per county, the approved and completed
projects and the use of their funds.

Built from an allow-list of fields (PUBLIC_FIELDS below): never an ID number, phone, bank account,
health or disability; beneficiary households appear only as a count. Free text that a cadre typed
(the benefit-linking mechanism) passes through `scrub`: ID and phone numbers are masked and the
names of the project's beneficiary household heads are starred out, so a slip of the keyboard does
not publish a person.
These pages do not go through visible_to: they are public by design, and read only public states.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from fupin.core.masking import mask_text
from fupin.projects import selectors
from fupin.projects.models import Beneficiary
from fupin.regions.models import Region

PUBLIC_LEVELS = (Region.Level.COUNTY, Region.Level.VILLAGE)


def scrub(text: str, names: set[str]) -> str:
    text = mask_text(text or "")
    for name in sorted(names, key=len, reverse=True):
        if name:
            text = text.replace(name, "*" * len(name))
    return text


def _head_names(projects) -> dict[int, set[str]]:
    names: dict[int, set[str]] = {}
    rows = Beneficiary.objects.filter(project__in=projects, household__isnull=False).values_list(
        "project_id", "household__head_name"
    )
    for project_id, name in rows:
        names.setdefault(project_id, set()).add(name)
    return names


def public_row(project, names: set[str]) -> dict:
    """The allow-list: exactly these fields of a project reach a public page."""
    return {
        "name": scrub(project.name, names),
        "category": project.get_category_display(),
        "place": project.place.name,
        "year": project.year,
        "unit": project.unit.name if project.unit else "",
        "status": project.get_status_display(),
        "budget": project.budget,
        "allocated": project.allocated,
        "disbursed": project.disbursed,
        "households": project.households,
        "benefit_mechanism": scrub(project.benefit_mechanism, names),
        "start_date": project.start_date,
        "end_date": project.end_date,
        "completed_on": project.completed_on,
    }


@cache_control(public=True, max_age=300)
def public_place(request, code: str):
    region = Region.objects.filter(code=code, level__in=PUBLIC_LEVELS).first()
    if region is None:
        raise Http404
    projects = list(selectors.public_projects(region.code))
    names = _head_names(projects)
    rows = [public_row(p, names.get(p.pk, set())) for p in projects]
    return render(
        request,
        "projects/public_place.html",
        {
            "region": region,
            "rows": rows,
            "fund_use": selectors.public_fund_use(region.code),
            "total_budget": sum((r["budget"] for r in rows), selectors.ZERO),
            "total_disbursed": sum((r["disbursed"] for r in rows), selectors.ZERO),
        },
    )
