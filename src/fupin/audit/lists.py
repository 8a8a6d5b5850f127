"""The audit trail's list, declared once (fupin.core.lists): the page and its export.

Who reads it is the role's question (审计管理员: audit.view_auditevent, and audit.export_auditevent to
export), not a division's: every user's actions are in it, the administrators' too."""

from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from fupin.audit import selectors
from fupin.audit.forms import AuditSearchForm
from fupin.core.lists import DATETIME, INT, Column, ListSpec


def _at(event):
    # To the second: the order of events within a minute is what an investigation reads.
    return timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S")


EVENTS = ListSpec(
    name="audit.auditevent",
    url="audit:event",
    title=_("审计日志"),
    filters=AuditSearchForm,
    rows=lambda user, f: selectors.event_list(**f),
    columns=[
        Column("ID", lambda e: e.id, INT, sort="id"),
        Column(_("时间"), lambda e: e.at, DATETIME, sort="at", html=_at),
        Column(_("操作人"), lambda e: e.actor_username, sort="actor_username"),
        Column(_("操作"), lambda e: e.get_action_display(), sort="action", tag=lambda e: e.action),
        Column(_("对象类型"), lambda e: e.object_type),
        Column(_("对象ID"), lambda e: e.object_id),
        Column(_("对象"), lambda e: e.object_repr),
        Column(_("区划代码"), lambda e: e.region_code),
        Column(_("IP地址"), lambda e: e.ip),
        Column(_("请求路径"), lambda e: e.path),
        Column(
            _("说明"),
            lambda e: e.detail,
            html=lambda e: format_html('<span title="{}">{}</span>', e.detail, Truncator(e.detail).chars(80)),
        ),
    ],
    permission="audit.view_auditevent",
    export_permission="audit.export_auditevent",
    # Millions of rows: 共 N 条 counts to here, then 下一页 goes on by the timestamp (keyset).
    count_cap=2_000,
)
