"""Parse an .xlsx in a second process while this one checks, encrypts and writes its rows.

Reading a sheet is pure Python (unzip, cut the XML into rows, look up shared strings: about 60 µs
a row), and so are the checks; on one process they add up. The machine has more cores than that, so
`read_ahead` forks a child that goes on iterating the already-opened sheet and sends its rows back
through a pipe in batches. A pipe holds little, and `send` blocks until the parent has read the
previous batch, so memory stays one or two batches whatever the file's size.

Fork only from the main thread: a forked copy of a threaded process (the web server's import jobs)
may inherit a lock another thread held. `available()` says whether this is the case.
"""

import multiprocessing
import threading
from collections.abc import Iterator

from django.utils.translation import gettext as _

BATCH = 2_000


def available() -> bool:
    return threading.current_thread() is threading.main_thread() and (
        "fork" in multiprocessing.get_all_start_methods()
    )


def read_ahead(rows: Iterator, *, batch: int = BATCH) -> Iterator:
    """The items of `rows`, produced by a forked child process. The parent must not touch `rows`."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_produce, args=(rows, sender, batch), name="fupin-import-reader", daemon=True
    )
    child.start()
    sender.close()  # the child's end: EOF here if the child dies
    return _consume(receiver, child)


_UNIT, _RECORD = "\x1f", "\x1e"  # XML 1.0 cannot carry either (an _x001F_ escape can: checked)


def _pack(batch: list[tuple[int, list]]):
    """The batch as one string when every value is text or empty, else as it is (pickled).

    Unpickling a million rows of thirty strings cost the parent 7.5 s of CPU, the busier side;
    one split per row costs a fraction. An empty cell comes back as "", which the checks read as
    they read None."""
    records = []
    for line, values in batch:
        try:
            records.append(f"{line}{_UNIT}{_UNIT.join(['' if v is None else v for v in values])}")
        except TypeError:  # a number, a date, a boolean: not text
            return batch
    text = _RECORD.join(records)
    units = sum(max(len(values), 1) for _line, values in batch)
    if text.count(_UNIT) != units or text.count(_RECORD) != len(batch) - 1:
        return batch  # a value holds one of the separators
    return text


def _unpack(text: str) -> Iterator[tuple[int, list]]:
    for record in text.split(_RECORD):
        line, _unit, rest = record.partition(_UNIT)
        yield int(line), rest.split(_UNIT)


def _produce(rows: Iterator, sender, size: int) -> None:
    try:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= size:
                sender.send(_pack(batch))
                batch = []
        if batch:
            sender.send(_pack(batch))
        sender.send(None)
    except (BrokenPipeError, EOFError):
        pass  # the parent stopped reading (a fallback or an error): nothing more to do
    except Exception as exc:  # noqa: BLE001 - handed to the parent (a FileRejected mid-sheet)
        sender.send(exc)


def _consume(receiver, child) -> Iterator:
    # Here, not at the top: readers imports this module (read_ahead), so readers is complete by
    # the time a read runs.
    from fupin.registry.importing.readers import FileRejected

    try:
        while True:
            try:
                batch = receiver.recv()
            except EOFError:
                raise FileRejected(_("读取文件的进程意外退出,请重试。")) from None
            if batch is None:
                return
            if isinstance(batch, BaseException):
                raise batch
            yield from _unpack(batch) if batch.__class__ is str else batch
    finally:
        receiver.close()
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()
