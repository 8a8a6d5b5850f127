"""The registry's query form and edit forms. Writes go through registry.services; these only
collect and check input, and carry the record's `version` so a stale save is refused."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fupin.core import validators
from fupin.core.forms import VersionedForm, no_control, scope_root
from fupin.core.lists import FilterForm
from fupin.regions.forms import RegionField
from fupin.registry import selectors
from fupin.registry.choices import (
    Attribute,
    Cause,
    Education,
    ExitReview,
    Health,
    HousingStructure,
    Labour,
    Relation,
    SchoolStatus,
    Sex,
    Status,
    WorkStatus,
)
from fupin.registry.idnumbers import parse_id_number
from fupin.registry.models import MONEY, LivingCheck

ALL = [("", _("全部"))]
NONE = [("", _("请选择"))]
BAND_CHOICES = [
    (selectors.BAND_BELOW, _("低于贫困线")),
    (selectors.BAND_NEAR, _("贫困线至1.5倍")),
    (selectors.BAND_ABOVE, _("1.5倍贫困线以上")),
    (selectors.BAND_NONE, _("未录入收入")),
]


class HouseholdQueryForm(FilterForm):
    """The query form above the household list (查询/重置), and the API list's parameters."""

    region_fields = ("division",)

    division = RegionField(label=_("区划"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ALL + Status.choices)
    attribute = forms.ChoiceField(label=_("属性"), required=False, choices=ALL + Attribute.choices)
    # The exit review waiting at a step (the township's and the county's 待办 open the list with it).
    exit_review = forms.ChoiceField(
        label=_("脱贫审核"), required=False, choices=ALL + [c for c in ExitReview.choices if c[0]]
    )
    # The main cause, as the list's column and the statistical tables (因病致贫 …) count households.
    cause = forms.ChoiceField(
        label=_("主要致贫原因"),
        required=False,
        choices=ALL + Cause.choices,
        help_text=_("按主要致贫原因筛选,与列表和统计报表的口径一致"),
    )
    health = forms.ChoiceField(label=_("健康状况"), required=False, choices=ALL + Health.choices)
    income_band = forms.ChoiceField(label=_("收入区间"), required=False, choices=ALL + BAND_CHOICES)
    # The drill of 贫困人口/贫困发生率 (registry.indicators): the households counted poor in a year.
    poor_year = forms.IntegerField(
        label=_("贫困年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("该年度计入贫困人口的农户(只含已录入当年农村户籍人口的行政村)"),
    )
    # The drill of 家庭纯收入/人均纯收入 (registry.indicators): the households with that year's income.
    income_year = forms.IntegerField(
        label=_("收入年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("录入了该年度收入的农户"),
    )
    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"placeholder": _("姓名/拼音首字母/身份证号/后四位/户编号"), "type": "search"}
        ),
    )

    def clean_division(self):
        region = self.cleaned_data.get("division")
        if region is not None and not selectors.division_in_scope(self.user, region.code):
            raise ValidationError(_("所选区划不在您的数据范围内。"), code="outside")
        return region


