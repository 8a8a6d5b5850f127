"""公示 pages: open to everyone, no login. Per village and per county, the approved and completed
projects and the use of their funds.

Built from an allow-list of fields (PUBLIC_FIELDS below): never an ID number, phone, bank account,
health or disability; beneficiary households appear only as a count. Free text that a cadre typed
(the benefit-linking mechanism) passes through `scrub`: ID and phone numbers are masked and the
names of the project's beneficiary household heads are starred out, so a slip of the keyboard does
not publish a person.
These pages do not go through visible_to: they are public by design, and read only public states.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
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


def public_row(project, names: set[str], sources: list[dict]) -> dict:
    """The allow-list: exactly these fields of a project reach a public page."""
    return {
        "name": scrub(project.name, names),
        "category": project.get_category_display(),
        "nature": project.get_nature_display(),
        "place": project.place.name,
        "year": project.year,
        "unit": project.unit.name if project.unit else "",
        "status": project.get_status_display(),
        "budget": project.budget,
        "allocated": project.allocated,
        "disbursed": project.disbursed,
        # Beneficiaries as counts only: never who.
        "households": project.households,
        "villages": project.villages,
        "target_households": project.target_households,
        "tasks": scrub(project.tasks, names),
        "performance_targets": scrub(project.performance_targets, names),
        "benefit_mechanism": scrub(project.benefit_mechanism, names),
        "sources": [{**source, "name": scrub(source["name"], names)} for source in sources],
        "publicity_start": project.publicity_start,
        "publicity_end": project.publicity_end,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "accepted_on": project.accepted_on,
        "completed_on": project.completed_on,
    }


def _public(template: str, context: dict, *, status: int = 200) -> HttpResponse:
    """Rendered without the request: no context processors, so no CSRF token (and no cookie) and
    nothing of whoever happens to be signed in; the page is the same for everyone."""
    return HttpResponse(render_to_string(template, context), status=status)


# Private, not public: every request passes the sign-in middleware, which reads the session, so
# the answer carries `Vary: Cookie` and, for a signed-in visitor, may refresh their session cookie;
# a shared cache must not keep either. Browsers may still keep the page for five minutes.
@cache_control(private=True, max_age=300)
def public_place(request, code: str):
    region = Region.objects.filter(code=code, level__in=PUBLIC_LEVELS).first()
    if region is None:
        # Rendered here rather than raising Http404: with DEBUG on (the demo) Django would show
        # its technical page to the public instead of a Chinese one.
        return _public("projects/public_404.html", {"code": code[:20]}, status=404)
    projects = list(selectors.public_projects(region.code))
    names = _head_names(projects)
    sources = selectors.public_project_sources(p.pk for p in projects)
    rows = [public_row(p, names.get(p.pk, set()), sources.get(p.pk, [])) for p in projects]
    return _public(
        "projects/public_place.html",
        {
            "region": region,
            "rows": rows,
            "publicity": selectors.county_publicity(region.code),
            "fund_use": selectors.public_fund_use(region.code),
            "total_budget": sum((r["budget"] for r in rows), selectors.ZERO),
            "total_disbursed": sum((r["disbursed"] for r in rows), selectors.ZERO),
        },
    )
