"""Query and entry forms of assistance. They collect and check input (messages under each field);
the writes and their rules live in assistance.services, whose field errors land on these forms."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.accounts.selectors import account_for
from fupin.assistance.choices import (
    ActivityKind,
    MeasureStatus,
    MeasureType,
    PostKind,
    TeamStatus,
    TrainingForm,
    TrainingKind,
    UnitLevel,
)
from fupin.assistance.models import Cadre, WorkTeam
from fupin.core import forms as core_forms
from fupin.core import validators
from fupin.core.forms import VersionedForm
from fupin.core.lists import FilterForm
from fupin.core.validators import has_control
from fupin.orgs import selectors as orgs
from fupin.regions.forms import RegionField
from fupin.registry import selectors as registry

ALL = [("", _("全部"))]
NONE = [("", _("请选择"))]
DATE = {"type": "date"}


def _date(label, *, required=True, initial=None):
    return forms.DateField(
        label=label, required=required, initial=initial, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )


def _text(label, *, required=True, max_length=200, rows=None, help_text="", **attrs):
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=widget, help_text=help_text
    )


class NoControlChars:
    """Refuses NUL and other control characters in every text field (PostgreSQL refuses NUL)."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and has_control(value, multiline=True):
                self.add_error(name, _("含有不允许的控制字符"))
        return cleaned


class ScopedForm(NoControlChars, core_forms.ScopedForm):
    """An assistance entry form: its user's pickers and scope (core), no control characters."""


# --- query forms --------------------------------------------------------------------------------


class DivisionQueryForm(FilterForm):
    region_fields = ("division",)
    division = RegionField(label=_("区划"), required=False)


class QueryForm(DivisionQueryForm):
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)


class OverdueQueryForm(DivisionQueryForm):
    # 我的结对户: only the households the user is the 帮扶责任人 of (the cadre's 待办 links here).
    mine = forms.BooleanField(label=_("只看我的结对户"), required=False)


class PairingQueryForm(QueryForm):
    active = forms.ChoiceField(
        label=_("状态"), required=False, choices=ALL + [("1", _("帮扶中")), ("0", _("已结束"))]
    )


class CadreQueryForm(QueryForm):
    level = forms.ChoiceField(label=_("单位层级"), required=False, choices=ALL + UnitLevel.choices)


class PostingQueryForm(QueryForm):
    kind = forms.ChoiceField(label=_("选派类型"), required=False, choices=ALL + PostKind.choices)
    active = forms.ChoiceField(label=_("任期"), required=False, choices=ALL + [("1", _("在任"))])


class TeamQueryForm(DivisionQueryForm):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ALL + TeamStatus.choices)


class MeasureQueryForm(DivisionQueryForm):
    type = forms.ChoiceField(label=_("措施类型"), required=False, choices=ALL + MeasureType.choices)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ALL + MeasureStatus.choices)


class CoverageQueryForm(DivisionQueryForm):
    uncovered = forms.BooleanField(label=_("只看未覆盖"), required=False)
    covered = forms.BooleanField(label=_("只看已覆盖"), required=False)


class VisitQueryForm(DivisionQueryForm):
    # The drill of 走访次数 (assistance.indicators): the visits of a year or a month.
    visited_in = forms.RegexField(
        label=_("走访年月"),
        required=False,
        regex=r"^\d{4}(-(0[1-9]|1[0-2]))?$",
        error_messages={"invalid": _("请填写年度(如2026)或月份(如2026-03)")},
        widget=forms.TextInput(attrs={"placeholder": "2026-03"}),
    )


class ActivityQueryForm(DivisionQueryForm):
    kind = forms.ChoiceField(label=_("活动类型"), required=False, choices=ALL + ActivityKind.choices)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


class TrainingQueryForm(DivisionQueryForm):
    kind = forms.ChoiceField(label=_("培训对象"), required=False, choices=ALL + TrainingKind.choices)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


# --- entry forms --------------------------------------------------------------------------------


def _visible_cadres(user):
    return Cadre.objects.visible_to(user).select_related("unit").order_by("name")


class CadreForm(ScopedForm):
    region_fields = ("region",)
    name = _text(_("姓名"), max_length=50)
    level = forms.ChoiceField(label=_("单位层级"), choices=NONE + UnitLevel.choices)
    unit = forms.ModelChoiceField(label=_("工作单位"), queryset=orgs.units_visible_to(None), required=False)
    title = _text(_("职务"), required=False, max_length=50)
    phone = _text(
        _("联系电话"), required=False, max_length=30, help_text=_("手机号码,印在所帮扶农户的明白卡上")
    )
    region = RegionField(label=_("工作地"))
    account = _text(
        _("登录账号"), required=False, max_length=150, help_text=_("填写后,该干部登录即可看到“我的帮扶户”")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].queryset = orgs.units_visible_to(user)

    # One rule with the API and the registry's phones (core.validators.mobile_phone).
    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        return validators.mobile_phone(value) if value.strip() else ""

    def clean_account(self):
        username = (self.cleaned_data.get("account") or "").strip()
        if not username:
            return None
        account = account_for(self.user, username)
        if account is None:
            raise ValidationError(_("没有这个登录账号(或不在您的数据范围内)"), code="missing")
        return account

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["user"] = data.pop("account")
        return data


