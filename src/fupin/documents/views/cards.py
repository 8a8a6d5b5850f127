"""明白卡 and 一户一档 pages.

- `households/<pk>/print/`: choose what to print for one household (the household page's 打印明白卡 /
  一户一档 button): links to the masked PDFs, and with `registry.reveal_household` a 明文打印 form
  (a purpose and a confirmation, a POST) for a copy with full personal data.
- `households/<pk>/card/?size=A5|A4` and `households/<pk>/file/`: the masked PDFs, answered directly
  (one household takes well under a second).
- `cards/village/`: a village's 明白卡, one PDF, a card a page: chosen with the division picker and
  generated as a job on the queue (documents.tasks); the job's page offers the file.

Every print writes one audit row in the export shape (`core.lists.audit_export`, format "pdf"); a
clear one carries its purpose. Out of scope answers like missing (404); without
`documents.print_card`, 403.
"""

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.core import lists
from fupin.core.forms import ScopedForm, form_page
from fupin.core.permissions import may, require
from fupin.documents import cards, tasks
from fupin.regions.forms import RegionField
from fupin.registry import selectors as registry

PRINT = "documents.print_card"
REVEAL = "registry.reveal_household"
DOCUMENTS = {"card": gettext_lazy("明白卡"), "file": gettext_lazy("一户一档")}
SIZE_CHOICES = [("A5", gettext_lazy("A5(卡片)")), ("A4", gettext_lazy("A4"))]


def pdf_response(pdf: bytes, filename: str) -> FileResponse:
    """A PDF opened in the browser's viewer (print from there; a phone shows it too)."""
    return FileResponse(io.BytesIO(pdf), filename=filename, content_type="application/pdf")


def audit_print(request, household, *, document: str, size: str = "", clear: bool = False, purpose: str = ""):
    """One audit row per print, in the export shape: which document, of which household, masked or
    clear (and why)."""
    filters = (
        {"household": household.number, "size": size}
        if document == "card"
        else {"household": household.number}
    )
    lists.audit_export(
        request=request,
        name=f"documents.{document}",
        title=DOCUMENTS[document],
        filters=filters,
        count=1,
        masked=not clear,
        purpose=purpose,
        fmt="pdf",
        object_id=str(household.pk),
        region_code=household.village_id,
    )


def print_household(
    request, household, *, document: str, size: str = "A5", clear: bool = False, purpose: str = ""
):
    """The PDF of `document` ("card" or "file") for a household fetched in scope, audited."""
    if document == "card":
        pdf = cards.household_card_pdf(household, request.user, size=size, clear=clear)
        name = cards.card_file_name(household, size=size, clear=clear)
    else:
        by = str(request.user)  # 姓名, else the account name
        pdf = cards.household_file_pdf(household, request.user, clear=clear, printed_by=by)
        name = cards.household_file_name(household, clear=clear)
    audit_print(request, household, document=document, size=size, clear=clear, purpose=purpose)
    return pdf_response(pdf, name)


def _household(request, pk):
    require(request, PRINT)
    return registry.household_or_404(request.user, pk)


def _size(request) -> str | None:
    size = request.GET.get("size") or "A5"
    return size if size in cards.SIZES else None


@login_required
def card(request, pk: int):
    """The household's 明白卡 (masked), A5 or A4."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    household = _household(request, pk)
    size = _size(request)
    if size is None:
        return HttpResponseBadRequest(_("纸张规格只能是 A5 或 A4。"))
    return print_household(request, household, document="card", size=size)


@login_required
def household_file(request, pk: int):
    """The household's 一户一档 (masked)."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return print_household(request, _household(request, pk), document="file")


class ClearPrintForm(lists.ClearExportForm):
    """明文打印: which document, the card's size, a purpose and a confirmation."""

    document = forms.ChoiceField(label=gettext_lazy("文书"), choices=list(DOCUMENTS.items()))
    size = forms.ChoiceField(label=gettext_lazy("纸张"), choices=SIZE_CHOICES, initial="A5", required=False)
    field_order = ["document", "size", "purpose", "confirm"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = gettext_lazy("我确认打印的明文个人信息仅用于上述用途")


@login_required
def print_page(request, pk: int):
    """Choose and print: the masked documents as links; 明文打印 (a POST) for who may reveal."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    household = _household(request, pk)
    can_reveal = may(request.user, REVEAL, code=household.village_id)
    form = ClearPrintForm(request.POST or None) if can_reveal else None
    if request.method == "POST":
        if not can_reveal:
            raise PermissionDenied(_("没有查看完整敏感信息的权限"))
        if form.is_valid():
            data = form.cleaned_data
            return print_household(
                request,
                household,
                document=data["document"],
                size=data.get("size") or "A5",
                clear=True,
                purpose=data["purpose"],
            )
    response = render(
        request,
        "documents/card_print.html",
        {"household": household, "form": form, "sizes": cards.SIZES},
        status=400 if request.method == "POST" else 200,
    )
    return response


class BatchForm(ScopedForm):
    """打印本村明白卡: a village in the user's scope and the paper size."""

    region_fields = ("village",)
    village = RegionField(label=gettext_lazy("村"), levels=(5,))
    size = forms.ChoiceField(label=gettext_lazy("纸张"), choices=SIZE_CHOICES, initial="A5")


@login_required
def card_batch(request):
    """A village's 明白卡 in one PDF (a card a page), as a job; then the job's page."""
    require(request, PRINT)
    form = BatchForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        write=lambda f: tasks.start_village_cards(
            by=request.user, village=f.cleaned_data["village"], size=f.cleaned_data["size"]
        ),
        success=lambda job: reverse("jobs:status", args=[job.pk]),
        done=_("已开始生成本村明白卡。"),
        title=_("打印本村明白卡"),
        intro=_(
            "本村您可查看的每一户打印一张明白卡,合为一个 PDF 文件(身份证号已脱敏)。生成后在任务页面下载。"
        ),
        template="documents/card_batch.html",
    )


urlpatterns = [
    path("households/<int:pk>/print/", print_page, name="card_print"),
    path("households/<int:pk>/card/", card, name="card"),
    path("households/<int:pk>/file/", household_file, name="household_file"),
    path("cards/village/", card_batch, name="card_batch"),
]
