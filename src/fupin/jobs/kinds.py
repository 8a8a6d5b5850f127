"""Job kinds: what the generic job page needs to know of each kind of job.

An app declares its kinds in its tasks.py (imported in every process, see apps.py), e.g.

    register(Kind("registry.import", _("导入贫困户信息"), result_template="registry/import_result.html",
                  links=lambda job: [...], parent=("registry:import_upload", _("导入"))))
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

FAILED = _("任务执行时发生内部错误,已记录在系统日志中。请联系系统管理员。")


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    # Drawn under the progress bar once the job is done, with `job`, `result` (job.result) and
    # `links`; it places the links itself ({% include "jobs/_links.html" %}).
    result_template: str = ""
    # (label, url) buttons once the job is done: a report to download, the page of the result …
    links: Callable[[object], list[tuple[str, str]]] = field(default=lambda job: [])
    # The page the job was started from: (url name, label), for the breadcrumb; `again` labels a
    # button back to it ("再导入一个文件").
    parent: tuple[str, str] | None = None
    again: str = ""
    # Shown when the job fails for a reason it did not explain (an exception, logged).
    failure: str = FAILED


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> Kind:
    """The declared kind, or a plain one (a kind whose app was removed still shows its jobs)."""
    return KINDS.get(name) or Kind(name, _("后台任务"))