class HouseholdNumberField(forms.CharField):
    """A household by its 户编号, looked up among the households the user may see."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def find(self, user, value):
        if not value:
            return None
        household = registry.household_for(user, number=value)
        if household is None:
            raise ValidationError(_("未找到该户编号的农户(或不在您的数据范围内)"), code="missing")
        return household


class PairingForm(ScopedForm):
    cadre = forms.ModelChoiceField(label=_("帮扶责任人"), queryset=Cadre.objects.none())
    household = HouseholdNumberField(label=_("农户户编号"))
    start = _date(_("开始日期"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["cadre"].queryset = _visible_cadres(user)

    def clean_household(self):
        return self.fields["household"].find(self.user, self.cleaned_data.get("household"))


class PairingEndForm(NoControlChars, VersionedForm):
    end = _date(_("结束日期"))
    end_reason = _text(_("结束原因"))


class ActivityForm(ScopedForm):
    region_fields = ("region",)
    kind = forms.ChoiceField(label=_("活动类型"), choices=NONE + ActivityKind.choices)
    title = _text(_("活动名称"), max_length=100)
    held_on = _date(_("活动日期"))
    region = RegionField(label=_("活动地点"))
    unit = forms.ModelChoiceField(label=_("帮扶单位"), queryset=orgs.units_visible_to(None), required=False)
    assisted_place = forms.ModelChoiceField(
        label=_("定点帮扶"),
        queryset=orgs.places_visible_to(None),
        required=False,
        help_text=_("单位定点帮扶的地区"),
    )
    description = _text(_("活动内容"), required=False, max_length=2000, rows=4)
    items = _text(_("捐赠物品"), required=False)
    value = forms.DecimalField(
        label=_("折价(元)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    participants = forms.IntegerField(label=_("参加人数"), required=False, min_value=0, max_value=100000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["assisted_place"].queryset = orgs.places_visible_to(user).select_related("unit", "region")
        self.fields["unit"].queryset = orgs.units_visible_to(user)


class TeamForm(ScopedForm):
    region_fields = ("village",)
    name = _text(_("工作队名称"), max_length=100)
    unit = forms.ModelChoiceField(label=_("派出单位"), queryset=orgs.units_visible_to(None))
    village = RegionField(label=_("驻村"))
    start = _date(_("开始日期"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].queryset = orgs.units_visible_to(user)


class TeamTransitionForm(NoControlChars, VersionedForm):
    to = forms.ChoiceField(label=_("变更为"), choices=TeamStatus.choices)
    reason = _text(_("说明"), required=False, max_length=500)


class PostingForm(ScopedForm):
    region_fields = ("region",)
    cadre = forms.ModelChoiceField(label=_("干部"), queryset=Cadre.objects.none())
    kind = forms.ChoiceField(label=_("选派类型"), choices=NONE + PostKind.choices)
    region = RegionField(label=_("派驻地"))
    team = forms.ModelChoiceField(label=_("工作队"), queryset=WorkTeam.objects.none(), required=False)
    post_title = _text(_("挂职/驻村职务"), required=False, max_length=100)
    start = _date(_("开始日期"))
    end = _date(_("结束日期"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["cadre"].queryset = _visible_cadres(user)
        self.fields["team"].queryset = WorkTeam.objects.visible_to(user)


class MeasureForm(ScopedForm):
    household = HouseholdNumberField(label=_("农户户编号"))
    type = forms.ChoiceField(label=_("措施类型"), choices=NONE + MeasureType.choices)
    content = _text(_("措施内容"))
    cadre = forms.ModelChoiceField(label=_("责任人"), queryset=Cadre.objects.none(), required=False)
    due = _date(_("计划完成日期"), required=False)
    amount = forms.DecimalField(
        label=_("投入资金(元)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["cadre"].queryset = _visible_cadres(user)

    def clean_household(self):
        return self.fields["household"].find(self.user, self.cleaned_data.get("household"))


class MeasureTransitionForm(NoControlChars, VersionedForm):
    to = forms.ChoiceField(label=_("变更为"), choices=MeasureStatus.choices)
    result = _text(_("成效"), required=False, max_length=2000, rows=2)
    reason = _text(_("说明"), required=False, max_length=500)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class VisitForm(NoControlChars, forms.Form):
    """入户走访 on a phone: everything typed comes back after a failed submit (and a local draft)."""

    visited_on = _date(_("走访日期"))
    people_met = _text(_("见到的人"), placeholder=_("如:户主扎西、妻子卓玛"))
    notes = _text(_("走访情况"), max_length=2000, rows=4)
    issues = _text(_("发现的问题"), required=False, max_length=2000, rows=3)
    latitude = forms.DecimalField(
        label=_("纬度"),
        required=False,
        min_value=-90,
        max_value=90,
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=_("经度"),
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    photos = PhotosField(label=_("照片"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()

    def clean_visited_on(self):
        value = self.cleaned_data["visited_on"]
        if value > timezone.localdate():
            raise ValidationError(_("日期不能晚于今天"))
        if value < timezone.localdate() - datetime.timedelta(days=366):
            raise ValidationError(_("只能补录一年内的走访"))
        return value


class WorkLogForm(ScopedForm):
    region_fields = ("region",)
    logged_on = _date(_("日期"))
    region = RegionField(label=_("工作地点"))
    content = _text(_("工作内容"), max_length=4000, rows=6)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["logged_on"].initial = timezone.localdate()


class TrainingClassForm(ScopedForm):
    region_fields = ("region",)
    topic = _text(_("培训主题"))
    form = forms.ChoiceField(label=_("培训形式"), choices=NONE + TrainingForm.choices)
    kind = forms.ChoiceField(label=_("培训对象"), choices=NONE + TrainingKind.choices)
    start = _date(_("开始日期"))
    end = _date(_("结束日期"))
    place = _text(_("培训地点"), max_length=100)
    organiser = forms.ModelChoiceField(label=_("主办单位"), queryset=orgs.units_visible_to(None))
    region = RegionField(label=_("培训地区"))
    hours = forms.DecimalField(label=_("学时"), min_value=0, max_digits=6, decimal_places=1, initial=0)
    names = _text(
        _("学员名单"),
        required=False,
        max_length=4000,
        rows=4,
        placeholder=_("每行一人:姓名,单位/村(可省略单位)"),
    )
    count = forms.IntegerField(
        label=_("其他学员人数"),
        required=False,
        min_value=0,
        max_value=100000,
        help_text=_("名单以外只知人数的学员"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["organiser"].queryset = orgs.units_visible_to(user)

    def attendees(self) -> list[dict]:
        data = self.cleaned_data
        rows = []
        for line in (data.get("names") or "").splitlines():
            if not line.strip():
                continue
            name, _sep, unit = line.replace(",", ",").partition(",")
            rows.append({"kind": data["kind"], "name": name.strip()[:50], "unit_name": unit.strip()[:100]})
        if data.get("count"):
            rows.append({"kind": data["kind"], "count": data["count"]})
        return rows

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") and not (cleaned.get("names") or "").strip() and not cleaned.get("count"):
            self.add_error("count", _("请填写学员名单或学员人数"))
        return cleaned


# --- edit forms: the entry forms with the version read, prefilled from the record ---------------


class CadreEditForm(CadreForm, VersionedForm):
    # The phone is not shown back in clear (screens mask it): left empty, it is kept.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = _("编辑时留空表示不修改")

    def service_fields(self) -> dict:
        data = super().service_fields()
        data["phone"] = data["phone"] or None
        return data

    @classmethod
    def initial_for(cls, cadre: Cadre) -> dict:
        return {
            "version": cadre.version,
            "name": cadre.name,
            "level": cadre.level,
            "unit": cadre.unit_id,
            "title": cadre.title,
            "region": cadre.region_id,
            "account": cadre.user.username if cadre.user else "",
        }


class TeamEditForm(TeamForm, VersionedForm):
    @classmethod
    def initial_for(cls, team: WorkTeam) -> dict:
        return {
            "version": team.version,
            "name": team.name,
            "unit": team.unit_id,
            "village": team.village_id,
            "start": team.start,
        }


class TrainingClassEditForm(TrainingClassForm, VersionedForm):
    """Saving replaces the attendees with the list and count shown (the class's 培训对象 for all)."""

    @classmethod
    def initial_for(cls, training) -> dict:
        attendees = list(training.attendees.all())
        return {
            "version": training.version,
            "topic": training.topic,
            "form": training.form,
            "kind": training.kind,
            "start": training.start,
            "end": training.end,
            "place": training.place,
            "organiser": training.organiser_id,
            "region": training.region_id,
            "hours": training.hours,
            "names": "\n".join(
                f"{a.name},{a.unit_name}" if a.unit_name else a.name for a in attendees if a.name
            ),
            "count": sum(a.count for a in attendees if not a.name) or None,
        }
