"""The review chain's step forms, the cadre's 发现风险 and the 风险消除 proposal.

They collect and check input (messages under each field); the rules live in monitoring.services,
whose field errors land on these forms through core.forms.save_form. Each step form carries the
version of the case it was drawn from, so a page left open while someone else acted is told so.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.validators import has_control
from fupin.monitoring.choices import DisasterKind, EliminationKind, ObjectType, Risk, Source
from fupin.monitoring.models import Layer
from fupin.registry import selectors as registry

DATE = {"type": "date"}
CHOOSE = [("", _("请选择"))]


def _date(label, *, required=True):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )


def _text(label, *, required=True, max_length=500, rows=None, help_text="", **attrs):
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=widget, help_text=help_text
    )


def _reasons_field(label=None, *, required=False):
    return _text(
        label or _("理由"),
        required=required,
        max_length=4000,
        rows=3,
        help_text=_("每条理由一行;不通过时必填"),
    )


class CleanText:
    """Refuses NUL and other control characters in every text field (PostgreSQL refuses NUL)."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and has_control(value, multiline=True):
                self.add_error(name, _("含有不允许的控制字符"))
        return cleaned


class StepForm(CleanText, forms.Form):
    """A step of the chain on a case's page: the case's version travels with it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    multipart = False

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user
        if case is not None:
            self.fields["version"].initial = case.version


class AcceptForm(StepForm):
    """受理 or 不予受理 of a self-report (the township)."""

    decision = forms.ChoiceField(
        label=_("受理意见"),
        choices=[("accept", _("受理")), ("reject", _("不予受理"))],
        widget=forms.RadioSelect,
        initial="accept",
    )
    reasons = _reasons_field(_("说明/不予受理理由"))


class VerifyForm(StepForm):
    """入户核实 on a phone: the signed 承诺授权书 and its photo, the date, what was found."""

    multipart = True
    SERVICE_FIELD_ALIASES = {"household": "household_number"}

    consent_signed = forms.BooleanField(label=_("农户已签署承诺授权书(同意查询家庭资产信息)"), required=False)
    consent_photo = forms.FileField(
        label=_("承诺授权书照片"),
        required=False,  # the service refuses without it, with the other reasons at once
        help_text=_("必须勾选已签署并拍照上传承诺授权书"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}
        ),
    )
    verified_on = _date(_("核实日期"))
    verification = _text(
        _("核实情况"), max_length=2000, rows=4, placeholder=_("家庭收入、支出、困难和风险的核实情况")
    )
    household_number = forms.CharField(
        label=_("关联农户(户编号)"),
        required=False,
        max_length=20,
        help_text=_("自主申报尚未关联农户时必填:先在本村登记该户,再填写其户编号"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verified_on"].initial = timezone.localdate()
        if self.case is None or getattr(self.case, "household_id", True) is not None:
            del self.fields["household_number"]  # linked already (or an elimination's own household)

    def clean_household_number(self):
        number = (self.cleaned_data.get("household_number") or "").strip()
        if not number:
            return None
        household = registry.household_for(self.user, number=number)
        if household is None:
            raise ValidationError(_("没有这个户编号(或不在您的数据范围内)"))
        return household


class CompareForm(StepForm):
    """信息比对: each department's answer (一致/不一致) and a note; at least one department."""

    RESULTS = [("", _("未比对")), ("ok", _("一致")), ("problem", _("不一致"))]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for source, label in Source.choices:
            self.fields[source] = forms.ChoiceField(label=label, choices=self.RESULTS, required=False)
            self.fields[f"{source}_note"] = forms.CharField(
                label=_("%(source)s说明") % {"source": label},
                required=False,
                max_length=200,
                widget=forms.TextInput(
                    attrs={
                        "placeholder": _("说明(选填)"),
                        "aria-label": _("%(source)s说明") % {"source": label},
                    }
                ),
            )

    def sources(self):
        """The (result field, note field) pairs, for the template."""
        return [(self[source], self[f"{source}_note"]) for source in Source.values]

    def comparison(self) -> dict:
        data = self.cleaned_data
        return {
            source: {"ok": data[source] == "ok", "note": data.get(f"{source}_note", "")}
            for source in Source.values
            if data.get(source)
        }


