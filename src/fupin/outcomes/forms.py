"""Query forms and edit forms of the outcomes app. Writes go through outcomes.services; the forms
collect and check input, carry the record's `version`, and take the service's field errors."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.lists import FilterForm
from fupin.core.scoping import scope_of
from fupin.orgs import selectors as orgs
from fupin.outcomes import selectors
from fupin.outcomes.models import MONEY, Channel, PlacementKind, PurchaseKind, WageBand
from fupin.regions.forms import RegionField
from fupin.registry.selectors import member_for

ALL = [("", _("全部"))]
NONE = [("", _("请选择"))]
GROUPINGS = [("unit", _("按单位")), ("county", _("按县")), ("year", _("按年度"))]


def _unit_field():
    # Choices come with the user (their units); none at import, so the API's document lists none.
    return forms.TypedChoiceField(label=_("帮扶单位"), required=False, coerce=int, empty_value=None)


def _unit_choices(user) -> list:
    return ALL + [(u.pk, u.name) for u in orgs.units_visible_to(user).order_by("name")]


class RecordQueryForm(FilterForm):
    """What the purchase, placement and summary lists filter by: unit, place, year."""

    region_fields = ("division",)
    unit = _unit_field()
    division = RegionField(label=_("区划"), required=False)
    # Any year is a valid question (the API asks it too); the page offers the years that hold records.
    year = forms.IntegerField(
        label=_("年度"), required=False, min_value=2000, max_value=2100, widget=forms.Select
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].choices = _unit_choices(user)
        this_year = timezone.localdate().year
        years = sorted({*selectors.record_years(user), this_year}, reverse=True)
        self.fields["year"].widget.choices = ALL + [(y, str(y)) for y in years]


class PurchaseQueryForm(RecordQueryForm):
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=ALL + PurchaseKind.choices)
    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("供货单位/产品"), "type": "search"}),
    )


class PlacementQueryForm(RecordQueryForm):
    kind = forms.ChoiceField(label=_("就业类型"), required=False, choices=ALL + PlacementKind.choices)
    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("姓名/就业单位"), "type": "search"}),
    )


class SummaryForm(RecordQueryForm):
    by = forms.ChoiceField(label=_("汇总方式"), required=False, choices=GROUPINGS)


class TargetQueryForm(FilterForm):
    unit = _unit_field()
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].choices = _unit_choices(user)


class _RecordForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    unit = forms.ModelChoiceField(label=_("帮扶单位"), queryset=orgs.units_visible_to(None))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = orgs.units_visible_to(user)
        own = scope_of(user).unit_ids
        if own:
            units = units.filter(pk__in=own)  # a unit's people record their own unit's work
        self.fields["unit"].queryset = units
        if not self.initial.get("unit") and len(own) == 1:
            self.initial["unit"] = own[0]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["unit"] = data["unit"].pk
        if data.get("region") is not None:
            data["region"] = data["region"].code
        return data


def _date_field(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class PurchaseForm(_RecordForm):
    """Record produce bought from an assisted county, or sold on its behalf."""

    kind = forms.ChoiceField(label=_("类型"), choices=NONE + PurchaseKind.choices)
    region = RegionField(label=_("供货地区"), help_text=_("帮扶县或其下的乡镇、村"))
    supplier = forms.CharField(label=_("供货单位"), max_length=100)
    product = forms.CharField(label=_("产品"), max_length=100)
    amount = forms.DecimalField(
        label=_("金额(元)"),
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        min_value=0.01,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    date = _date_field(_("日期"))
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices, initial=Channel.OTHER)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class PlacementForm(_RecordForm):
    """Record a job placement; a registered person is linked by household number and name."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    household_number = forms.CharField(
        label=_("户编号"),
        required=False,
        max_length=20,
        help_text=_("建档立卡户的户编号(可选),填写后按姓名关联家庭成员"),
    )
    region = RegionField(label=_("户籍地区"), help_text=_("帮扶县或其下的乡镇、村"), required=False)
    employer = forms.CharField(label=_("就业单位"), max_length=100)
    kind = forms.ChoiceField(label=_("就业类型"), choices=NONE + PlacementKind.choices)
    date = _date_field(_("就业日期"))
    wage_band = forms.ChoiceField(label=_("月工资"), choices=NONE + WageBand.choices)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        number, name = (data.get("household_number") or "").strip(), data.get("name")
        data["member"] = None
        if number and name:
            found = member_for(self.user, household_number=number, name=name)
            member = found.pk if found else None
            if member is None:
                self.add_error("household_number", _("该户中没有此姓名的家庭成员"))
            data["member"] = member
        elif not data.get("region") and "region" not in self.errors:
            self.add_error("region", _("未关联建档立卡成员时,请选择户籍地区"))
        return data

    def service_fields(self) -> dict:
        data = super().service_fields()
        data.pop("household_number", None)
        data["region"] = data.get("region") or ""
        return data


def _target_money(label):
    return forms.DecimalField(
        label=label,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class TargetForm(forms.Form):
    """A unit's 责任书 targets for one year; the actuals are computed, never typed."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    unit = forms.ModelChoiceField(label=_("帮扶单位"), queryset=orgs.units_visible_to(None))
    year = forms.IntegerField(label=_("年度"), min_value=2013, max_value=2100)
    direct_funds = _target_money(_("直接投入帮扶资金(元)"))
    brought_in_funds = _target_money(_("引进帮扶资金(元)"))
    cadres_trained = forms.IntegerField(label=_("培训基层干部(人次)"), min_value=0, initial=0)
    technicians_trained = forms.IntegerField(label=_("培训技术人员(人次)"), min_value=0, initial=0)
    bought = _target_money(_("购买农产品(元)"))
    sold = _target_money(_("帮助销售农产品(元)"))
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        own = scope_of(user).unit_ids
        self.fields["unit"].queryset = orgs.units_visible_to(user).filter(pk__in=own)
        if not self.initial.get("unit") and len(own) == 1:
            self.initial["unit"] = own[0]
        if editing:  # the unit and year are the row's identity
            del self.fields["unit"]
            del self.fields["year"]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if "unit" in data:
            data["unit"] = data["unit"].pk
        return data
