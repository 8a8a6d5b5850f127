"""Records of the cast's world for the outcomes tests (made through the services)."""

import datetime

from fupin.outcomes import services
from fupin.outcomes.models import Channel, PlacementKind, PurchaseKind, WageBand


def make_records(cast) -> dict:
    """大唐 bought yak meat from 民族村 (2019, 2020) and sold on behalf (2020); a placement and a pledge;
    泾川县人民政府 (assisting 泾川县) bought from 凤凰村."""
    from fupin.orgs.models import AssistedPlace

    datang, jingchuan = cast["datang"], cast["jingchuan_unit"]
    AssistedPlace.objects.get_or_create(unit=jingchuan, region_id="620821")

    def buy(unit, region, amount, date, kind=PurchaseKind.BOUGHT, supplier="民族村牦牛合作社"):
        return services.purchase_create(
            by=None, unit=unit.pk, kind=kind, region=region, supplier=supplier, product="牦牛肉",
            amount=amount, date=date, channel=Channel.CANTEEN,
        )  # fmt: skip

    return {
        "p2019": buy(datang, "632524203207", "300000.00", datetime.date(2019, 9, 1)),
        "p2020": buy(datang, "632524", "1200000.50", datetime.date(2020, 1, 15)),
        "s2020": buy(datang, "632524101206", "80000.00", datetime.date(2020, 9, 30), PurchaseKind.SOLD),
        "other": buy(jingchuan, "620821100206", "50000.00", datetime.date(2020, 3, 1), supplier="凤凰村果园"),
        "placement": services.placement_create(
            by=None,
            unit=datang.pk,
            name="才让",
            region="632524203207",
            employer="兴海光伏电站",
            kind=PlacementKind.GRADUATE,
            date=datetime.date(2020, 7, 1),
            wage_band=WageBand.ABOVE_5000,
        ),  # fmt: skip
        "target": services.target_set(by=None, unit=datang.pk, year=2020, bought="1000000", sold="100000"),
    }