class VillageReviewForm(StepForm):
    """村级评议 (the vote) and the start of the 村内公示."""

    votes_for = forms.IntegerField(label=_("同意票"), min_value=0, max_value=32767)
    votes_against = forms.IntegerField(label=_("反对票"), min_value=0, max_value=32767)
    votes_abstain = forms.IntegerField(label=_("弃权票"), min_value=0, max_value=32767, initial=0)
    publicity_from = _date(_("公示开始日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publicity_from"].initial = timezone.localdate()


class EndPublicityForm(StepForm):
    """公示期满: one button."""


class TownshipCheckForm(StepForm):
    decision = forms.ChoiceField(
        label=_("审核意见"),
        choices=[("approve", _("审核通过,报县级审定")), ("refuse", _("审核不通过"))],
        widget=forms.RadioSelect,
        initial="approve",
    )
    reasons = _reasons_field()


class CountyDecideForm(StepForm):
    """县级审定 of a lead: include (type, risks, layer, 兜底) or not (the reasons)."""

    decision = forms.ChoiceField(
        label=_("审定意见"),
        choices=[("include", _("纳入监测对象")), ("exclude", _("不予纳入"))],
        widget=forms.RadioSelect,
        initial="include",
    )
    type = forms.ChoiceField(
        label=_("监测对象类型"),
        choices=CHOOSE + ObjectType.choices,
        required=False,  # not when the decision is 不予纳入
        help_text=_("纳入监测对象时必选"),
    )
    risks = forms.MultipleChoiceField(
        label=_("风险类型(最多5项)"),
        choices=Risk.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    disaster_kind = forms.ChoiceField(
        label=_("灾害类型"),
        choices=CHOOSE + DisasterKind.choices,
        required=False,
        help_text=_("因自然灾害时必选"),
    )
    layer = forms.ModelChoiceField(
        label=_("帮扶层级"),
        queryset=Layer.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("暂不分层"),
    )
    safety_net = forms.BooleanField(label=_("兜底保障(整户无劳动能力)"), required=False)
    reasons = _reasons_field(_("不予纳入理由"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is not None:
            self.fields["type"].initial = self.case.proposed_type
            self.fields["risks"].initial = list(self.case.risks or [])
            self.fields["disaster_kind"].initial = self.case.disaster_kind

    def include(self) -> bool:
        return self.cleaned_data["decision"] == "include"


class CountyDecideEliminationForm(StepForm):
    """县级审定 of a 风险消除: eliminate, or keep the object monitored (the reasons)."""

    decision = forms.ChoiceField(
        label=_("审定意见"),
        choices=[("include", _("同意风险消除")), ("exclude", _("不予消除"))],
        widget=forms.RadioSelect,
        initial="include",
    )
    reasons = _reasons_field(_("不予消除理由"))

    def include(self) -> bool:
        return self.cleaned_data["decision"] == "include"


class ReportLeadForm(CleanText, forms.Form):
    """发现风险: a cadre flags a household's risk (from a visit or a sweep)."""

    risks = forms.MultipleChoiceField(
        label=_("风险类型(最多5项)"), choices=Risk.choices, widget=forms.CheckboxSelectMultiple
    )
    disaster_kind = forms.ChoiceField(
        label=_("灾害类型"),
        choices=CHOOSE + DisasterKind.choices,
        required=False,
        help_text=_("因自然灾害时必选"),
    )
    hardship = _text(
        _("困难情况"), max_length=2000, rows=4, placeholder=_("如:户主患大病住院,自付医疗费用较高")
    )
    opened_on = _date(_("发现日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_on"].initial = timezone.localdate()


class ProposeEliminationForm(CleanText, forms.Form):
    kind = forms.ChoiceField(
        label=_("风险消除方式"), choices=EliminationKind.choices, widget=forms.RadioSelect
    )
    note = _text(_("说明"), required=False, max_length=500, rows=3)
