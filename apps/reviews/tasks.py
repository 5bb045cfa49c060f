"""Celery tasks of reviews: thin wrappers around services (queue "sync")."""
from celery import shared_task


@shared_task(name="reviews.aggregate_pending")
def aggregate_pending():
    """After each intake commit (one message per batch) and from beat every minute: count every
    unaggregated evaluation, run the on-event quality rules on exactly those, refresh the overview
    snapshots that are due (flagged and older than REVIEWS_OVERVIEW_MIN_AGE)."""
    from apps.reviews.services.overview import overview_refresh
    from apps.reviews.services.quality import quality_run_on_event
    from apps.reviews.services.statistics import aggregate_pending as run

    done = run(after=lambda ids: quality_run_on_event(evaluation_ids=ids))
    overview_refresh()
    return done


@shared_task(name="reviews.overview_refresh")
def overview_refresh():
    """Beat: flagged snapshots, and any not refreshed for an hour (hall counts, names)."""
    from apps.reviews.services.overview import overview_refresh as run

    return run(include_stale=True)


@shared_task(name="reviews.quality_on_event")
def quality_on_event(evaluation_ids):
    from apps.reviews.services.quality import quality_run_on_event

    return quality_run_on_event(evaluation_ids=list(evaluation_ids))


@shared_task(name="reviews.quality_scheduled")
def quality_scheduled():
    from apps.reviews.services.quality import quality_run_scheduled

    return quality_run_scheduled()


@shared_task(name="reviews.reminders")
def reminders():
    from django.conf import settings

    from apps.reviews.services.intake import reminders_send

    return reminders_send(base_url=getattr(settings, "PUBLIC_BASE_URL", ""))


@shared_task(name="reviews.defaults")
def defaults():
    from apps.reviews.services.intake import defaults_apply

    return defaults_apply()


@shared_task(name="reviews.deadline_scan")
def deadline_scan():
    from apps.reviews.services.disposals import disposal_deadline_scan

    return disposal_deadline_scan()


@shared_task(name="reviews.national_checks")
def national_checks():
    from apps.reviews.services.national import national_checks_fetch

    return national_checks_fetch()


@shared_task(name="reviews.watchlist_detect")
def watchlist_detect():
    from apps.reviews.services.watchlist import watchlist_detect as detect

    return len(detect())


@shared_task(name="reviews.matter_satisfaction_push")
def matter_satisfaction_push():
    from apps.reviews.services.matter_library import matter_satisfaction_push as push

    return push()
