"""The Heilongjiang integrated online government service platform (Django project package).

Named `govplatform`, never `platform`: a package called `platform` shadows Python's
standard-library module and Django, pytest, gunicorn and Celery then crash.
"""
from .celery import app as celery_app

__all__ = ("celery_app",)
