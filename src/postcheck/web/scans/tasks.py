"""The queued task: Huey runs it in `postcheck worker` (started by `postcheck serve` and `postcheck demo`)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from postcheck.web.scans.scanning import run_scan


@db_task()
def scan_export(scan_id: int) -> None:
    run_scan(scan_id)
