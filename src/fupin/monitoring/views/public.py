"""农户自主申报 pages: open to everyone, no login, made for a phone's and WeChat's built-in browser.

- /monitoring/report/          the form (户主姓名, 手机, 身份证号, 地区 to the village, 风险类型, 困难情况);
- /monitoring/report/done/     the receipt number after a report (POST, then redirect, then GET);
- /monitoring/report/progress/ progress by receipt number: stage, dates, deadline, the township;
- /monitoring/report/places/<code>/children   the picker's division names for the public form.

Plain HTML forms that work without JavaScript; the division picker (regions/picker.js) loads each
level as the one above is chosen, and without a script a 选择下一级 button posts the form back to
show the next level. Rendered without the request's context processors (as the 公示 pages are):
nothing of whoever is signed in, no session, no cookie but the CSRF one the form needs (and the
receipt and progress pages, which post nothing, set none). Every page is `no-store`: what one
applicant typed must not stay in a shared cache or the browser's history cache. The receipt number
travels in the query string, which the access log leaves out (core serve's log format).

Why a public division endpoint of its own: /api/regions needs a signed-in user or a token. Division
names are public reference data; this one answers only codes and short names, one level at a time.
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods

from fupin.core.forms import apply_service_errors
from fupin.monitoring import intake
from fupin.monitoring.choices import MAX_RISKS, Risk
from fupin.regions.models import CODE_LENGTHS, Region
from fupin.regions.selectors import is_wellformed_code
from fupin.regions.widgets import ALL_LEVELS, RegionPickerWidget

HONEYPOT = "website"


class PublicPickerWidget(RegionPickerWidget):
    """The regions picker with a public source of names, and selects that post themselves.

    Each select carries a name (`village_1` … `village_5`), so without a script the form can be
    posted back level by level; the value is the deepest choice whose code continues the one above
    (a changed province makes the old city's choice void). With the script the hidden input and the
    selects say the same."""

    template_name = "monitoring/public_picker.html"

    def value_from_datadict(self, data, files, name):
        chain = ""
        for level in ALL_LEVELS:
            code = str(data.get(f"{name}_{level}") or "")
            if len(code) != CODE_LENGTHS[level] or not code.startswith(chain) or not code.isdigit():
                break
            chain = code
        return chain or str(data.get(name) or "")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["api"] = reverse("monitoring:report") + "places/"
        return context


class SelfReportForm(forms.Form):
    """The fields of the page; their rules are the service's (intake._clean), one rule per field."""

    name = forms.CharField(
        label=gettext_lazy("户主姓名"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": intake.NAME_MAX, "autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("手机号码"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "maxlength": 20, "autocomplete": "tel"}
        ),
    )
    id_number = forms.CharField(
        label=gettext_lazy("身份证号"),
        required=False,
        help_text=gettext_lazy("18位,末位可为X;加密保存,只用于核实身份"),
        widget=forms.TextInput(attrs={"maxlength": 22, "autocomplete": "off", "spellcheck": "false"}),
    )
    village = forms.CharField(
        label=gettext_lazy("所在地区"),
        required=False,
        help_text=gettext_lazy("请依次选择到村(社区)"),
        widget=PublicPickerWidget(levels=(Region.Level.VILLAGE,)),
    )
    risks = forms.MultipleChoiceField(
        label=gettext_lazy("风险类型"),
        required=False,
        choices=Risk.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("风险类型无效,请重新选择")},
    )
    hardship = forms.CharField(
        label=gettext_lazy("困难情况"),
        required=False,
        help_text=gettext_lazy("请简要说明家里遇到的困难,例如发生的时间、花费、收入变化"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": intake.HARDSHIP_MAX}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risks"].help_text = _("可多选,最多%(n)d项") % {"n": MAX_RISKS}


def client_ip(request) -> str:
    """The applicant's address for the repeat limit. REMOTE_ADDR, unless the TLS proxy in front of
    the server names the client in a header (FUPIN_CLIENT_IP_HEADER, e.g. X-Forwarded-For): then
    its last entry, the one the proxy itself wrote; entries before it are the client's to invent."""
    header = settings.FUPIN_CLIENT_IP_HEADER
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        last = value.rsplit(",", 1)[-1].strip()
        if last:
            return last[:45]
    return (request.META.get("REMOTE_ADDR") or "")[:45]


def _page(template: str, context: dict, *, status: int = 200, request=None) -> HttpResponse:
    """Rendered without the request's context processors; `request` only for a page with a form
    to post, whose CSRF token (and cookie) a first-time visitor gets here."""
    if request is not None:
        context = {**context, "csrf_token": get_token(request)}
    return HttpResponse(render_to_string(template, context), status=status)


def _report_page(request, form, *, status=200, limited=""):
    return _page(
        "monitoring/public_report.html",
        {"form": form, "limited": limited, "honeypot": HONEYPOT, "max_risks": MAX_RISKS},
        status=status,
        request=request,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def report(request):
    if request.method == "GET":
        # A county may print a link (a QR code) with its own place: ?place=632524 opens the picker there.
        place = request.GET.get("place", "")
        initial = {"village": place} if is_wellformed_code(place) else {}
        return _report_page(request, SelfReportForm(initial=initial))
    form = SelfReportForm(request.POST)
    if request.POST.get(HONEYPOT):
        # Only a program fills a field no person sees; it gets a plain refusal, nothing written.
        return _page("monitoring/public_refused.html", {}, status=400)
    if "pick" in request.POST:
        # Without a script: the picker's next level, the rest kept as typed, no errors yet.
        return _report_page(request, SelfReportForm(initial=_as_initial(form)))
    if not form.is_valid():
        return _report_page(request, form)
    try:
        lead = intake.submit_self_report(
            **{k: form.cleaned_data[k] for k in ("name", "phone", "id_number", "risks", "hardship")},
            village_code=form.cleaned_data["village"],
            client_ip=client_ip(request),
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _report_page(request, form)
    except intake.SubmissionLimited as exc:
        response = _report_page(request, form, status=429, limited=exc.message)
        response["Retry-After"] = str(exc.retry_after)
        return response
    return HttpResponseRedirect(f"{reverse('monitoring:report_done')}?{urlencode({'number': lead.number})}")


def _as_initial(form) -> dict:
    """What was posted, as the initial values of an unbound form (so no errors show yet)."""
    data = form.data
    return {n: f.widget.value_from_datadict(data, None, form.add_prefix(n)) for n, f in form.fields.items()}


@never_cache
@require_GET
def report_done(request):
    found = intake.progress(request.GET.get("number", ""))
    if found is None:
        return _page("monitoring/public_progress.html", {"number": "", "missing": True}, status=404)
    return _page("monitoring/public_done.html", {"found": found})


@never_cache
@require_GET
def report_progress(request):
    number = "".join(request.GET.get("number", "").split())[:30]
    if not number:
        return _page("monitoring/public_progress.html", {"number": ""})
    found = intake.progress(number)
    if found is None:
        return _page("monitoring/public_progress.html", {"number": number, "missing": True}, status=404)
    return _page("monitoring/public_progress.html", {"number": found["number"], "found": found})


# Division names change only with the yearly division file: a browser may keep them for an hour
# (private: the answer may carry a signed-in visitor's refreshed session cookie).
@cache_control(private=True, max_age=3600)
@require_GET
def report_places(request, code: str):
    """The picker's next level under `code`: [{code, short_name}], nothing else."""
    if (
        not is_wellformed_code(code)
        or len(code) == CODE_LENGTHS[5]
        or not Region.objects.filter(code=code).exists()
    ):
        return JsonResponse({"detail": _("未找到")}, status=404, json_dumps_params={"ensure_ascii": False})
    rows = list(Region.objects.filter(parent_id=code).order_by("code").values("code", "short_name"))
    return JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False})


urlpatterns = [
    # Public, no login: the self-report and its receipt's progress.
    path("report/", report, name="report"),
    path("report/done/", report_done, name="report_done"),
    path("report/progress/", report_progress, name="report_progress"),
    path("report/places/<str:code>/children", report_places, name="report_places"),
]
