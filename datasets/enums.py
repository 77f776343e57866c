from django.db import models


class AccessLevel(models.TextChoices):
    """Who may see a dataset's data (its metadata is public at every level)."""

    OPEN = "open", "Open to everyone"
    SIGNED_IN = "signed_in", "Signed-in users"
    RESTRICTED = "restricted", "Accepted terms only"


class CatalogueTheme(models.TextChoices):
    """The DCAT-AP data themes (EU Publications Office "data-theme" vocabulary).

    A fixed, catalogue-wide vocabulary: an event's own themes (events.Theme) belong to
    that event and are not used to classify datasets.
    """

    AGRI = "AGRI", "Agriculture, fisheries, forestry and food"
    ECON = "ECON", "Economy and finance"
    EDUC = "EDUC", "Education, culture and sport"
    ENER = "ENER", "Energy"
    ENVI = "ENVI", "Environment"
    GOVE = "GOVE", "Government and public sector"
    HEAL = "HEAL", "Health"
    INTR = "INTR", "International issues"
    JUST = "JUST", "Justice, legal system and public safety"
    REGI = "REGI", "Regions and cities"
    SOCI = "SOCI", "Population and society"
    TECH = "TECH", "Science and technology"
    TRAN = "TRAN", "Transport"


class GeographyLevel(models.TextChoices):
    """The smallest area a dataset's rows describe."""

    REGION = "region", "Region"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    MSOA = "msoa", "Middle layer super output area (MSOA)"
    LSOA = "lsoa", "Lower layer super output area (LSOA)"
    SITE = "site", "Site or point"


class UpdateFrequency(models.TextChoices):
    """A subset of the EU "frequency" vocabulary that DCAT-AP uses."""

    NEVER = "NEVER", "Never (a one-off release)"
    IRREG = "IRREG", "Irregularly"
    DAILY = "DAILY", "Daily"
    WEEKLY = "WEEKLY", "Weekly"
    MONTHLY = "MONTHLY", "Monthly"
    QUARTERLY = "QUARTERLY", "Quarterly"
    ANNUAL = "ANNUAL", "Annually"


class ProfileStatus(models.TextChoices):
    """Where a resource's column profile stands.

    NONE: nothing to profile (a link, or a format that is not tabular). QUEUED: a task
    is (or should be) on its way; the sweep re-publishes it if it was lost. RUNNING: a
    worker holds it. DONE and FAILED are final for the file's current content.
    """

    NONE = "none", "Not profiled"
    QUEUED = "queued", "Waiting to be profiled"
    RUNNING = "running", "Being profiled"
    DONE = "done", "Profiled"
    FAILED = "failed", "Could not be profiled"
