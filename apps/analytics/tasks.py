"""Celery tasks of analytics: thin wrappers around services (queue "reports")."""
from celery import shared_task


@shared_task(name="analytics.topic_refresh")
def topic_refresh_task(*, job_id: int):
    """Run one refresh job (ANA-1.1): every dataset of the job, with progress on the job record."""
    from apps.analytics.services.refresh import topic_refresh_run

    topic_refresh_run(job_id=job_id)


@shared_task(name="analytics.topic_refresh_nightly")
def topic_refresh_nightly():
    """Beat (analytics-topic-refresh-nightly): queue a refresh of every enabled dataset."""
    from apps.analytics.services.refresh import topic_refresh_nightly as run

    job = run()
    return job.pk if job else None
