"""The reports app's tables: the indicator catalogue as data, the rollup, and its bookkeeping.

The rollup is the project's analytics table in the manner of DHIS2's: one row per indicator,
period, category, (assisting unit) and division code where records were counted, with the
code's ancestors as columns. A figure for any area is a SUM over one equality on a level column
(`county = '632524'`), a breakdown one level down a GROUP BY on the next column; no join and no
LIKE, so every read is an index range. No foreign key to regions: the codes are text, and a
division that disappears from the tree must not take its history with it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.core.indicators import LEVELS, MONTH, PERIODS, RATIO, SNAPSHOT, SUM, YEAR

# The ancestor columns, shortest code first (name, code length).
LEVEL_COLUMNS = tuple(LEVELS.items())

PERIOD_LABELS = {SNAPSHOT: _("时点"), YEAR: _("年度"), MONTH: _("月度")}
KIND_LABELS = {SUM: _("合计"), RATIO: _("比率")}
LEVEL_LABELS = {
    "province": _("省"),
    "city": _("市"),
    "county": _("县"),
    "township": _("乡镇"),
    "village": _("村"),
}


class Indicator(models.Model):
    """One row per declared indicator (`core.indicators`), kept in step by `services.sync_catalogue`.

    The declaration is the truth of what is counted; the row is what the catalogue page, its
    export and the API list (and what an administrator may switch off: `active`)."""

    code = models.CharField(_("指标代码"), max_length=64, unique=True)
    app = models.CharField(_("所属模块"), max_length=32)
    name = models.CharField(_("指标名称"), max_length=200)
    definition = models.TextField(_("指标定义"), blank=True)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    period = models.CharField(_("统计周期"), max_length=10, choices=[(p, PERIOD_LABELS[p]) for p in PERIODS])
    kind = models.CharField(_("计算方式"), max_length=10, choices=list(KIND_LABELS.items()))
    levels = models.CharField(_("适用层级"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)
    declared = models.BooleanField(_("已声明"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("统计指标")
        verbose_name_plural = _("统计指标")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def level_list(self) -> list[str]:
        return [level for level in self.levels.split(",") if level]

    @property
    def levels_display(self) -> str:
        return "、".join(str(LEVEL_LABELS.get(level, level)) for level in self.level_list)


class Rollup(models.Model):
    """One counted value: an indicator's figure for one division code, period, category (and unit).

    `code` is the records' own division code (a county's project sits at the county); `province` …
    `village` are its ancestors ('' above the code's level). category '' is the total (written
    beside the category rows: a record in two categories counts once in it)."""

    indicator = models.CharField(_("指标代码"), max_length=64)
    category = models.CharField(_("分类"), max_length=64, blank=True, default="")
    period = models.CharField(_("期间"), max_length=7, blank=True, default="")
    unit_id = models.IntegerField(_("帮扶单位"), null=True, blank=True)
    code = models.CharField(_("区划代码"), max_length=12)
    province = models.CharField(_("省"), max_length=2, blank=True, default="")
    city = models.CharField(_("市"), max_length=4, blank=True, default="")
    county = models.CharField(_("县"), max_length=6, blank=True, default="")
    township = models.CharField(_("乡镇"), max_length=9, blank=True, default="")
    village = models.CharField(_("村"), max_length=12, blank=True, default="")
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=2)

    class Meta:
        verbose_name = _("汇总数据")
        verbose_name_plural = _("汇总数据")
        permissions = [
            ("view_dashboard", _("可以查看驾驶舱")),
            ("refresh_rollup", _("可以刷新统计汇总")),
        ]
        # One index. Reads above the village go to the totals (RollupTotal); what reads these rows
        # is a village's figure (code = X, category, period), a township's villages and the
        # refreshes (a range of codes), the incremental delete (code IN …). The five per-level
        # indexes this table had cost most of a full refresh (each row written into six B-trees:
        # province 63 at 1 M, 52 s against 1.7 s for the same grouping without indexes).
        indexes = [
            models.Index(fields=["indicator", "code", "category", "period"], name="rollup_code_period")
        ]

    def __str__(self):
        return f"{self.indicator} {self.code} {self.period} {self.category} = {self.value}"


class RollupTotal(models.Model):
    """An indicator's figure summed over a whole division above the village: the township, county,
    city and province totals of the village rows (`Rollup`), written beside them by every refresh.

    Why: a national or provincial figure summed from the village rows reads every village's row
    (576,873 rows and 0.9 s for one 三会一课 figure at 1 M people, ten times that at 10 M); from
    here it is one row per province (31), a county's one row. `code` is the division, `parent` the
    division above it ('' for a province): a breakdown one level down is `parent = X`. The values
    are the sums of `Rollup` rows whose `code` lies under `code` (records filed at the division's
    own code included), so reading here gives exactly what summing the village rows gives
    (`services.totals_mismatch` checks it; the tests run it after every kind of refresh)."""

    indicator = models.CharField(_("指标代码"), max_length=64)
    category = models.CharField(_("分类"), max_length=64, blank=True, default="")
    period = models.CharField(_("期间"), max_length=7, blank=True, default="")
    unit_id = models.IntegerField(_("帮扶单位"), null=True, blank=True)
    code = models.CharField(_("区划代码"), max_length=9)
    parent = models.CharField(_("上级区划代码"), max_length=6, blank=True, default="")
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=2)

    class Meta:
        verbose_name = _("分级汇总数据")
        verbose_name_plural = _("分级汇总数据")
        # A figure: equality on indicator, code, category, then the period (a range for a year of
        # months); a breakdown the same on parent. The incremental refresh deletes by (indicator,
        # code) and sums children by (indicator, parent): the same two indexes' leading columns.
        indexes = [
            models.Index(fields=["indicator", "code", "category", "period"], name="rollup_total_code"),
            models.Index(fields=["indicator", "parent", "category", "period"], name="rollup_total_parent"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.code} {self.period} {self.category} = {self.value}"


class DirtyCode(models.Model):
    """A division code whose records were written since the last incremental refresh.

    Appended by the write hooks (apps.py), drained by the frequent job: it takes the rows up to
    the highest id it read and deletes exactly those, so a mark written meanwhile waits for the
    next run."""

    code = models.CharField(_("区划代码"), max_length=12)
    # The model written ("registry.Member"): only the indicators counting it are rewritten.
    source = models.CharField(_("数据来源"), max_length=100, blank=True)
    marked_at = models.DateTimeField(_("标记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待刷新区划")
        verbose_name_plural = _("待刷新区划")

    def __str__(self):
        return self.code


class RefreshRun(models.Model):
    """One refresh of the rollup: the 驾驶舱's 数据更新于 and the administrator's history."""

    started_at = models.DateTimeField(_("开始时间"), db_index=True)
    full = models.BooleanField(_("全量"), default=False)
    indicators = models.PositiveIntegerField(_("指标数"), default=0)
    codes = models.PositiveIntegerField(_("区划数"), default=0)
    rows = models.PositiveIntegerField(_("写入行数"), default=0)
    seconds = models.FloatField(_("耗时(秒)"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("汇总刷新记录")
        verbose_name_plural = _("汇总刷新记录")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M:%S}"


# --- 报表: the upward statistical forms, defined as data (reports/tabulations.py generates them) ---

ROWS_CHILDREN = "children"
ROWS_CATEGORIES = "categories"
ROWS_LABELS = {ROWS_CHILDREN: _("下一级区划"), ROWS_CATEGORIES: _("指标分类")}

QUARTER = "quarter"
TAB_MONTH, TAB_YEAR, TAB_SNAPSHOT = MONTH, YEAR, SNAPSHOT
TAB_PERIOD_LABELS = {MONTH: _("月报"), QUARTER: _("季报"), YEAR: _("年报"), SNAPSHOT: _("时点")}


class Tabulation(models.Model):
    """One upward form (报表): its rows (the divisions one level below the chosen area, or the
    categories of one indicator), its columns (indicators of the catalogue, in order, each with an
    optional category, header, group header and 万元 scaling), its period kind and texts.

    `owner` is the county that defined it ('' for the shipped national ones, kept in step with
    `tabulations.SHIPPED` by `ensure_shipped` after every migrate). The columns are validated by one
    rule (`tabulations.validate_definition`) for the form page and the API alike."""

    code = models.CharField(_("报表代码"), max_length=64, unique=True)
    name = models.CharField(_("报表名称"), max_length=100)
    owner = models.CharField(_("定义单位区划"), max_length=12, blank=True, default="", db_index=True)
    rows = models.CharField(_("行"), max_length=12, choices=list(ROWS_LABELS.items()), default=ROWS_CHILDREN)
    row_indicator = models.CharField(_("分类行所用指标"), max_length=64, blank=True, default="")
    columns = models.JSONField(_("栏目"), default=list)
    period = models.CharField(_("报表周期"), max_length=10, choices=list(TAB_PERIOD_LABELS.items()))
    unit_line = models.CharField(_("计量单位说明"), max_length=100, blank=True, default="")
    notes = models.TextField(_("填报说明"), blank=True, default="")
    summary = models.BooleanField(_("生成文字通报"), default=False)
    shipped = models.BooleanField(_("系统内置"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    position = models.PositiveIntegerField(_("排序"), default=100)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("统计报表")
        verbose_name_plural = _("统计报表")

    def __str__(self):
        return self.name
