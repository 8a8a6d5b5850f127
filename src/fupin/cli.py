"""The `fupin` console command: Django's management commands with fupin's settings.

`fupin regions load DIR`, `fupin demo`, `fupin audit verify`, `fupin runserver` (development),
`fupin serve` (production: deploy checks, collectstatic when needed, gunicorn and the job queue's
consumer), `fupin worker` (the consumer alone), `fupin jobs [--wait] [ID]` (background jobs and
their progress) ...
"""

import os
import sys

from django.core.management import execute_from_command_line


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    execute_from_command_line(["fupin", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
