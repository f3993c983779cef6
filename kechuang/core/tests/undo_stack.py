"""The harness of the import-undo property tests (issue 21): imports and edits pushed on a stack, the newest
import undone when a step asks, and everything left undone in reverse order — an import through
`imports.history.undo` (which must be allowed), an edit by the test's own `revert`."""

from kechuang.core import imports
from kechuang.core.imports import ImportRejected, history
from kechuang.core.models import Job


class UndoStack:
    def __init__(self, spec_name: str, staff):
        self.spec, self.staff = imports.get(spec_name), staff
        self.stack: list[tuple] = []

    def commit(self, data: bytes) -> Job | None:
        """The workbook committed as a finished import job (None when the file is refused), pushed."""
        job = Job.objects.create(
            kind="import", title="导入", params={"spec": self.spec.name}, created_by=self.staff
        )
        try:
            result = imports.commit(self.spec, data, actor=self.staff, job=job)
        except ImportRejected:
            return None
        Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, result=result.as_dict())
        job.refresh_from_db()
        self.stack.append(("import", job))
        return job

    def undo_newest_import(self) -> None:
        if self.stack and self.stack[-1][0] == "import":
            self.undo_last()

    def undo_last(self) -> None:
        entry = self.stack.pop()
        if entry[0] == "import":
            assert history.undo_refusal(entry[1], self.staff) == ""
            history.undo(entry[1], actor=self.staff)
        else:
            self.revert(entry)

    def undo_all(self) -> None:
        while self.stack:
            self.undo_last()

    def revert(self, entry: tuple) -> None:
        raise NotImplementedError
