"""Single sign-on for department systems: OIDC (django-oauth-toolkit), CAS and ticket mode."""
