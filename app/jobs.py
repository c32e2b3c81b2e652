"""The one way the window runs work off the GUI thread: planning, exports, imports, maps.

``Job`` wraps superqt's worker (napari's own runner) and re-emits its signals from an object that
lives on the GUI thread, so whatever listens runs there. A generator's yields are progress; its
return value, or a function's, is the result. A failure is reported through ``app.errors``
(known errors by their message, bugs logged with their traceback) unless the caller handles it.
"""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from app import errors


class Job(QObject):
    """A function or generator run in Qt's thread pool, with signals on the GUI thread."""

    started = Signal()
    progressed = Signal(object)  # what the generator yielded
    finished = Signal(object)  # the result
    failed = Signal(str)  # the message shown (or to show) for the failure

    def __init__(self, func: Callable[..., Any], *args: Any, parent: QObject | None = None, **kwargs: Any):
        # superqt is imported with the first job, not with the window: its import is a third of
        # a second, which the window spends after its first paint instead of before it.
        from superqt.utils import GeneratorWorker, create_worker

        super().__init__(parent)
        self.running = False
        self._worker = create_worker(func, *args, _start_thread=False, _ignore_errors=True, **kwargs)
        self._worker.started.connect(self._on_started)
        self._worker.returned.connect(self._on_returned)
        self._worker.errored.connect(self._on_errored)
        if isinstance(self._worker, GeneratorWorker):
            self._worker.yielded.connect(self._on_yielded)

    def start(self) -> "Job":
        """Queue the job; returns it for chaining."""
        self.running = True
        self._worker.start()
        return self

    @Slot()
    def _on_started(self) -> None:
        self.started.emit()

    @Slot(object)
    def _on_yielded(self, value: object) -> None:
        self.progressed.emit(value)

    @Slot(object)
    def _on_returned(self, result: object) -> None:
        self.running = False
        self.finished.emit(result)

    @Slot(object)
    def _on_errored(self, error: BaseException) -> None:
        self.running = False
        self.failed.emit(errors.describe(error))


def run_job(
    func: Callable[..., Any],
    *args: Any,
    parent: QObject,
    done: Callable[[Any], None] | None = None,
    progress: Callable[[Any], None] | None = None,
    failed: Callable[[str], None] | None = None,
    **kwargs: Any,
) -> Job:
    """Start ``func(*args, **kwargs)`` off the GUI thread; by default a failure is shown in a
    message box over ``parent``."""
    job = Job(func, *args, parent=parent, **kwargs)
    if done:
        job.finished.connect(done)
    if progress:
        job.progressed.connect(progress)
    job.failed.connect(failed or (lambda message: errors.show_error(parent, message)))
    job.finished.connect(job.deleteLater)
    job.failed.connect(job.deleteLater)
    return job.start()
