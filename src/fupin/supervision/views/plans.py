"""Plans broken into tasks: the plans, a plan's goals → measures → tasks with completion by unit,
a task's page with its progress reports and the report form."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.forms import form_page
from fupin.core.permissions import may, require
from fupin.core.steps import run_step
from fupin.supervision import forms, lists, selectors, services
from fupin.supervision.choices import TaskState

PLAN_PERM = "supervision.view_plan"


@login_required
def plan_list(request):
    require(request, PLAN_PERM)
    return render(
        request,
        "supervision/plan_list.html",
        {
            "plans": selectors.plan_list(user=request.user),
            "can_add": request.user.has_perm(services.MANAGE_PLAN),
        },
    )


@login_required
def plan_detail(request, pk: int):
    require(request, PLAN_PERM)
    plan = selectors.plan_or_404(request.user, pk)
    return render(
        request,
        "supervision/plan_detail.html",
        {
            "plan": plan,
            "goals": selectors.plan_tree(plan),
            "completion": selectors.completion_by_unit(user=request.user, plan=plan),
            "today": timezone.localdate(),
            "can_manage": may(request.user, services.MANAGE_PLAN, code=plan.area_id, own=True),
        },
    )


@login_required
def task_detail(request, pk: int):
    require(request, lists.TASK_PERM)
    task = selectors.task_or_404(request.user, pk)
    can_report = task.state != TaskState.DONE and may(
        request.user, services.REPORT_TASK, **services.task_keepers(task)
    )
    return render(
        request,
        "supervision/task_detail.html",
        {
            "task": task,
            "urgency": selectors.urgency_of(task),
            "reports": task.reports.select_related("by"),
            "events": task.events.select_related("actor"),
            "form": forms.TaskReportForm(initial={"version": task.version, "progress": task.progress})
            if can_report
            else None,
        },
    )


@login_required
@require_POST
def task_report(request, pk: int):
    task = selectors.task_or_404(request.user, pk)
    form = forms.TaskReportForm(request.POST, request.FILES)
    return run_step(
        request,
        lambda: services.report_task(
            by=request.user,
            task=task,
            version=form.cleaned_data["version"],
            progress=form.cleaned_data["progress"],
            note=form.cleaned_data["note"],
            photo=form.cleaned_data["photo"],
            request=request,
        ),
        form=form,
        success=reverse("supervision:task_detail", args=[task.pk]),
        done=_("已报告任务进展。"),
    )


def _plan_crumbs(plan) -> list:
    return [
        (_("工作计划"), reverse("supervision:plan_list")),
        (plan.title, reverse("supervision:plan_detail", args=[plan.pk])),
    ]


def _may_manage(request, plan) -> None:
    require(request, services.MANAGE_PLAN, code=plan.area_id, own=True)


@login_required
def plan_new(request):
    require(request, services.MANAGE_PLAN)
    form = forms.PlanNewForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        title=_("新建工作计划"),
        back=reverse("supervision:plan_list"),
        success=lambda plan: reverse("supervision:plan_detail", args=[plan.pk]),
        write=lambda f: services.create_plan(by=request.user, request=request, **f.cleaned_data),
        crumbs=[(_("工作计划"), reverse("supervision:plan_list"))],
    )


@login_required
def goal_new(request, pk: int):
    plan = selectors.plan_or_404(request.user, pk)
    _may_manage(request, plan)
    form = forms.PartForm(request.POST or None, initial={"order": selectors.next_order(plan.goals.all())})
    back = reverse("supervision:plan_detail", args=[plan.pk])
    return form_page(
        request,
        form,
        title=_("新增行动目标"),
        back=back,
        success=back,
        write=lambda f: services.add_goal(by=request.user, plan=plan, request=request, **f.cleaned_data),
        crumbs=_plan_crumbs(plan),
    )


@login_required
def measure_new(request, pk: int):
    goal = selectors.goal_or_404(request.user, pk)
    _may_manage(request, goal.plan)
    form = forms.PartForm(request.POST or None, initial={"order": selectors.next_order(goal.measures.all())})
    back = reverse("supervision:plan_detail", args=[goal.plan_id])
    return form_page(
        request,
        form,
        title=_("新增具体措施"),
        subtitle=goal.title,
        back=back,
        success=back,
        write=lambda f: services.add_measure(by=request.user, goal=goal, request=request, **f.cleaned_data),
        crumbs=_plan_crumbs(goal.plan),
    )


@login_required
def task_new(request, pk: int):
    measure = selectors.measure_or_404(request.user, pk)
    plan = measure.goal.plan
    _may_manage(request, plan)
    form = forms.TaskNewForm(
        request.POST or None, user=request.user, initial={"order": selectors.next_order(measure.tasks.all())}
    )
    back = reverse("supervision:plan_detail", args=[plan.pk])
    return form_page(
        request,
        form,
        title=_("新增任务"),
        subtitle=measure.title,
        back=back,
        success=back,
        write=lambda f: services.add_task(
            by=request.user, measure=measure, request=request, **f.cleaned_data
        ),
        crumbs=_plan_crumbs(plan),
    )


urlpatterns = [
    path("plans/", plan_list, name="plan_list"),
    path("plans/new/", plan_new, name="plan_new"),
    path("plans/<int:pk>/goals/new/", goal_new, name="goal_new"),
    path("goals/<int:pk>/measures/new/", measure_new, name="measure_new"),
    path("measures/<int:pk>/tasks/new/", task_new, name="task_new"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("tasks/<int:pk>/", task_detail, name="task_detail"),
    path("tasks/<int:pk>/report/", task_report, name="task_report"),
]
