"""Forms of the projects pages. They collect and check input; writes go through the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fupin.core.forms import scope_root
from fupin.core.lists import FilterForm
from fupin.core.validators import past_date
from fupin.orgs.selectors import units_visible_to
from fupin.projects.models import MONEY, Category, FundSource, LedgerEntry, Nature, Status
from fupin.projects.services import PLACE_LEVELS
from fupin.regions.forms import RegionField
from fupin.regions.models import Region

ALL = [("", _("全部"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def place_field(user, *, label, required=True, levels=None):
    """The division picker under the user's scope, for the `levels` the record allows (a project:
    services.PLACE_LEVELS; a fund source: any division, the user's own county included): a picker
    left at the user's own place (a county officer's county) means that place when its level is
    allowed. A village cadre's only place is their village."""
    root = scope_root(user)
    if root and len(root) == 12:
        region = Region.objects.filter(code=root).first()
        return forms.ChoiceField(
            label=label, required=required, choices=[(root, region.name if region else root)]
        )
    return RegionField(label=label, required=required, root=root, levels=levels)


def _code(value) -> str:
    return getattr(value, "code", value) or ""


def money_field(label, *, required=True, min_value=0):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=min_value,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class ProjectQueryForm(FilterForm):
    region_fields = ("division",)
    division = RegionField(label=_("区划"), required=False)
    category = forms.ChoiceField(label=_("项目类别"), required=False, choices=ALL + Category.choices)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ALL + Status.choices)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2010, max_value=2100)
    q = forms.CharField(label=_("项目名称"), required=False, max_length=50)
    # From the indicator catalogue: the projects with a beneficiary under this division.
    benefits = forms.RegexField(
        required=False, regex=r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$", widget=forms.HiddenInput
    )


