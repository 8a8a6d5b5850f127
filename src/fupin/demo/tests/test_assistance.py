"""The assistance demo: the seeds' pairings, first secretaries, work teams and training, idempotent."""

from django.core.management import call_command

from fupin.accounts.models import User
from fupin.assistance import selectors
from fupin.assistance.models import Cadre, Pairing, Posting, TrainingClass, WorkTeam
from fupin.demo.assistance import build_assistance, team_sizes_ok


def test_it_builds_the_seeds_assistance(shipped_regions):  # noqa: F811
    call_command("demo", verbosity=0)

    # 000: 大唐青海's cadres are paired with households of 民族村 and 宁曲村; its 2019 class counts 30.
    datang = Pairing.objects.filter(cadre__unit__name="大唐青海能源开发有限公司")
    assert set(datang.values_list("household__village_id", flat=True)) == {"632524203207", "632524101206"}
    rotation = TrainingClass.objects.get(start="2019-10-29")
    assert selectors.training_person_times(unit_id=rotation.organiser_id, year=2019) == 30
    assert selectors.training_person_times(unit_id=rotation.organiser_id, kind="party_member") == 10

    # 003: 中国黄金's three study tours and two special classes: 386 person-times in 新蔡县 and 贞丰县.
    gold = TrainingClass.objects.filter(organiser__name="中国黄金集团有限公司")
    assert gold.count() == 5 and gold.filter(form="study_tour").count() == 3
    unit_id = gold.first().organiser_id
    assert selectors.training_person_times(unit_id=unit_id) == 386
    assert (
        sum(selectors.training_person_times(unit_id=unit_id, region_prefix=c) for c in ("411729", "522325"))
        == 386
    )
    assert Posting.objects.filter(kind="seconded", cadre__name__in=["李东", "卢赤坤"]).count() == 2

    # 001: every poor village of the Gansu demo counties has a serving first secretary.
    gansu = selectors.first_secretary_coverage(user=User.objects.get(username="viewer_gansu"))
    assert gansu.villages > 0 and gansu.covered == gansu.villages

    # 004: 20 work teams in 茂名, each of at least three, 长流村's led by 李晓奋.
    teams = WorkTeam.objects.filter(village__code__startswith="4409")
    assert teams.count() == 20 and team_sizes_ok()
    changliu = teams.get(village_id="440981101207")
    assert "李晓奋" in changliu.postings.filter(kind="first_secretary").values_list("cadre__name", flat=True)

    # Some paired households are visited, others flagged; the demo cadre finds "my households".
    county = User.objects.get(username="county_xinghai")
    overdue = selectors.overdue_pairings(user=county).count()
    assert 0 < overdue < selectors.pairing_list(user=county, active=True).count()
    minzu = User.objects.get(username="cadre_minzu")
    assert Cadre.objects.filter(user=minzu).exists()
    assert selectors.pairing_list(user=minzu, mine=True).exists()

    # Idempotent: a second run makes nothing.
    counts = (Pairing.objects.count(), Posting.objects.count(), TrainingClass.objects.count())
    assert build_assistance() == 0
    assert (Pairing.objects.count(), Posting.objects.count(), TrainingClass.objects.count()) == counts
