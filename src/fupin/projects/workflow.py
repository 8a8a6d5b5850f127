"""A project's workflow as an explicit state machine; every step writes a ProjectEvent (who, when, why).

    draft --propose(村)--> proposed --review(乡镇)--> reviewed --approve(县, 专家评审)--> approved
    --publicise--> publicised --start--> in_progress --accept--> accepted --complete(竣工公告)-->
    completed --evaluate(绩效评价)--> evaluated
    proposed/reviewed --reject--> draft (with the reasons)

Each step checks the actor's permission and scope and the step's preconditions, and refuses with
every failing reason in Chinese (TransitionRefused). The seed 004 procedure: the village proposes,
the township reviews, the county approves after an expert review, publicity before work starts,
acceptance, a completion announcement, then the performance evaluation against the targets.

Who proposes and who reviews follows the level of the project's place (LEVEL_PERMS): a village's
project is proposed by the village and reviewed by the township; a township's own project is
proposed by the township and reviewed by the county; a county's project (its industry departments'
县级项目库) is proposed and reviewed by the county. Approval is always the county's.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.audit.services import audit_model_change, audit_snapshot
from fupin.core.audit_actions import AuditAction
from fupin.core.errors import TransitionRefused
from fupin.core.permissions import require
from fupin.projects.models import Project, ProjectEvent, Status
from fupin.projects.selectors import beneficiary_counts, project_money

A = ProjectEvent.Action
MIN_PUBLICITY_DAYS = 5


@dataclass(frozen=True)
class Step:
    perm: str
    sources: tuple[str, ...]
    target: str
    label: str


STEPS = {
    "propose": Step("propose_project", (Status.DRAFT,), Status.PROPOSED, gettext_lazy("申报")),
    "review": Step("review_project", (Status.PROPOSED,), Status.REVIEWED, gettext_lazy("审核通过")),
    "approve": Step("approve_project", (Status.REVIEWED,), Status.APPROVED, gettext_lazy("县级批准")),
    "publicise": Step("approve_project", (Status.APPROVED,), Status.PUBLICISED, gettext_lazy("公示")),
    "start": Step("approve_project", (Status.PUBLICISED,), Status.IN_PROGRESS, gettext_lazy("开工实施")),
    "accept": Step("approve_project", (Status.IN_PROGRESS,), Status.ACCEPTED, gettext_lazy("验收")),
    "complete": Step("approve_project", (Status.ACCEPTED,), Status.COMPLETED, gettext_lazy("竣工公告")),
    "evaluate": Step("approve_project", (Status.COMPLETED,), Status.EVALUATED, gettext_lazy("绩效评价")),
}
# Rejection is the reviewer's: the township sends back a proposal, the county a reviewed project.
REJECT_PERMS = {Status.PROPOSED: "review_project", Status.REVIEWED: "approve_project"}
# Place level -> (propose permission, review permission); village 5, township 4, county and above.
LEVEL_PERMS = {5: ("propose_project", "review_project"), 4: ("review_project", "approve_project")}
COUNTY_PERMS = ("approve_project", "approve_project")


def step_perm(project: Project, action: str) -> str:
    """The permission `action` needs on this project (propose and review depend on its level)."""
    propose, review = LEVEL_PERMS.get(len(project.place_id or "") // 3 + 1, COUNTY_PERMS)
    if action == "propose":
        return propose
    if action == "review" or (action == "reject" and project.status == Status.PROPOSED):
        return review
    if action == "reject":
        return REJECT_PERMS.get(project.status, review)
    return STEPS[action].perm


def _need(value, message: str, reasons: list) -> None:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        reasons.append(message)


def propose_refusals(project: Project) -> list[str]:
    reasons: list[str] = []
    _need(project.tasks, _("请填写建设任务"), reasons)
    _need(project.performance_targets, _("请填写绩效目标"), reasons)
    _need(project.benefit_mechanism, _("请填写利益联结机制"), reasons)
    if project.budget <= 0:
        reasons.append(_("请填写资金规模"))
    if not project.start_date or not project.end_date:
        reasons.append(_("请填写计划开工和完工日期"))
    return reasons


def approve_refusals(
    project: Project, *, expert_names: str, expert_opinion: str, expert_review_date
) -> list[str]:
    reasons: list[str] = []
    _need(expert_names, _("请填写评审专家"), reasons)
    _need(expert_opinion, _("请填写专家评审意见"), reasons)
    if not isinstance(expert_review_date, datetime.date):
        reasons.append(_("请填写专家评审日期"))
    money = project_money(project)
    if money["allocated"] < project.budget:
        reasons.append(
            _("资金来源未落实:已分配%(allocated)s元,资金规模%(budget)s元,尚缺%(gap)s元")
            % {
                "allocated": f"{money['allocated']:,.2f}",
                "budget": f"{project.budget:,.2f}",
                "gap": f"{money['gap']:,.2f}",
            }
        )
    return reasons


def _locked(project: Project) -> Project:
    return Project._base_manager.select_for_update().get(pk=project.pk)


def _reason(reason: str, reasons: list) -> str:
    reason = (reason or "").strip()
    if not reason:
        reasons.append(_("请填写意见/原因"))
    return reason[:2000]


def project_transition(
    *,
    by,
    project: Project,
    action: str,
    reason: str = "",
    on: datetime.date | None = None,
    at: datetime.datetime | None = None,
    request=None,
    **details,
) -> Project:
    """Take one workflow step (`action` in STEPS or "reject"); `details` are the step's own inputs:
    approve: expert_names, expert_opinion, expert_review_date; publicise: publicity_days;
    complete: announcement; evaluate: score."""
    on = on or timezone.localdate()
    if action != "reject" and action not in STEPS:
        raise TransitionRefused([_("未知的操作")])
    require(by, f"projects.{step_perm(project, action)}", code=project.place_id, unit_id=project.unit_id)
    with transaction.atomic():
        project = _locked(project)
        before_status = project.status
        reasons: list[str] = []
        changes: dict = {}
        if action == "reject":
            if project.status not in REJECT_PERMS:
                reasons.append(_("项目当前状态为“%(s)s”,不能退回") % {"s": project.get_status_display()})
            reason = _reason(reason, reasons)
            target, event = Status.DRAFT, A.REJECT
        else:
            step = STEPS[action]
            target, event = step.target, A(action)
            if project.status not in step.sources:
                reasons.append(
                    _("项目当前状态为“%(s)s”,不能%(step)s")
                    % {"s": project.get_status_display(), "step": step.label}
                )
            else:
                reasons += _preconditions(project, action, on, details, changes)
            if action in ("accept", "evaluate"):
                reason = _reason(reason, reasons)
            if action == "evaluate":
                changes["evaluation_opinion"] = reason
        if reasons:
            raise TransitionRefused(reasons)
        before = audit_snapshot(project)
        for name, value in changes.items():
            setattr(project, name, value)
        project.status = target
        project.version += 1
        project.save(update_fields=[*changes, "status", "version", "updated_at"])
        step_event = ProjectEvent.objects.create(
            project=project,
            actor=by,
            action=event,
            from_status=before_status,
            to_status=target,
            reason=(reason or "").strip()[:2000],
        )
        if at is not None:  # a past step replayed (the demo): the event carries the time it records
            ProjectEvent.objects.filter(pk=step_event.pk).update(at=at)
        audit_model_change(
            actor=by, request=request, instance=project, action=AuditAction.UPDATE, before=before
        )
    return project


def _preconditions(project: Project, action: str, on, details: dict, changes: dict) -> list[str]:
    """Every reason the step cannot be taken now; fills `changes` with the step's own fields."""
    reasons: list[str] = []
    if action == "propose":
        reasons += propose_refusals(project)
    elif action == "approve":
        names = (details.get("expert_names") or "").strip()[:200]
        opinion = (details.get("expert_opinion") or "").strip()[:2000]
        review_date = details.get("expert_review_date")
        reasons += approve_refusals(
            project, expert_names=names, expert_opinion=opinion, expert_review_date=review_date
        )
        changes.update(expert_names=names, expert_opinion=opinion, expert_review_date=review_date)
    elif action == "publicise":
        days = details.get("publicity_days") or 7
        if not isinstance(days, int) or not MIN_PUBLICITY_DAYS <= days <= 60:
            reasons.append(_("公示期应为%(n)d至60天") % {"n": MIN_PUBLICITY_DAYS})
        else:
            changes.update(publicity_start=on, publicity_end=on + datetime.timedelta(days=days))
    elif action == "start":
        if project.publicity_end and on < project.publicity_end:
            reasons.append(
                _("公示期至%(end)s结束,公示期满后才能开工") % {"end": project.publicity_end.isoformat()}
            )
    elif action == "accept":
        changes.update(accepted_on=on)
    elif action == "complete":
        announcement = (details.get("announcement") or "").strip()[:2000]
        if not announcement:
            reasons.append(_("请填写竣工公告内容"))
        money = project_money(project)
        if money["undisbursed"] > 0:
            reasons.append(
                _("尚有%(left)s元已分配资金未拨付,请拨付或冲正后再发布竣工公告")
                % {"left": f"{money['undisbursed']:,.2f}"}
            )
        changes.update(announcement=announcement, completed_on=on)
    elif action == "evaluate":
        score = details.get("score")
        if not isinstance(score, int) or not 0 <= score <= 100:
            reasons.append(_("绩效评价得分应为0至100的整数"))
        changes.update(evaluation_score=score if isinstance(score, int) else None)
    return reasons


