"""Supervision's forms: recording a finding (a phone form that works offline), the closed loop's
step forms, inspections and their check results, task progress reports."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from fupin.accounts.selectors import accounts_visible_to
from fupin.core.forms import ScopedForm, VersionedForm, no_control
from fupin.orgs.selectors import units_visible_to
from fupin.regions.forms import RegionField
from fupin.registry.selectors import household_for
from fupin.supervision import selectors
from fupin.supervision.choices import CheckResult, InspectionKind, Severity
from fupin.supervision.models import ChecklistItem

DATE = {"type": "date"}
PHOTO_ATTRS = {"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}


def _date(label, *, required=True):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )


def _text(label, *, required=True, max_length=200, rows=None, **attrs):
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once, from the gallery or the phone's camera (the service checks each)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs=dict(PHOTO_ATTRS)))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class TextChecked:
    """Refuses control characters in every text field (tabs and line breaks only in text areas)."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                multiline = isinstance(self.fields[name].widget, forms.Textarea)
                try:
                    cleaned[name] = no_control(value, multiline=multiline)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned


def _unit_field(label):
    return forms.ModelChoiceField(label=label, required=False, queryset=units_visible_to(None))


class FindingForm(TextChecked, ScopedForm):
    """登记问题: what, where, how serious, by when, who answers for it, and the evidence."""

    region_fields = ("division",)
    SERVICE_FIELD_ALIASES = {"household": "household_number"}

    division = RegionField(label=_("所属区划"))
    category = forms.ModelChoiceField(label=_("问题类别"), queryset=selectors.categories())
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices, initial=Severity.GENERAL)
    description = _text(_("问题描述"), max_length=2000, rows=4)
    photos = PhotosField(label=_("取证照片"))
    notes = _text(_("取证说明"), required=False, max_length=2000, rows=2)
    location = _text(_("位置"), required=False, max_length=100)
    requirement = _text(_("整改要求"), required=False, max_length=2000, rows=2)
    deadline = _date(_("整改时限"))
    found_on = _date(_("发现日期"), required=False)
    responsible_unit = _unit_field(_("责任单位"))
    lead_unit = _unit_field(_("牵头单位"))
    responsible_person = _text(_("责任人"), required=False, max_length=50)
    household_number = _text(_("涉及农户(户编号)"), required=False, max_length=30)
    assisting_unit = _unit_field(_("涉及帮扶单位"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        units = units_visible_to(user)
        for name in ("responsible_unit", "lead_unit", "assisting_unit"):
            self.fields[name].queryset = units

    def clean_household_number(self):
        number = self.cleaned_data.get("household_number")
        if not number:
            return None
        household = household_for(self.user, number=number)
        if household is None:
            raise forms.ValidationError(_("未找到该户编号的农户"))
        return household

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["household"] = data.pop("household_number")
        return data


class PlanForm(TextChecked, VersionedForm):
    plan = _text(_("整改措施"), max_length=2000, rows=4)
    responsible_person = _text(_("责任人"), required=False, max_length=50)


class SubmitForm(TextChecked, VersionedForm):
    result = _text(_("整改情况"), max_length=2000, rows=3)
    before_photos = PhotosField(label=_("整改前照片"))
    after_photos = PhotosField(label=_("整改后照片"))


class CloseForm(TextChecked, VersionedForm):
    note = _text(_("核验意见"), required=False, max_length=500)


class SendBackForm(TextChecked, VersionedForm):
    reasons = _text(_("退回理由(每条一行)"), max_length=2000, rows=3)


MAX_PLACES = 6  # the places an inspection plans to go (a failed check adds where it went)
PLACE_FIELDS = tuple(f"place_{n}" for n in range(1, MAX_PLACES + 1))


class InspectionForm(TextChecked, ScopedForm):
    """A new 暗访 / 明查: its area, the places it goes (each with the division picker) and the
    inspectors (accounts the user may name); none chosen: the user who records it."""

    region_fields = ("area", *PLACE_FIELDS)
    SERVICE_FIELD_ALIASES = {"places": "place_1"}

    kind = forms.ChoiceField(label=_("方式"), choices=InspectionKind.choices)
    title = _text(_("名称"), max_length=100)
    area = RegionField(label=_("督查范围"))
    start = _date(_("开始日期"))
    end = _date(_("结束日期"))
    checklist = forms.ModelChoiceField(label=_("督查清单"), required=False, queryset=selectors.checklists())
    inspectors = forms.ModelMultipleChoiceField(
        label=_("督查人员"),
        required=False,
        queryset=accounts_visible_to(None),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则为本人"),
    )
    plan = _text(_("督查方案"), required=False, max_length=4000, rows=4)

    place_1, place_2, place_3, place_4, place_5, place_6 = (
        RegionField(label=format_lazy("{} {}", _("督查地点"), n), required=False)
        for n in range(1, MAX_PLACES + 1)
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # The fields in the order of the page: the places after the area.
        order = ["kind", "title", "area", *PLACE_FIELDS, "start", "end", "checklist", "inspectors", "plan"]
        self.order_fields(order)
        self.fields["inspectors"].queryset = accounts_visible_to(user).order_by("full_name", "username")

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        places = []
        for name in PLACE_FIELDS:
            place = data.pop(name, None)
            if place is not None and place not in places:
                places.append(place)
        data["places"] = places
        data["inspectors"] = list(data.get("inspectors") or ()) or [self.user]
        return data


class CheckForm(TextChecked, ScopedForm):
    """One item's result at one place; a failed item may open a finding at once."""

    region_fields = ("division",)

    item = forms.ModelChoiceField(label=_("检查项"), queryset=ChecklistItem.objects.none())
    division = RegionField(label=_("检查地点"))
    result = forms.ChoiceField(label=_("结果"), choices=CheckResult.choices)
    note = _text(_("说明"), required=False, max_length=1000, rows=2)
    open_finding = forms.BooleanField(label=_("同时登记问题"), required=False)
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices, initial=Severity.GENERAL)
    deadline = _date(_("整改时限"), required=False)
    photos = PhotosField(label=_("取证照片"))

    def __init__(self, *args, user, inspection, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if inspection.checklist_id:
            self.fields["item"].queryset = inspection.checklist.items.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("open_finding") and not cleaned.get("deadline"):
            self.add_error("deadline", _("登记问题须填写整改时限"))
        return cleaned


class TaskReportForm(TextChecked, VersionedForm):
    progress = forms.IntegerField(label=_("完成进度(%)"), min_value=0, max_value=100)
    note = _text(_("进展情况"), max_length=2000, rows=3)
    photo = forms.FileField(
        label=_("佐证照片"), required=False, widget=forms.ClearableFileInput(attrs=dict(PHOTO_ATTRS))
    )


class PlanNewForm(TextChecked, ScopedForm):
    region_fields = ("area",)

    title = _text(_("名称"), max_length=100)
    area = RegionField(label=_("适用范围"))
    start_year = forms.IntegerField(label=_("起始年度"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("截止年度"), min_value=2000, max_value=2100)
    soon_days = forms.IntegerField(label=_("临期提醒天数"), min_value=0, max_value=365, initial=7)
    description = _text(_("说明"), required=False, max_length=4000, rows=3)


class PartForm(TextChecked, forms.Form):
    """A goal or a measure: its number and title."""

    order = forms.IntegerField(label=_("序号"), min_value=1, max_value=999)
    title = _text(_("名称"), max_length=200)


class TaskNewForm(TextChecked, forms.Form):
    order = forms.IntegerField(label=_("序号"), min_value=1, max_value=999)
    title = _text(_("任务"), max_length=300)
    lead_unit = _unit_field(_("牵头单位"))
    responsible_unit = _unit_field(_("责任单位"))
    deadline = _date(_("完成时限"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_visible_to(user)
        self.fields["lead_unit"].queryset = units
        self.fields["lead_unit"].required = True
        self.fields["responsible_unit"].queryset = units


class AssessmentNewForm(ScopedForm):
    region_fields = ("county",)

    unit = forms.ModelChoiceField(label=_("帮扶单位"), queryset=units_visible_to(None))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    county = RegionField(label=_("考核地区"), levels=(3,))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].queryset = units_visible_to(user)


class CountyAssessmentForm(ScopedForm):
    region_fields = ("county",)

    county = RegionField(label=_("考核县"), levels=(3,))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


EVIDENCE_ATTRS = {"accept": "image/jpeg,image/png,image/webp,application/pdf"}


class EvidenceForm(TextChecked, forms.Form):
    """佐证材料 for one item: photos or PDFs (the service checks each file's type)."""

    files = PhotosField(label=_("佐证材料"), widget=MultipleFileInput(attrs=dict(EVIDENCE_ATTRS)))
    note = _text(_("说明"), required=False, max_length=200)


class ScoreForm(TextChecked, forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.DecimalField(label=_("得分"), min_value=0, max_value=100, decimal_places=1)
    note = _text(_("评分说明"), required=False, max_length=200)


class FinalizeForm(TextChecked, VersionedForm):
    note = _text(_("考核意见"), required=False, max_length=1000, rows=2)
