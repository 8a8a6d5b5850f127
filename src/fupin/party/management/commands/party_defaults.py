from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from fupin.party.defaults import load_defaults


class Command(BaseCommand):
    help = (
        "Load the default standardisation checklist (Gansu, 7 categories 42 standards) and cadre indicators."
    )

    def handle(self, *args, **options):
        made = load_defaults()
        self.stdout.write(_("已载入 %(n)d 项默认数据(已存在的不会改动)。") % {"n": made})
