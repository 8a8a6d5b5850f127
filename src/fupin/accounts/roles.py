"""Roles and what each may do. Permissions come from roles (RoleBackend), never from is_superuser.

The three administrators of 等保 2.0 (三员分立) are mutually exclusive with each other and with
every business role: an administrator manages the system, never the data.
Later apps add their grants in their own block below; ROLE_PERMISSIONS merges them, in one place.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VILLAGE_CADRE = "village_cadre", _("村干部/驻村第一书记")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇干部")
    COUNTY_OFFICER = "county_officer", _("县级干部")
    VIEWER = "viewer", _("市/省级查看")
    UNIT_OFFICER = "unit_officer", _("帮扶单位干部")
    INSPECTOR = "inspector", _("督查人员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

_READ_REFERENCE = {"regions.view_region", "orgs.view_unit", "orgs.view_assistedplace"}

# The registry (建档立卡): everyone with a place reads it; the village, township and county write it;
# exit is proposed by the village, checked by the township, approved by the county; only the county
# identifies households, records 返贫, reveals personal data and handles duplicate reports.
_REGISTRY_READ = {
    "registry.view_household",
    "registry.view_member",
    "registry.view_yearlyincome",
    "registry.view_livingcheck",
    "registry.view_householdevent",
    "registry.view_povertyline",
    "registry.view_exitthreshold",
}
_REGISTRY_WRITE = _REGISTRY_READ | {
    "registry.add_household",
    "registry.change_household",
    "registry.add_member",
    "registry.change_member",
    "registry.delete_member",
    "registry.add_yearlyincome",
    "registry.change_yearlyincome",
    "registry.add_livingcheck",
    "registry.change_livingcheck",
}

_BASE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VILLAGE_CADRE: frozenset(_READ_REFERENCE | _REGISTRY_WRITE | {"registry.propose_exit"}),
    Role.TOWNSHIP_OFFICER: frozenset(_READ_REFERENCE | _REGISTRY_WRITE | {"registry.check_exit"}),
    Role.COUNTY_OFFICER: frozenset(
        _READ_REFERENCE
        | _REGISTRY_WRITE
        | {
            "accounts.use_admin",
            "registry.approve_exit",
            "registry.identify_household",
            "registry.reveal_household",
            "registry.view_duplicatereport",
            "registry.change_duplicatereport",
        }
    ),
    Role.VIEWER: frozenset(_READ_REFERENCE | _REGISTRY_READ),
    Role.UNIT_OFFICER: frozenset(_READ_REFERENCE | _REGISTRY_READ),
    Role.INSPECTOR: frozenset(_READ_REFERENCE | _REGISTRY_READ),
    # 系统管理员: accounts, units and reference data; no role or scope grants, no audit trail.
    Role.SYSTEM_ADMIN: frozenset(
        {
            "accounts.use_admin",
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            "orgs.view_unit",
            "orgs.add_unit",
            "orgs.change_unit",
            "orgs.view_assistedplace",
            "orgs.add_assistedplace",
            "orgs.change_assistedplace",
            "orgs.delete_assistedplace",
            "regions.view_region",
            # national reference data of the registry
            "registry.view_povertyline",
            "registry.change_povertyline",
            "registry.add_povertyline",
            "registry.view_exitthreshold",
            "registry.change_exitthreshold",
            "registry.add_exitthreshold",
        }
    ),
    # 安全管理员: roles, data scopes, lockouts and tokens.
    Role.SECURITY_ADMIN: frozenset(
        {
            "accounts.use_admin",
            "accounts.view_user",
            "accounts.grant_role",
            "accounts.view_userrole",
            "accounts.add_userrole",
            "accounts.delete_userrole",
            "accounts.view_datascope",
            "accounts.add_datascope",
            "accounts.delete_datascope",
            "accounts.view_apitoken",
            "accounts.delete_apitoken",
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accesslog",
            "regions.view_region",  # to pick a division when granting a data scope
        }
    ),
    # 审计管理员: reads and exports the audit trail, nothing else.
    Role.AUDIT_ADMIN: frozenset({"accounts.use_admin", "audit.view_auditevent", "audit.export_auditevent"}),
}

# Each later app's grants, role -> permissions, in its own block below (one block per app, so the
# whole map stays in this one file). Administrators get none of them: they manage, never hold data.

# 党建 (fupin.party): everyone with a place reads it; the village records members and meetings;
# the township and county keep organisations, scores, reserve pools and cadre scoring; the county
# (organisation department) identifies and closes weak branches and edits checklists and indicator
# sets; an assisting unit keeps its own branches, their meetings and its pairings.
_PARTY_READ = {
    f"party.view_{model}"
    for model in (
        "partyorg",
        "partymember",
        "memberevent",
        "meeting",
        "meetingphoto",
        "checklist",
        "checklistcategory",
        "checklistitem",
        "branchscore",
        "itemscore",
        "weakcase",
        "weakcaseevent",
        "reservecadre",
        "reserveassessment",
        "indicatorset",
        "indicator",
        "villagecadre",
        "cadremonthscore",
        "pairing",
        "pairingactivity",
    )
}
_PARTY_BRANCH = _PARTY_READ | {
    "party.add_partymember",
    "party.change_partymember",
    "party.add_meeting",
    "party.change_meeting",
    "party.add_pairingactivity",
}
_PARTY_TOWNSHIP = _PARTY_BRANCH | {
    "party.add_partyorg",
    "party.change_partyorg",
    "party.add_branchscore",
    "party.change_branchscore",
    "party.add_reservecadre",
    "party.change_reservecadre",
    "party.add_villagecadre",
    "party.change_villagecadre",
    "party.add_cadremonthscore",
    "party.change_cadremonthscore",
    "party.add_pairing",
    "party.change_pairing",
}
PARTY_GRANTS: dict[str, set[str]] = {
    Role.VILLAGE_CADRE: _PARTY_BRANCH,
    Role.TOWNSHIP_OFFICER: _PARTY_TOWNSHIP,
    Role.COUNTY_OFFICER: _PARTY_TOWNSHIP
    | {
        "party.manage_weakcase",
        "party.add_checklist",
        "party.change_checklist",
        "party.add_checklistcategory",
        "party.change_checklistcategory",
        "party.add_checklistitem",
        "party.change_checklistitem",
        "party.delete_checklistitem",
        "party.add_indicatorset",
        "party.change_indicatorset",
        "party.add_indicator",
        "party.change_indicator",
        "party.delete_indicator",
    },
    Role.UNIT_OFFICER: _PARTY_BRANCH
    | {"party.add_partyorg", "party.change_partyorg", "party.add_pairing", "party.change_pairing"},
    Role.VIEWER: _PARTY_READ,
    Role.INSPECTOR: _PARTY_READ,
}

# 帮扶 (fupin.assistance): everyone with a place reads it; village cadres and first secretaries visit,
# log and run their households' measures; the township also pairs; the county and the assisting
# units dispatch cadres, form work teams and record training.
_ASSISTANCE_READ = {
    f"assistance.view_{model}"
    for model in (
        "cadre",
        "pairing",
        "activity",
        "workteam",
        "teamevent",
        "posting",
        "plan",
        "measure",
        "measureevent",
        "visit",
        "visitphoto",
        "worklog",
        "trainingclass",
        "trainingattendee",
    )
}
_ASSISTANCE_FIELD = _ASSISTANCE_READ | {
    "assistance.add_visit",
    "assistance.add_worklog",
    "assistance.add_measure",
    "assistance.transition_measure",
    "assistance.add_activity",
}
_ASSISTANCE_TOWNSHIP = _ASSISTANCE_FIELD | {
    "assistance.add_cadre",
    "assistance.change_cadre",
    "assistance.add_pairing",
    "assistance.change_pairing",
}
_ASSISTANCE_DISPATCH = _ASSISTANCE_TOWNSHIP | {
    "assistance.add_posting",
    "assistance.change_posting",
    "assistance.add_workteam",
    "assistance.change_workteam",
    "assistance.transition_workteam",
    "assistance.add_trainingclass",
    "assistance.change_trainingclass",
}
ASSISTANCE_GRANTS: dict[str, set[str]] = {
    Role.VILLAGE_CADRE: _ASSISTANCE_FIELD,
    Role.TOWNSHIP_OFFICER: _ASSISTANCE_TOWNSHIP,
    Role.COUNTY_OFFICER: _ASSISTANCE_DISPATCH,
    Role.UNIT_OFFICER: _ASSISTANCE_DISPATCH,
    Role.VIEWER: _ASSISTANCE_READ,
    Role.INSPECTOR: _ASSISTANCE_READ,
}

# 项目资金 (fupin.projects): everyone with a place reads the library and the ledger; the village
# drafts and proposes, the township reviews, the county approves, runs the implementation and
# manages the money. The township and county may prepare drafts too, but only the village proposes.
_PROJECTS_READ = {
    "projects.view_project",
    "projects.view_projectevent",
    "projects.view_beneficiary",
    "projects.view_fundsource",
    "projects.view_ledgerentry",
}
_PROJECTS_DRAFT = {"projects.add_project", "projects.change_project"}
PROJECTS_GRANTS: dict[str, set[str]] = {
    Role.VILLAGE_CADRE: _PROJECTS_READ | _PROJECTS_DRAFT | {"projects.propose_project"},
    Role.TOWNSHIP_OFFICER: _PROJECTS_READ | _PROJECTS_DRAFT | {"projects.review_project"},
    Role.COUNTY_OFFICER: _PROJECTS_READ
    | _PROJECTS_DRAFT
    | {
        "projects.approve_project",
        "projects.manage_funds",
        "projects.add_fundsource",
        "projects.change_fundsource",
    },
    Role.VIEWER: set(_PROJECTS_READ),
    Role.UNIT_OFFICER: set(_PROJECTS_READ),
    Role.INSPECTOR: set(_PROJECTS_READ),
}

# 帮扶成效 (fupin.outcomes): everyone with a place or a unit reads purchases, placements and pledges;
# the assisting unit and the county record purchases, sales on behalf and placements; only the unit
# itself sets its 责任书 targets (the service also checks the unit is the writer's own).
_OUTCOMES_READ = {"outcomes.view_purchase", "outcomes.view_placement", "outcomes.view_indicatortarget"}
_OUTCOMES_RECORD = _OUTCOMES_READ | {
    "outcomes.add_purchase",
    "outcomes.change_purchase",
    "outcomes.delete_purchase",
    "outcomes.add_placement",
    "outcomes.change_placement",
    "outcomes.delete_placement",
}
OUTCOMES_GRANTS: dict[str, set[str]] = {
    Role.VILLAGE_CADRE: _OUTCOMES_READ,
    Role.TOWNSHIP_OFFICER: _OUTCOMES_READ,
    Role.COUNTY_OFFICER: _OUTCOMES_RECORD,
    Role.VIEWER: _OUTCOMES_READ,
    Role.UNIT_OFFICER: _OUTCOMES_RECORD | {"outcomes.add_indicatortarget", "outcomes.change_indicatortarget"},
    Role.INSPECTOR: _OUTCOMES_READ,
}


# 防返贫监测 (fupin.monitoring): everyone with a place reads leads, objects, eliminations and the
# standards; the village reports risks, does 入户核实, 信息比对 and 村级评议 and proposes 风险消除
# (report_lead); the township accepts self-reports and checks (check_lead); the county decides
# (decide_lead), runs the rules and department lists (run_rules), sees the lists' rows and keeps
# the monitoring lines and 低保 standards. Viewers, inspectors and assisting units read only (a
# unit's scope gives it the places it assists). Procedure limits, the calendar, layers and rules
# are national or provincial data: no business role edits them.
_MONITORING_READ = {
    f"monitoring.view_{model}"
    for model in (
        "lead",
        "leadevent",
        "monitoringobject",
        "objectrisk",
        "elimination",
        "eliminationevent",
        "monitoringline",
        "dibaostandard",
        "procedure",
        "calendarday",
        "layer",
        "riskrule",
        "rulerun",
        "screeningbatch",
        "qualityfinding",
    )
}
MONITORING_GRANTS: dict[str, set[str]] = {
    Role.VILLAGE_CADRE: _MONITORING_READ | {"monitoring.report_lead"},
    Role.TOWNSHIP_OFFICER: _MONITORING_READ | {"monitoring.check_lead"},
    Role.COUNTY_OFFICER: _MONITORING_READ
    | {
        "monitoring.decide_lead",
        "monitoring.run_rules",
        "monitoring.view_screeningrow",
        "monitoring.view_columnmapping",
        "monitoring.add_columnmapping",
        "monitoring.change_columnmapping",
        "monitoring.add_monitoringline",
        "monitoring.change_monitoringline",
        "monitoring.add_dibaostandard",
        "monitoring.change_dibaostandard",
    },
    Role.VIEWER: set(_MONITORING_READ),
    Role.UNIT_OFFICER: set(_MONITORING_READ),
    Role.INSPECTOR: set(_MONITORING_READ),
}


# 督查督办 (fupin.supervision): everyone with a place reads findings, inspections and plans; the
# inspector (督查) and the county office record inspections and findings and verify rectifications
# (销号 or 退回); the village, the township and the responsible unit record the plan and submit it
# (the service checks the finding is theirs); the county also breaks plans into tasks, and the
# units a task names report its progress. The inspector and the county score assisting units'
# 责任书 (assess); the unit reads its own assessment.
_SUPERVISION_READ = {
    f"supervision.view_{model}"
    for model in (
        "finding",
        "findingevent",
        "findingphoto",
        "inspection",
        "checkresultrow",
        "category",
        "checklist",
        "checklistitem",
        "plan",
        "goal",
        "measure",
        "task",
        "taskreport",
        "taskevent",
        "assessment",
        "assessmentitem",
    )
}
_SUPERVISION_INSPECT = _SUPERVISION_READ | {
    "supervision.record_finding",
    "supervision.verify_finding",
    "supervision.record_inspection",
    "supervision.assess",
}
SUPERVISION_GRANTS: dict[str, set[str]] = {
    Role.VILLAGE_CADRE: _SUPERVISION_READ | {"supervision.rectify_finding"},
    Role.TOWNSHIP_OFFICER: _SUPERVISION_READ | {"supervision.rectify_finding", "supervision.report_task"},
    Role.COUNTY_OFFICER: _SUPERVISION_INSPECT
    | {
        "supervision.rectify_finding",
        "supervision.manage_plan",
        "supervision.report_task",
        "supervision.add_category",
        "supervision.change_category",
        "supervision.add_checklist",
        "supervision.change_checklist",
        "supervision.add_checklistitem",
        "supervision.change_checklistitem",
        "supervision.delete_checklistitem",
    },
    Role.UNIT_OFFICER: _SUPERVISION_READ | {"supervision.rectify_finding", "supervision.report_task"},
    Role.VIEWER: _SUPERVISION_READ | {"supervision.assess"},  # 市/省 assess the counties below
    Role.INSPECTOR: set(_SUPERVISION_INSPECT),
}


# 统计与驾驶舱 (fupin.reports): everyone with a place opens the 驾驶舱 and reads the indicator
# catalogue; the county and above may start a refresh of the rollup (it reads every record of the
# system, so not the village or the township). The catalogue is national: switching an indicator
# off (reports.change_indicator) is granted to no role here.
_REPORTS_READ = {"reports.view_dashboard", "reports.view_indicator"}
REPORTS_GRANTS: dict[str, set[str]] = {
    Role.VILLAGE_CADRE: set(_REPORTS_READ),
    Role.TOWNSHIP_OFFICER: set(_REPORTS_READ),
    Role.COUNTY_OFFICER: _REPORTS_READ | {"reports.refresh_rollup", "reports.view_refreshrun"},
    Role.VIEWER: _REPORTS_READ | {"reports.refresh_rollup", "reports.view_refreshrun"},
    Role.UNIT_OFFICER: set(_REPORTS_READ),
    Role.INSPECTOR: set(_REPORTS_READ),
}


# Generated, never typed (reports' 报表, documents, exchange). Every role with a place generates the
# upward forms of its area; the county defines new ones from the catalogue. The village, township and
# county print 明白卡 and 一户一档 of the households they see; an assisting unit (and the county and
# above, for the units of their places) generates its yearly results report. The exchange with the
# national system is the county's: it exports in the national layout and compares the returns.
_TABULATION_READ = {"reports.view_tabulation"}
_TABULATION_DEFINE = _TABULATION_READ | {
    "reports.add_tabulation",
    "reports.change_tabulation",
    "reports.delete_tabulation",
}
GENERATED_GRANTS: dict[str, set[str]] = {
    Role.VILLAGE_CADRE: _TABULATION_READ | {"documents.print_card"},
    Role.TOWNSHIP_OFFICER: _TABULATION_READ | {"documents.print_card", "exchange.export_national"},
    Role.COUNTY_OFFICER: _TABULATION_DEFINE
    | {
        "documents.print_card",
        "documents.print_results",
        "exchange.export_national",
        "exchange.import_return",
    },
    Role.VIEWER: _TABULATION_READ | {"documents.print_results", "exchange.export_national"},
    Role.UNIT_OFFICER: _TABULATION_READ | {"documents.print_results"},
    Role.INSPECTOR: set(_TABULATION_READ),
}


def _merged(base, *grants) -> dict[str, frozenset[str]]:
    merged = {role: set(perms) for role, perms in base.items()}
    for grant in grants:
        for role, perms in grant.items():
            assert role not in ADMIN_ROLES, f"administrators hold no business permission ({role})"
            merged.setdefault(role, set()).update(perms)
    return {role: frozenset(perms) for role, perms in merged.items()}


ROLE_PERMISSIONS: dict[str, frozenset[str]] = _merged(
    _BASE_PERMISSIONS,
    PARTY_GRANTS,
    ASSISTANCE_GRANTS,
    PROJECTS_GRANTS,
    OUTCOMES_GRANTS,
    MONITORING_GRANTS,
    SUPERVISION_GRANTS,
    REPORTS_GRANTS,
    GENERATED_GRANTS,
)

# Roles that must use two-factor sign-in.
TWO_FACTOR_ROLES = ADMIN_ROLES