def performance(project: Project) -> dict:
    """Performance against targets, from the records: households reached and money spent."""
    money = project_money(project)
    counts = beneficiary_counts(project)
    rate = (money["disbursed"] / project.budget * 100).quantize(1) if project.budget else None
    reached = (counts["households"] * 100 // project.target_households) if project.target_households else None
    return {
        "target_households": project.target_households,
        "households": counts["households"],
        "households_rate": reached,
        "budget": project.budget,
        "disbursed": money["disbursed"],
        "execution_rate": rate,
    }


def available_steps(user, project: Project) -> list[dict]:
    """The buttons this user may press on this project now (the service re-checks everything)."""
    steps = [
        {"action": name, "label": step.label}
        for name, step in STEPS.items()
        if project.status in step.sources and user.has_perm(f"projects.{step_perm(project, name)}")
    ]
    if project.status in REJECT_PERMS and user.has_perm(f"projects.{step_perm(project, 'reject')}"):
        steps.append({"action": "reject", "label": _("退回")})
    return steps


# Who takes a project from each state, by the permission the step needs (see step_perm).
ACTOR_OF_PERM = {
    "propose_project": gettext_lazy("村级"),
    "review_project": gettext_lazy("乡镇"),
    "approve_project": gettext_lazy("县级"),
}


def progress(project: Project, *, today: datetime.date | None = None) -> dict:
    """Where the project stands: the nine states as a stepper (done, current, to do), who acts next
    and by when. The deadline is the one the procedure sets: the planned start before approval and
    publicity, the end of the 公示期 while it runs, the planned completion while work is under way."""
    today = today or timezone.localdate()
    order = list(Status)
    current = order.index(Status(project.status))
    steps = [
        {
            "number": i + 1,
            "status": status.value,
            "label": status.label,
            "state": "done" if i < current else "current" if i == current else "todo",
        }
        for i, status in enumerate(order)
    ]
    actor = {action: ACTOR_OF_PERM[step_perm(project, action)] for action in ("propose", "review", "approve")}
    waiting = {
        Status.DRAFT: _("待%(who)s申报") % {"who": actor["propose"]},
        Status.PROPOSED: _("待%(who)s审核") % {"who": actor["review"]},
        Status.REVIEWED: _("待县级批准(专家评审)"),
        Status.APPROVED: _("待县级公示"),
        Status.PUBLICISED: _("公示中,公示期满后由县级组织开工"),
        Status.IN_PROGRESS: _("实施中,待县级验收"),
        Status.ACCEPTED: _("待县级发布竣工公告"),
        Status.COMPLETED: _("待县级绩效评价"),
        Status.EVALUATED: _("流程已完成"),
    }[Status(project.status)]
    deadline = None
    if (
        project.status in (Status.DRAFT, Status.PROPOSED, Status.REVIEWED, Status.APPROVED)
        and project.start_date
    ):
        deadline = {
            "label": _("计划开工日期 %(d)s") % {"d": project.start_date.isoformat()},
            "date": project.start_date,
        }
    elif project.status == Status.PUBLICISED and project.publicity_end:
        deadline = {
            "label": _("公示期至 %(d)s") % {"d": project.publicity_end.isoformat()},
            "date": project.publicity_end,
        }
    elif project.status == Status.IN_PROGRESS and project.end_date:
        deadline = {
            "label": _("计划完工日期 %(d)s") % {"d": project.end_date.isoformat()},
            "date": project.end_date,
        }
    if deadline:
        # A 公示期 that has run out is not late: it means work may start now.
        deadline["passed"] = today > deadline["date"]
        deadline["late"] = deadline["passed"] and project.status != Status.PUBLICISED
    last = project.events.exclude(action=A.REMOVE_BENEFICIARY).order_by("-at", "-id").first()
    returned = last.reason if last is not None and last.action == A.REJECT else ""
    return {
        "steps": steps,
        "current": steps[current],
        "waiting": waiting,
        "deadline": deadline,
        "returned": returned,
    }
