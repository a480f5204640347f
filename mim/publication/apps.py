from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _reinstall_triggers(sender, using="default", **kwargs):
    """SQLite rebuilds a table for many schema changes and drops its triggers with it: after
    every migrate, put the input-stamp triggers back (idempotent), so no later migration of
    an input table can silently stop the publication from noticing writes."""
    from django.db import connections

    from mim.publication import triggers

    triggers.install(connections[using])


class PublicationConfig(AppConfig):
    name = "mim.publication"
    label = "publication"

    def ready(self):
        post_migrate.connect(_reinstall_triggers, sender=self)
        # The office's review of a return shows published figures only; returns sits upstream
        # and cannot import this app, so the comparison is handed to it (mim.returns.review).
        from mim.publication.selectors import published_site_comparison
        from mim.returns import review

        review.register(published_site_comparison)