class SummaryQueryForm(FilterForm):
    """分类汇总: the projects of a place and a project year."""

    region_fields = ("division",)
    division = RegionField(label=_("区划"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2010, max_value=2100)


class ProjectForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    name = forms.CharField(label=_("项目名称"), max_length=100)
    category = forms.ChoiceField(label=_("项目类别"), choices=[("", _("请选择"))] + Category.choices)
    nature = forms.ChoiceField(label=_("建设性质"), choices=Nature.choices)
    place = forms.CharField(label=_("实施地点"))
    year = forms.IntegerField(label=_("项目年度"), min_value=2010, max_value=2100)
    start_date = forms.DateField(label=_("计划开工日期"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("计划完工日期"), required=False, widget=DATE)
    unit = forms.ModelChoiceField(label=_("责任单位"), required=False, queryset=units_visible_to(None))
    budget = money_field(_("资金规模(元)"))
    tasks = forms.CharField(label=_("建设任务"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    beneficiaries_text = forms.CharField(
        label=_("受益对象"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    target_households = forms.IntegerField(label=_("计划受益户数"), min_value=0, initial=0)
    performance_targets = forms.CharField(
        label=_("绩效目标"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    benefit_mechanism = forms.CharField(
        label=_("利益联结机制"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    SERVICE_FIELD_ALIASES = {"place_code": "place", "unit_id": "unit"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"] = place_field(user, label=_("实施地点"), levels=PLACE_LEVELS)
        self.fields["unit"].queryset = units_visible_to(user).order_by("name")

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["place_code"] = _code(data.pop("place"))
        unit = data.pop("unit")
        data["unit_id"] = unit.pk if unit else None
        return data


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (a, a)
            for a in (
                "propose",
                "review",
                "approve",
                "reject",
                "publicise",
                "start",
                "accept",
                "complete",
                "evaluate",
            )
        ]
    )
    reason = forms.CharField(required=False, max_length=2000)
    expert_names = forms.CharField(required=False, max_length=200)
    expert_opinion = forms.CharField(required=False, max_length=2000)
    expert_review_date = forms.DateField(required=False)
    publicity_days = forms.IntegerField(required=False, min_value=1, max_value=365)
    announcement = forms.CharField(required=False, max_length=2000)
    score = forms.IntegerField(required=False, min_value=0, max_value=100)

    def details(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "expert_names",
                "expert_opinion",
                "expert_review_date",
                "publicity_days",
                "announcement",
                "score",
            )
            if data.get(key) not in (None, "")
        }


class BeneficiaryForm(forms.Form):
    household = forms.IntegerField(label=_("受益户"), required=False, min_value=1, widget=forms.Select)
    village = forms.ChoiceField(label=_("受益村"), required=False)
    benefit = forms.CharField(label=_("受益内容"), max_length=200)
    amount = money_field(_("受益金额(元)"), required=False)

    SERVICE_FIELD_ALIASES = {"village_code": "village"}

    def __init__(self, *args, households, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].widget.choices = [("", _("(整村受益)"))] + [
            (h.pk, f"{h.head_name or h.number}({h.village})") for h in households
        ]
        self.fields["village"].choices = [("", _("请选择"))] + [(v.code, v.name) for v in villages]

    def clean(self):
        data = super().clean()
        if not data.get("household") and not data.get("village"):
            raise ValidationError(_("请选择受益户或受益村"))
        return data


class BeneficiaryEditForm(forms.Form):
    """Correct a beneficiary's benefit; who benefits is fixed (remove and add again instead)."""

    benefit = forms.CharField(label=_("受益内容"), max_length=200)
    amount = money_field(_("受益金额(元)"), required=False)


class BeneficiaryRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("删除原因"), max_length=200, error_messages={"required": _("请填写删除原因")}
    )


class AllocateForm(forms.Form):
    source = forms.ModelChoiceField(label=_("资金来源"), queryset=FundSource.objects.none())
    amount = money_field(_("分配金额(元)"), min_value=0.01)
    date = forms.DateField(label=_("业务日期"), widget=DATE, validators=[past_date])
    memo = forms.CharField(label=_("摘要"), required=False, max_length=200)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources


class MoneyForm(forms.Form):
    """Budget arrival or a disbursement: an amount, a date, a memo."""

    amount = money_field(_("金额(元)"), min_value=0.01)
    date = forms.DateField(label=_("业务日期"), widget=DATE, validators=[past_date])
    memo = forms.CharField(label=_("摘要"), required=False, max_length=200)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲正原因"), max_length=200)


class SourceForm(forms.Form):
    name = forms.CharField(label=_("资金名称"), max_length=100)
    kind = forms.ChoiceField(label=_("资金来源"), choices=[("", _("请选择"))] + FundSource.Kind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2010, max_value=2100)
    place = forms.CharField(label=_("所属区划"), required=False)
    unit = forms.ModelChoiceField(label=_("出资单位"), required=False, queryset=units_visible_to(None))
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    SERVICE_FIELD_ALIASES = {"place_code": "place", "unit_id": "unit"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"] = place_field(user, label=_("所属区划"), required=False)
        self.fields["unit"].queryset = units_visible_to(user).order_by("name")

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["place_code"] = _code(data.pop("place"))
        unit = data.pop("unit")
        data["unit_id"] = unit.pk if unit else None
        return data


class SourceQueryForm(FilterForm):
    kind = forms.ChoiceField(label=_("资金来源"), required=False, choices=ALL + FundSource.Kind.choices)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2010, max_value=2100)


def _id_field():
    return forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class EntryQueryForm(FilterForm):
    """The ledger's filters. Only the kind is picked on the page; the others come with the link from
    a figure (a project's, a source's, an allocation's, a summary category's) and travel hidden, so
    choosing a kind keeps what the figure was about."""

    kind = forms.ChoiceField(label=_("类型"), required=False, choices=ALL + LedgerEntry.Kind.choices)
    project = _id_field()
    source = _id_field()
    allocation = _id_field()
    category = forms.ChoiceField(required=False, choices=ALL + Category.choices, widget=forms.HiddenInput)
    year = forms.IntegerField(required=False, min_value=2010, max_value=2100, widget=forms.HiddenInput)
    division = forms.RegexField(
        required=False, regex=r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$", widget=forms.HiddenInput
    )
    # From the indicator catalogue (projects.indicators): the source's kind and place, and the year
    # an entry counts in (its own date; a reversal's, the date of the entry it corrects).
    source_kind = forms.ChoiceField(
        required=False, choices=ALL + FundSource.Kind.choices, widget=forms.HiddenInput
    )
    source_division = forms.RegexField(
        required=False, regex=r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$", widget=forms.HiddenInput
    )
    entry_year = forms.IntegerField(required=False, min_value=2000, max_value=2100, widget=forms.HiddenInput)


class PublicityForm(forms.Form):
    """A county's 公示 settings; the county officer's picker holds their own county."""

    county = forms.CharField(label=_("县级区划"))
    hotline = forms.CharField(
        label=_("监督举报电话"),
        max_length=40,
        help_text=_("印在本县及各村的公示页面上,如 0974-8512317 或 12317"),
    )
    office = forms.CharField(label=_("受理单位"), required=False, max_length=100)

    SERVICE_FIELD_ALIASES = {"county_code": "county"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"] = RegionField(
            label=_("县级区划"), root=scope_root(user), levels=(Region.Level.COUNTY,)
        )
