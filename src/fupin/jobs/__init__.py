"""Background jobs: long work (imports, rule runs over the population, list matching, rollups,
reports) runs on a job queue, with its progress on the page (/jobs/<id>/, polled by htmx), in the
API (GET /api/jobs/{id}) and on the command line (`fupin jobs --wait <id>`).

The queue is huey. It has a SQLite storage for the embedded default (a file beside the database,
no other service: the demo and a one-server county install) and a Redis storage for production
with several servers, and it is small and well kept. procrastinate was the other candidate, but
it needs PostgreSQL, so the SQLite demo could not use it. `FUPIN_QUEUE` picks the storage
(fupin.jobs.queue); `fupin worker` runs the consumer and `fupin serve` starts one beside gunicorn.

A `Job` row is the job as people see it: its kind, owner, state, result and error. While it runs,
its progress (done/total/message) is kept in the queue's own storage rather than the database: a
job that holds one long transaction (an import writes all or nothing) must still show progress
to the page polling it, and SQLite would not take a second writer meanwhile.
"""
