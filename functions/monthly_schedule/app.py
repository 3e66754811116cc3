"""The daily EventBridge Scheduler run (Asia/Tehran): generate last month's reports when due.

On Jalali day 1 — or any later day while the previous period's national record is missing — it
generates the previous period for all 32 directorates; from the deadline on it counts the
directorates that have not submitted (``MonthlyReportsLate``). An event ``{"period": "1403-07"}``
re-runs that period on demand (operations). A failure raises: the invocation is retried and then
lands in the dead-letter queue, whose alarm tells operations.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from nazer.jalali import now_utc
from nazer.logic import monthly_reports
from nazer.observability import logger, metrics, tracer

# The clock of the run; tests replace it to be on a chosen Jalali day.
clock: Callable[[], datetime] = now_utc


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    period = event.get("period") if isinstance(event, dict) else None
    outcome = monthly_reports.run_schedule(clock(), str(period) if period else None)
    if outcome.generated is not None:
        run = outcome.generated
        metrics.add_metric(name="MonthlyReportsGenerated", unit=MetricUnit.Count, value=len(run.provinces))
        metrics.add_metric(name="MonthlyReportRunDuration", unit=MetricUnit.Seconds, value=run.duration_seconds)
        metrics.add_metric(name="MonthlyReportReportsRead", unit=MetricUnit.Count, value=run.reports)
        metrics.add_metric(name="MonthlyReportRows", unit=MetricUnit.Count, value=run.rows)
    if outcome.late_directorates is not None:
        metrics.add_metric(name="MonthlyReportsLate", unit=MetricUnit.Count, value=outcome.late_directorates)
    # A heartbeat: the alarm on its absence tells operations that no run completed today.
    metrics.add_metric(name="MonthlyReportsScheduleRuns", unit=MetricUnit.Count, value=1)
    summary = outcome.summary()
    logger.info("monthly schedule run", extra=summary)
    return summary
