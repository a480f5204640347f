"""Stored publications: a year's figures as they leave the coordinator role, built once per
change of their inputs, audited, and read by every page, export, report and API call.

`InputStamp` is a counter that database triggers (mim.publication.triggers) raise on every
write to what figures are made of: records, answers, returns and the sites' organisation. A
publication remembers the stamp it was checked against; a read that finds another stamp first
recomputes the year's unsuppressed figures and rebuilds only when they changed (`digest`).
"""

from django.db import models

STAMP_KEY = "figures"


class InputStamp(models.Model):
    key = models.CharField(max_length=20, primary_key=True)
    value = models.BigIntegerField(default=0)


class Publication(models.Model):
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()  # 1, 2, ... per year: the publication's version
    digest = models.CharField(max_length=64)  # of the unsuppressed inputs and the rules
    stamp = models.BigIntegerField()  # the InputStamp value the digest was last checked at
    built_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(default=0)  # time to build, suppress and audit
    audit = models.JSONField(default=dict)  # what the attacker's audit found (no values)
    # Everything the digest covers except the provisional sites' own counts (build.structure_of):
    # when only those moved, the publication stands until it is due again (selectors.refresh).
    structure = models.CharField(max_length=64, blank=True, default="")
    held_since = models.DateTimeField(null=True, blank=True)  # a change waiting for its release
    # When the release of held changes was refused by the audit: when to try again (this
    # publication stands until then).
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "number"],
                                               name="publication_year_number_unique")]
        indexes = [models.Index(fields=["year", "-number"])]

    def __str__(self):
        return f"{self.year} #{self.number}"


class PublishedScope(models.Model):
    """One scope of a publication: its figures in published form and what the page says
    about it (label, completeness, site rows). `payload` holds no value that is not published."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="scopes")
    scope = models.CharField(max_length=20)
    code = models.CharField(max_length=200)
    payload = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["publication", "scope", "code"],
                                               name="published_scope_unique")]


class PublicationTruth(models.Model):
    """What the joint audit of a later release of the same year needs of this one
    (mim.publication.releases): each site's fingerprint, the partitions as audited, and the
    true figures behind the published ones, as the auditor's feasible point. Never shown to
    anyone; kept apart so that reading a publication never loads it."""

    publication = models.OneToOneField(Publication, on_delete=models.CASCADE,
                                       related_name="truth")
    sites = models.JSONField(default=dict)  # site code -> fingerprint of its true figures
    partitions = models.JSONField(default=list)
    truth = models.BinaryField()  # releases.pack_truth


class SiteStamp(models.Model):
    """Per site, a counter the triggers raise on every write to the site's records, answers or
    its own row: what tells a kept site figure (`KeptSiteFigures`) that it is stale."""

    site_id = models.BigIntegerField(primary_key=True)  # no foreign key: a trigger writes it
    value = models.BigIntegerField(default=0)


class KeptSiteFigures(models.Model):
    """A site's unsuppressed figures of a year from its live records, kept so that a change at
    one site recounts that site alone (mim.publication.kept). Never shown to anyone: the
    publication is built from them like from a fresh count."""

    site_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    stamp = models.BigIntegerField()  # the SiteStamp value read before the count
    version = models.CharField(max_length=40)  # of the engine and codebooks (kept.VERSION)
    # New for every count: what a process's memory of these figures is checked against. Not
    # the primary key, which SQLite may give again after a rollback.
    token = models.CharField(max_length=32)
    figures = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site_id", "year"],
                                               name="kept_site_year_unique")]


class KeptSiteResults(models.Model):
    """A site's results inputs of a year from its live records (mim.results: its cohorts'
    persons per duration, its visits sums, its ended mothers' self-assessments), kept so that
    a change at one site reads that site alone again (mim.publication.kept_results). Never
    shown to anyone: the results are made from them like from a fresh read."""

    site_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    cutoff = models.DateField()  # the day the year is observed up to (today, in the year)
    stamp = models.BigIntegerField()  # the SiteStamp value read before the read
    version = models.CharField(max_length=40)  # of the results readers (kept_results.VERSION)
    token = models.CharField(max_length=32)  # new for every read, as KeptSiteFigures.token
    inputs = models.BinaryField()  # mim.results.engine.site_bytes
    measures = models.BinaryField()  # mim.results.assessment.site_bytes

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site_id", "year"],
                                               name="kept_results_site_year_unique")]
