"""This app's part of the scope matrix (src/fupin/tests/test_scope_matrix.py): a return of 兴海县 read
against its records, with one difference on 扎西 (the run and its differences are the county's)."""

from fupin.testing import HOUSEHOLD, Page, plain_url

RUN_FILE = "兴海县国家系统回传.csv"  # the run's file name: the marker of the runs' list

PAGES: dict = {
    # The forms hold no record: the division picker starts at the user's own place.
    "exchange:home": Page(plain_url("exchange:home"), "list-no-marker", HOUSEHOLD),
    "exchange:upload": Page(plain_url("exchange:upload"), "list-no-marker", HOUSEHOLD),
    "exchange:run_list": Page(plain_url("exchange:run_list"), "list", RUN_FILE),
    "exchange:run_export": Page(plain_url("exchange:run_export"), "export", RUN_FILE),
    "exchange:difference_list": Page(plain_url("exchange:difference_list"), "list", HOUSEHOLD),
    "exchange:difference_export": Page(plain_url("exchange:difference_export"), "export", HOUSEHOLD),
}
NOT_RECORDS: set = set()
API: dict = {
    # GET lists the runs; its POST (a multipart upload for a county the caller names) refuses another
    # county's with 404 (exchange/tests/test_exchange.py).
    "/api/exchange/returns": (lambda o: "/api/exchange/returns", "list", RUN_FILE),
    "/api/exchange/differences": (lambda o: "/api/exchange/differences", "list", HOUSEHOLD),
    "/api/exchange/exports": (
        lambda o: "/api/exchange/exports",
        ("POST", lambda o: {"division": "632524", "what": "objects", "format": "csv"}),
    ),
}
ADMIN_OBJECTS: dict = {}


def objects(objs: dict) -> dict:
    from fupin.exchange.models import Difference, ReturnRun
    from fupin.regions.models import Region

    run = ReturnRun.objects.create(
        county=Region.objects.get(code="632524"),
        owner=objs["county"],
        file_name=RUN_FILE,
        state=ReturnRun.State.DONE,
        rows=3,
        matched=3,
        changed=1,
    )
    difference = Difference.objects.create(
        run=run,
        kind=Difference.Kind.CHANGED,
        row=2,
        column="民族",
        household_number=objs["zhaxi"].number,
        name=HOUSEHOLD,
        ours="汉族",
        theirs="藏族",
    )
    return {"exchange_run": run, "exchange_difference": difference}
