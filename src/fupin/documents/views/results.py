"""帮扶成效报告: choose a unit (those the user may see) and the years → 生成 → a job on the queue →
its page offers the .docx (jobs:download, audited). The figures are gathered by
`documents.results`; the task is `documents.tasks.results_report_job`."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from fupin.core.forms import form_page
from fupin.documents import results, tasks
from fupin.orgs import selectors as orgs

PERM = "documents.print_results"


def _year_choices() -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    return [(y, _("%(y)d年") % {"y": y}) for y in range(this_year, 2009, -1)]


class ResultsForm(forms.Form):
    """The unit (of those the user may see) and the span of years."""

    # Choices come with the user; none at import.
    unit = forms.TypedChoiceField(label=gettext_lazy("帮扶单位"), coerce=int)
    first = forms.TypedChoiceField(label=gettext_lazy("起始年度"), coerce=int)
    last = forms.TypedChoiceField(label=gettext_lazy("结束年度"), coerce=int)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].choices = [("", _("请选择"))] + [
            (u.pk, u.name) for u in orgs.units_visible_to(user).order_by("name")
        ]
        own = getattr(user, "unit_id", None)
        if own and any(pk == own for pk, _n in self.fields["unit"].choices):
            self.initial.setdefault("unit", own)
        years = _year_choices()
        for name in ("first", "last"):
            self.fields[name].choices = years
        last_year = timezone.localdate().year - 1
        self.initial.setdefault("first", last_year)
        self.initial.setdefault("last", last_year)

    def clean_unit(self):
        unit = orgs.unit_for(self.user, self.cleaned_data["unit"])
        if unit is None:  # out of scope reads as missing
            raise forms.ValidationError(_("没有这个单位,或您无权查看。"))
        return unit

    def clean(self):
        data = super().clean()
        if "first" in data and "last" in data:
            try:
                results.check_years(data["first"], data["last"])
            except ValueError as error:
                self.add_error("last", str(error))
        return data


@login_required
@require_http_methods(["GET", "POST"])
def results_page(request):
    """生成帮扶成效报告 (.docx) as the user's job."""
    form = ResultsForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        write=lambda f: tasks.start_results_report(
            by=request.user,
            unit=f.cleaned_data["unit"],
            first=f.cleaned_data["first"],
            last=f.cleaned_data["last"],
        ),
        success=lambda job: reverse("jobs:status", args=[job.pk]),
        done=_("已提交生成任务,完成后可下载报告。"),
        title=_("帮扶成效报告"),
        perm=PERM,
        template="documents/results.html",
        intro=_(
            "按帮扶单位(含所属单位)和年度,从系统记录生成帮扶成效报告(Word 文档):组织领导、资金投入、"
            "帮扶项目、培训、消费帮扶、就业帮扶、支部结对共建、选派干部、责任书完成情况,附图表和数据来源。"
        ),
    )


urlpatterns = [path("results/", results_page, name="results")]