class ClearExportForm(forms.Form):
    """明文导出: why the clear values are needed, and a confirmation (the audit row keeps both)."""

    purpose = forms.CharField(
        label=_("用途"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("例如:报送县医保局核对参保信息")}),
        help_text=_("写明导出明文的用途,将记入审计日志"),
    )
    format = forms.ChoiceField(
        label=_("格式"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")], initial="xlsx"
    )
    confirm = forms.BooleanField(
        label=_("我确认导出的身份证号、电话和银行账号仅用于上述用途,并妥善保管"), required=True
    )

    def clean_purpose(self):
        purpose = no_control(self.cleaned_data.get("purpose", ""))
        # A real reason, not "无" or "x": the audit row must say what the clear values are for.
        if len(purpose) < 4:
            raise ValidationError(_("请写明用途(至少4个字)"), code="purpose")
        return purpose


def _money(label):
    return forms.DecimalField(
        label=label,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class HouseholdForm(VersionedForm):
    """Create or edit a household (the 户 part of the national form)."""

    village = RegionField(label=_("行政村"))
    group_name = forms.CharField(label=_("村民小组"), required=False, max_length=30)
    phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    bank_name = forms.CharField(label=_("开户银行"), required=False, max_length=50)
    bank_account = forms.CharField(
        label=_("银行账号"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    attribute = forms.ChoiceField(label=_("贫困户属性"), choices=NONE + Attribute.choices)
    main_cause = forms.ChoiceField(label=_("主要致贫原因"), choices=NONE + Cause.choices)
    cause2 = forms.ChoiceField(label=_("其他致贫原因一"), required=False, choices=NONE + Cause.choices)
    cause3 = forms.ChoiceField(label=_("其他致贫原因二"), required=False, choices=NONE + Cause.choices)
    housing_area = forms.DecimalField(
        label=_("住房面积(㎡)"), required=False, max_digits=7, decimal_places=1, min_value=0
    )
    housing_structure = forms.ChoiceField(
        label=_("住房结构"), required=False, choices=NONE + HousingStructure.choices
    )
    # Checked by core.validators.past_year (not min/max here: "this year" moves).
    housing_year = forms.IntegerField(label=_("建房年份"), required=False)
    relocated = forms.BooleanField(label=_("易地扶贫搬迁"), required=False)
    safe_water = forms.BooleanField(label=_("饮水安全"), required=False, initial=True)
    electricity = forms.BooleanField(label=_("通生活用电"), required=False, initial=True)

    # The head of household, on the create form only: a household is registered with its head.
    head_name = forms.CharField(label=_("户主姓名"), max_length=50)
    head_id_number = forms.CharField(
        label=_("户主身份证号"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    head_sex = forms.ChoiceField(
        label=_("户主性别"),
        required=False,
        choices=NONE + Sex.choices,
        help_text=_("不填时按身份证号自动得出"),
    )

    field_order = ("village", "group_name", "head_name", "head_id_number", "head_sex")
    SECRET_FIELDS = ("phone", "bank_account")
    HEAD_FIELDS = ("head_name", "head_id_number", "head_sex")
    # The service names the head's fields head.<name> (its errors come back under those keys).
    SERVICE_FIELD_ALIASES = {
        "village_code": "village",
        "head.name": "head_name",
        "head.id_number": "head_id_number",
        "head.sex": "head_sex",
    }

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.editing = editing
        if editing:
            del self.fields["village"]  # a household does not move between villages by editing
            for name in self.HEAD_FIELDS:
                del self.fields[name]  # members are edited on their own form
            for name in self.SECRET_FIELDS:
                self.fields[name].help_text = _("编辑时留空表示不修改")
        else:
            self.fields["village"] = RegionField(label=_("行政村"), root=scope_root(user))

    # One rule per field, the same as the API's and the import's (core.validators).
    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        return validators.mobile_phone(value) if value.strip() else ""

    def clean_bank_account(self):
        value = self.cleaned_data.get("bank_account", "")
        return validators.bank_account(value) if value.strip() else ""

    def clean_housing_year(self):
        value = self.cleaned_data.get("housing_year")
        return None if value is None else validators.past_year(value)

    def clean_head_id_number(self):
        return parse_id_number(self.cleaned_data.get("head_id_number", "")).value

    def clean_village(self):
        region = self.cleaned_data["village"]
        if region.level != 5:
            raise ValidationError(_("请选择到行政村一级。"), code="level")
        if not selectors.division_in_scope(self.user, region.code):
            raise ValidationError(_("所选行政村不在您的数据范围内。"), code="outside")
        return region

    def clean(self):
        data = super().clean()
        causes = [data.get("main_cause"), data.get("cause2"), data.get("cause3")]
        if data.get("cause3") and not data.get("cause2"):
            self.add_error("cause3", _("请先填写其他致贫原因一。"))
        chosen = [c for c in causes if c]
        if len(chosen) != len(set(chosen)):
            self.add_error("cause2", _("致贫原因不能重复。"))
        return data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if not self.editing:
            data["village_code"] = data.pop("village").code
        for name in self.SECRET_FIELDS:
            if self.editing and not data.get(name):
                data.pop(name, None)  # left empty on edit: keep the stored value
        if not self.editing:
            data["head"] = {
                "name": data.pop("head_name"),
                "id_number": data.pop("head_id_number"),
                "sex": data.pop("head_sex") or None,
            }
        return data


class MemberForm(VersionedForm):
    """Add or edit a family member."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    sex = forms.ChoiceField(
        label=_("性别"), required=False, choices=NONE + Sex.choices, help_text=_("不填时按身份证号自动得出")
    )
    relation = forms.ChoiceField(label=_("与户主关系"), choices=NONE + Relation.choices)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, initial="汉族")
    education = forms.ChoiceField(label=_("文化程度"), required=False, choices=NONE + Education.choices)
    school_status = forms.ChoiceField(label=_("在校生状况"), choices=SchoolStatus.choices, initial="none")
    health = forms.ChoiceField(label=_("健康状况"), choices=Health.choices, initial=Health.HEALTHY)
    disability = forms.CharField(label=_("残疾情况"), required=False, max_length=50)
    labour = forms.ChoiceField(label=_("劳动技能"), required=False, choices=NONE + Labour.choices)
    work_status = forms.ChoiceField(label=_("务工状况"), choices=WorkStatus.choices, initial="none")
    months_worked = forms.IntegerField(label=_("务工时间(月)"), min_value=0, max_value=12, initial=0)
    dibao = forms.BooleanField(label=_("享受低保"), required=False)
    medical_insurance = forms.BooleanField(label=_("参加城乡居民基本医疗保险"), required=False, initial=True)
    pension_insurance = forms.BooleanField(label=_("参加城乡居民基本养老保险"), required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("id_number", "health"):
                self.fields[name].required = False
                self.fields[name].help_text = _("留空表示不修改")
            self.fields["health"].choices = NONE + Health.choices

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        for name in ("id_number", "health", "disability", "sex"):
            if not data.get(name):
                data.pop(name, None)
        return data


class IncomeForm(forms.Form):
    """A household's income for one year; net and per-capita income are computed, never typed."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    wages = _money(_("工资性收入(元)"))
    business = _money(_("生产经营性收入(元)"))
    transfers = _money(_("转移性收入(元)"))
    property = _money(_("财产性收入(元)"))
    production_costs = _money(_("生产经营性支出(元)"))
    # 合规自付支出: what the household paid itself after basic insurance, 大病保险 and 医疗救助;
    # monitoring counts income less these costs (after commercial insurance payouts).
    medical_costs = _money(_("合规自付医疗支出(元)"))
    schooling_costs = _money(_("合规自付教育支出(元)"))
    disaster_costs = _money(_("灾害损失自付支出(元)"))
    insurance_payouts = _money(_("商业保险赔付(元)"))
    COST_FIELDS = ("medical_costs", "schooling_costs", "disaster_costs", "insurance_payouts")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.COST_FIELDS:  # left empty: none (forms and clients of before send no costs)
            self.fields[name].required = False
        self.fields["medical_costs"].help_text = _("经基本医保、大病保险、医疗救助报销后个人负担的费用")
        self.fields["insurance_payouts"].help_text = _("防贫保险等商业保险的赔付,从合规自付支出中扣除")


class CheckForm(forms.Form):
    """两不愁三保障 and drinking water for one year; a failed item needs its reason."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in LivingCheck.ITEMS:
            label = LivingCheck._meta.get_field(item).verbose_name
            self.fields[item] = forms.TypedChoiceField(
                label=label,
                choices=[("1", _("达标")), ("0", _("未达标"))],
                coerce=lambda v: v == "1",
                initial="1",
                widget=forms.RadioSelect,
            )
            self.fields[f"{item}_reason"] = forms.CharField(
                label=_("%(item)s未达标原因") % {"item": label}, required=False, max_length=200
            )

    def item_rows(self):
        return [(self[item], self[f"{item}_reason"]) for item in LivingCheck.ITEMS]

    def clean(self):
        data = super().clean()
        for item in LivingCheck.ITEMS:
            if data.get(item) is False and not data.get(f"{item}_reason"):
                self.add_error(f"{item}_reason", _("未达标时请填写原因。"))
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "year": data["year"],
            "results": {item: data[item] for item in LivingCheck.ITEMS},
            "reasons": {item: data[f"{item}_reason"] for item in LivingCheck.ITEMS if not data[item]},
        }


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("identify", _("识别为贫困户")),
            ("propose_exit", _("提出脱贫")),
            ("check_exit", _("乡镇审核")),
            ("approve_exit", _("县级审批")),
            ("return", _("返贫")),
        ]
    )
    approve = forms.TypedChoiceField(
        required=False,
        choices=[("1", _("同意")), ("0", _("不同意"))],
        coerce=lambda v: v == "1",
        empty_value=True,
    )
    reason = forms.CharField(label=_("意见/原因"), required=False, max_length=500)
    year = forms.IntegerField(label=_("脱贫年度"), required=False, min_value=2000, max_value=2100)
