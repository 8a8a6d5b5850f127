"""The party app's query and edit forms. They collect and check input (field messages in Chinese);
writes go through party.services, which check scope and the rules again."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.forms import no_control, scope_root
from fupin.core.lists import FilterForm
from fupin.core.photos import max_mb
from fupin.orgs.selectors import units_visible_to
from fupin.party.choices import (
    ActivityKind,
    AssessmentResult,
    MeetingKind,
    MemberStatus,
    OrgKind,
    OrgLevel,
    ReserveStatus,
    Stage,
    WeakCriterion,
    WeakStatus,
)
from fupin.party.models import (
    Checklist,
    IndicatorSet,
    Meeting,
    Pairing,
    PairingActivity,
    PartyMember,
    PartyOrg,
    ReserveCadre,
)
from fupin.party.selectors import can_edit_org, editable_orgs
from fupin.party.services import MAX_PHOTOS
from fupin.regions.forms import RegionField

ALL = [("", _("全部"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- query forms (the lists' filters: fupin.core.lists) -------------------------------------------


def _year_choices():
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this, 2014, -1)]


def _any_year_choices():
    return ALL + _year_choices()


def _year_field(choices=_year_choices):
    return forms.TypedChoiceField(
        label=_("年度"), required=False, coerce=int, empty_value=None, choices=choices
    )


class DivisionQueryForm(FilterForm):
    """A division inside the user's scope (the picker starts at the user's place)."""

    region_fields = ("division",)
    division = RegionField(label=_("区划"), required=False)


class KeywordQueryForm(DivisionQueryForm):
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)


class OrgQueryForm(KeywordQueryForm):
    kind = forms.ChoiceField(label=_("组织类型"), required=False, choices=ALL + OrgKind.choices)
    level = forms.ChoiceField(label=_("组织层级"), required=False, choices=ALL + OrgLevel.choices)


# Pseudo-choices of the query forms, for the catalogue's drill-through (party.indicators):
# 党员 = 预备党员 and 正式党员; a weak case in force = any status but 已撤销.
PARTY_MEMBERS = "member"
IN_FORCE = "in_force"


class MemberQueryForm(KeywordQueryForm):
    stage = forms.ChoiceField(
        label=_("发展阶段"),
        required=False,
        choices=ALL + [(PARTY_MEMBERS, _("党员(正式和预备)"))] + Stage.choices,
    )
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ALL + MemberStatus.choices)


class YearQueryForm(DivisionQueryForm):
    """A year that is always one (no 全部): the list is of one year, this year when none is sent."""

    year = _year_field()


class ScoreQueryForm(YearQueryForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Scores are given after the year ends: the ranking opens on last year.
        self.fields["year"].initial = timezone.localdate().year - 1


class MeetingQueryForm(DivisionQueryForm):
    year = _year_field(_any_year_choices)
    month = forms.TypedChoiceField(
        label=_("月份"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=ALL + [(m, _("%(m)d月") % {"m": m}) for m in range(1, 13)],
    )
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=ALL + MeetingKind.choices)


class WeakQueryForm(DivisionQueryForm):
    year = _year_field(_any_year_choices)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=ALL + [(IN_FORCE, _("有效认定(不含已撤销)"))] + WeakStatus.choices,
    )


class ReserveQueryForm(KeywordQueryForm):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ALL + ReserveStatus.choices)


def clean_month(value: str | None) -> datetime.date | None:
    """The month "YYYY-MM" as its first day; empty is None."""
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007 - a calendar month
    except ValueError:
        raise ValidationError(_("月份格式应为 YYYY-MM"), code="month") from None


class MonthQueryForm(DivisionQueryForm):
    month = forms.CharField(
        label=_("月份"), required=False, widget=forms.DateInput(attrs={"type": "month"}), max_length=7
    )

    def clean_month(self):
        return clean_month(self.cleaned_data.get("month"))


# --- edit forms ---------------------------------------------------------------------------------


class VersionedModelForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


def _scoped(field, queryset):
    field.queryset = queryset
    return field


class OrgForm(VersionedModelForm):
    region = RegionField(label=_("所在区划"), required=False)

    class Meta:
        model = PartyOrg
        fields = ["name", "level", "kind", "parent", "region", "unit", "founded_on", "approved_by", "note"]
        widgets = {"founded_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionField(label=_("所在区划"), required=False, root=scope_root(user))
        if self.instance.pk:
            self.initial.setdefault("region", self.instance.region_id)
        _scoped(self.fields["parent"], PartyOrg.objects.visible_to(user).exclude(level=OrgLevel.GROUP))
        _scoped(self.fields["unit"], units_visible_to(user))

    def clean(self):
        data = super().clean()
        if not data.get("region") and not data.get("unit"):
            self.add_error("region", _("请选择所在区划或所属单位"))
        return data


class MemberForm(VersionedModelForm):
    class Meta:
        model = PartyMember
        fields = [
            "name",
            "post",
            "stage",
            "applied_on",
            "activist_on",
            "candidate_on",
            "joined_on",
            "full_on",
        ]
        widgets = {
            name: DATE for name in ("applied_on", "activist_on", "candidate_on", "joined_on", "full_on")
        }

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["stage"]  # the stage moves only through the recruitment workflow

    def clean_name(self):
        return no_control(self.cleaned_data["name"])


class AdvanceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    action = forms.ChoiceField(
        choices=[("advance", _("进入下一阶段"))]
        + [(s, label) for s, label in MemberStatus.choices if s != "active"]
    )
    on = forms.DateField(label=_("日期"), widget=DATE)
    reason = forms.CharField(label=_("说明"), required=False, max_length=500)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("最多上传 %(n)d 张照片") % {"n": MAX_PHOTOS})
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def split_names(text: str) -> list[str]:
    """Names typed one a line (or separated by 、,,;), stripped, blanks dropped, in order."""
    return [name.strip() for name in re.split(r"[\n、,,;;]+", text or "") if name.strip()]


class MeetingForm(VersionedModelForm):
    """Attendance is ticked, never typed: the members present (checkboxes of the organisation's
    members) and the guests (列席) by name; the service derives the figures from them."""

    guests = forms.CharField(
        label=_("列席人员"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("非本组织党员的参会人员,每行一个姓名"),
    )
    photos = MultipleFileField(
        label=_("照片"),
        required=False,
        help_text=_("JPEG/PNG/WebP,每张不超过 %(mb)s MB,最多 %(n)d 张") % {"mb": max_mb(), "n": MAX_PHOTOS},
    )

    class Meta:
        model = Meeting
        fields = ["kind", "held_on", "topic", "attendees", "guests", "minutes"]
        widgets = {
            "held_on": DATE,
            "attendees": forms.CheckboxSelectMultiple,
            "minutes": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, org: PartyOrg, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        roster = PartyMember.objects.filter(org__in=[org, *org.children.all()], status=MemberStatus.ACTIVE)
        if editing:
            # Who attended then stays tickable even if they have left the organisation since.
            roster = roster | PartyMember.objects.filter(pk__in=self.instance.attendees.values("pk"))
            self.initial["guests"] = "\n".join(self.instance.guests or [])
            del self.fields["photos"]
        self.fields["attendees"].queryset = roster.distinct().order_by("org", "id")
        self.fields["attendees"].help_text = _("勾选到会的党员,实到和缺席人数由此计算")

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError(_("日期不能晚于今天"))
        return held_on

    def clean_topic(self):
        return no_control(self.cleaned_data["topic"])

    def clean_guests(self):
        return split_names(no_control(self.cleaned_data.get("guests") or "", multiline=True))


class ScoreForm(forms.Form):
    """One field per standard of the checklist, plus the satisfaction rate."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    satisfaction = forms.DecimalField(
        label=_("群众满意度(%)"), required=False, min_value=0, max_value=100, decimal_places=2
    )

    def __init__(self, *args, checklist: Checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        self.groups = []
        for category in checklist.categories.prefetch_related("items"):
            names = []
            for item in category.items.all():
                name = f"item_{item.pk}"
                self.fields[name] = forms.DecimalField(
                    label=item.name,
                    min_value=0,
                    max_value=item.max_points,
                    decimal_places=2,
                    initial=item.max_points,
                    help_text=_("满分 %(w)s") % {"w": item.max_points},
                )
                names.append(name)
            self.groups.append((category, names))

    def points(self) -> dict:
        return {int(k[5:]): v for k, v in self.cleaned_data.items() if k.startswith("item_")}

    def grouped(self):
        return [(category, [self[name] for name in names]) for category, names in self.groups]


class WeakCaseForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    criteria = forms.MultipleChoiceField(
        label=_("认定情形"),
        required=False,
        choices=WeakCriterion.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("系统根据记录自动核对的情形会一并列入"),
    )
    description = forms.CharField(
        label=_("问题描述"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()


class WeakStepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    action = forms.ChoiceField(
        choices=[("plan", _("制定整改方案")), ("close", _("销号")), ("revoke", _("撤销"))]
    )
    plan = forms.CharField(label=_("整改方案"), required=False, max_length=2000)
    owner = forms.CharField(label=_("整改责任人"), required=False, max_length=50)
    deadline = forms.DateField(label=_("整改时限"), required=False, widget=DATE)
    reason = forms.CharField(label=_("说明"), required=False, max_length=500)


class ReserveForm(VersionedModelForm):
    class Meta:
        model = ReserveCadre
        fields = [
            "org",
            "name",
            "sex",
            "birth_year",
            "education",
            "is_party_member",
            "current_work",
            "added_on",
            "status",
        ]
        widgets = {"added_on": DATE}

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        _scoped(self.fields["org"], editable_orgs(user).filter(kind=OrgKind.VILLAGE))
        if editing:
            del self.fields["org"]
        else:
            del self.fields["status"]


class AssessmentForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    result = forms.ChoiceField(label=_("考核结果"), choices=AssessmentResult.choices)
    note = forms.CharField(label=_("评语"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()


class CadreForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    post = forms.CharField(label=_("职务"), max_length=50, help_text=_("如:村党支部书记、村委会主任"))


class CadreScoreForm(forms.Form):
    month = forms.CharField(label=_("月份"), widget=forms.DateInput(attrs={"type": "month"}), max_length=7)

    def __init__(self, *args, indicator_set: IndicatorSet, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in indicator_set.indicators.all():
            self.fields[f"ind_{indicator.pk}"] = forms.DecimalField(
                label=indicator.name,
                min_value=0,
                max_value=indicator.max_points,
                decimal_places=2,
                help_text=_("满分 %(w)s") % {"w": indicator.max_points},
            )

    def clean_month(self):
        return clean_month(self.cleaned_data.get("month"))

    def points(self) -> dict:
        return {int(k[4:]): v for k, v in self.cleaned_data.items() if k.startswith("ind_")}


class PairingForm(VersionedModelForm):
    class Meta:
        model = Pairing
        fields = ["helper", "village_branch", "started_on", "ended_on", "note"]
        widgets = {"started_on": DATE, "ended_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        orgs = PartyOrg.objects.visible_to(user).exclude(level=OrgLevel.GROUP)
        _scoped(self.fields["helper"], orgs.exclude(kind=OrgKind.VILLAGE))
        _scoped(self.fields["village_branch"], orgs.filter(kind=OrgKind.VILLAGE))

    def clean(self):
        data = super().clean()
        helper, village = data.get("helper"), data.get("village_branch")
        if helper and village and not (can_edit_org(self.user, helper) or can_edit_org(self.user, village)):
            self.add_error("helper", _("结对双方至少有一方应是您负责的党组织"))
        return data


class ActivityForm(forms.ModelForm):
    class Meta:
        model = PairingActivity
        fields = ["kind", "held_on", "title", "description", "participants", "donated_items", "donated_value"]
        widgets = {"held_on": DATE, "description": forms.Textarea(attrs={"rows": 3}), "kind": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ActivityKind.choices
