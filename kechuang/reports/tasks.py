"""Background work of the reports module (`django.tasks`; the immediate backend runs it inline in tests)."""

from django.tasks import task


@task()
def refresh_figures(snapshot_id: int) -> str:
    """Bring one dashboard or home-card snapshot up to the current figures stamp (`reports.snapshots`)."""
    from kechuang.reports import dashboard, snapshots

    return "done" if snapshots.refresh(snapshot_id, dashboard.figures_stamp()) else "gone"
