from .base import *  # noqa: F401,F403
from .base import ALLOWED_HOSTS

DEBUG = True
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "*"]
