from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessment import bank as bank_module
from assessment.scoring import Audience, Kind, RoleGroup
from content.documents import parse_once


class LanguageForm(models.TextChoices):
    BOKMAAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")
    NEUTRAL = "neutral", _("Neutral")


class Municipality(models.Model):
    number = models.CharField(_("municipality number"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    sami_name = models.CharField(_("Sámi name"), max_length=100, blank=True)
    county_number = models.CharField(_("county number"), max_length=2)
    county_name = models.CharField(_("county"), max_length=100)
    population = models.PositiveIntegerField(_("population"))
    population_year = models.PositiveSmallIntegerField(_("population year"))
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=9, decimal_places=2, null=True)
    administrative_centre = models.CharField(_("administrative centre"), max_length=100)
    official_language_form = models.CharField(
        _("official language form"), max_length=7, choices=LanguageForm.choices
    )
    centrality_class = models.PositiveSmallIntegerField(
        _("centrality class"), null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    @property
    def is_small(self) -> bool:
        return self.population <= settings.PLANPROFIL_SMALL_MUNICIPALITY_THRESHOLD

    @property
    def report_language(self) -> str:
        return "nn" if self.official_language_form == LanguageForm.NYNORSK else "nb"


class Coordinator(models.Model):
    """A user who runs assessments for a municipality and sees its results."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_roles"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="coordinators"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality"], name="unique_coordinator")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.municipality}"


class Adviser(models.Model):
    """A county (fylkeskommune, statsforvalter) or national (Distriktssenteret) adviser.

    Sees only rounds that a municipality in scope has closed and chosen to share."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adviser"
    )
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    national = models.BooleanField(_("national scope"), default=False)
    # County numbers ("18" = Nordland); ignored when national.
    counties = models.JSONField(_("counties"), default=list, blank=True)

    class Meta:
        verbose_name = _("adviser")

    def __str__(self) -> str:
        scope = "national" if self.national else ",".join(self.counties)
        return f"{self.user} ({scope})"


class QuestionBank(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    version = models.CharField(_("version"), max_length=20, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The validated bank document; immutable once published (see services.bank_install).
    definition = models.JSONField()
    content_hash = models.CharField(max_length=64)  # structure + bokmål: never changes
    texts_hash = models.CharField(max_length=64, blank=True)  # changes with translations
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question bank")

    def __str__(self) -> str:
        return f"v{self.version} ({self.status})"

    @cached_property
    def parsed(self) -> bank_module.Bank:
        return parse_once(
            ("bank", self.pk, self.texts_hash or self.content_hash),
            lambda: bank_module.parse_bank(self.definition),
        )


class Dimension(models.Model):
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="dimensions")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["bank", "position"]
        constraints = [models.UniqueConstraint(fields=["bank", "key"], name="unique_dimension_key")]

    def __str__(self) -> str:
        return self.key


class Theme(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="themes")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["dimension__position", "position"]

    def __str__(self) -> str:
        return self.key


class Question(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="questions")
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=[(k.value, k.value) for k in Kind])
    audience = models.CharField(max_length=20, choices=[(a.value, a.value) for a in Audience])
    source = models.ForeignKey("content.Source", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["theme__dimension__position", "theme__position", "position"]
        constraints = [models.UniqueConstraint(fields=["bank", "key"], name="unique_question_key")]

    def __str__(self) -> str:
        return self.key


class Assessment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Round(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        MIDTERM = "midterm", _("Mid-term")
        END = "end", pgettext_lazy("round of an election term", "End of term")
        OTHER = "other", _("Other")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="assessments"
    )
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="assessments")
    period = models.CharField(
        _("election term"), max_length=9, help_text=_("For example 2023-2027")
    )
    round = models.CharField(
        _("round"), max_length=10, choices=Round.choices, default=Round.BASELINE
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    shared_with_advisers = models.BooleanField(default=False)
    shared_at = models.DateTimeField(null=True, blank=True)
    # Invented answers for a real municipality (the demo): every page and paper says so.
    fictional = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment")
        indexes = [
            # "The latest shared, closed round of each municipality" (adviser dashboard).
            models.Index(
                fields=["municipality", "status", "shared_with_advisers", "closed_at"],
                name="assessment_latest_round",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.period} {self.get_round_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def title(self) -> str:
        return self.label or str(self.get_round_display())


class Respondent(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="respondents")
    role_group = models.CharField(
        _("role"),
        max_length=20,
        choices=[
            (RoleGroup.POLITICIAN.value, _("Elected politician")),
            (RoleGroup.ADMINISTRATION.value, _("Administration")),
            (RoleGroup.OTHER.value, _("Other")),
        ],
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
    )
    # The invitation this response was started from (none for a coordinator's own answers).
    invitation = models.ForeignKey(
        "Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="respondents"
    )
    # SHA-256 of the respondent's personal resume key. The key is made when the response
    # starts and shown only to the respondent (see services.invitation_claim); an invitation
    # link, which the coordinator may have seen, never opens a response.
    resume_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # SHA-256 of a token held by the one browser session bound to this response. Binding a
    # new browser (start, or the resume key) replaces it, so only the latest browser, the
    # respondent's own, can open the response: an earlier holder of a key is shut out.
    browser_hash = models.CharField(max_length=64, blank=True)
    # Theme keys saved so far, in the order they were first saved. Answers alone cannot tell
    # a saved step with only optional questions left blank from one never visited.
    saved_steps = models.JSONField(default=list)
    last_step = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user"],
                condition=models.Q(user__isnull=False),
                name="one_response_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.pk} ({self.role_group})"

    @property
    def role(self) -> RoleGroup:
        return RoleGroup(self.role_group)


class Invitation(models.Model):
    """A ticket that starts a response to one assessment in one role group, without an account.

    An invitation never opens anyone's answers: using it starts a new, empty response bound to
    the browser that used it, with a resume key only that person sees. A personal invitation
    is e-mailed (never shown to the coordinator) and starts one response; a group link is
    shown to the coordinator to hand out (in a meeting, by SMS) and starts one response per
    person who opens it. Only a SHA-256 hash of the token is stored."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal, by e-mail")
        GROUP = "group", _("Shared link for a role group")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSONAL)
    role_group = models.CharField(
        _("role"), max_length=20, choices=Respondent._meta.get_field("role_group").choices
    )
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(_("e-mail"), blank=True)
    note = models.CharField(_("note"), max_length=100, blank=True)
    # When a personal invitation was used; it cannot start a second response.
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.role_group})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP

    @property
    def is_used(self) -> bool:
        return not self.is_group and self.claimed_at is not None

    def is_expired(self, now) -> bool:
        return self.expires_at <= now


class Answer(models.Model):
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.CharField(max_length=500, blank=True)
    dont_know = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["respondent", "question"], name="one_answer")
        ]

    def __str__(self) -> str:
        return f"{self.question.key}={'dont_know' if self.dont_know else self.value}"


class ThemeComment(models.Model):
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="comments")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["respondent", "theme"], name="one_comment_per_theme")
        ]

    def __str__(self) -> str:
        return f"{self.theme.key}: {self.text[:40]}"


class ResultSnapshot(models.Model):
    """What an assessment's results said when it closed, frozen for reproducible reports."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="snapshot")
    bank_version = models.CharField(max_length=20)
    profile = models.JSONField()
    library_version = models.CharField(max_length=20, blank=True)
    # Headline figures copied out of `profile` for filtering, sorting and comparing many
    # rounds without parsing every profile: overall, completeness and
    # scores = {"dimensions": {key: score}, "themes": {key: score}}.
    overall = models.FloatField(null=True)
    completeness = models.FloatField(default=0)
    scores = models.JSONField(default=dict)
    # Matched recommendations as guidance.matching produced them when the assessment closed.
    recommendations = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"snapshot of {self.assessment_id} (bank v{self.bank_version})"


class AccessRequest(models.Model):
    """Someone asking to coordinate a municipality's rounds. Nobody gets a municipality by
    being first: staff decide, or the municipality's existing coordinators when it has any."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="access_requests"
    )
    name = models.CharField(_("name"), max_length=120)
    job_title = models.CharField(_("role in the municipality"), max_length=120)
    email = models.EmailField(_("work e-mail"))
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("access request")

    def __str__(self) -> str:
        return f"{self.email} → {self.municipality.name} ({self.status})"


class AuditEvent(models.Model):
    """Who did what and when, for actions that change who may see a municipality's data or
    what is published: coordinators added or removed, access decided, rounds closed, shared."""

    class Action(models.TextChoices):
        COORDINATOR_ADDED = "coordinator_added", _("Coordinator added")
        COORDINATOR_REMOVED = "coordinator_removed", _("Coordinator removed")
        ACCESS_REQUESTED = "access_requested", _("Access requested")
        ACCESS_APPROVED = "access_approved", _("Access approved")
        ACCESS_REJECTED = "access_rejected", _("Access rejected")
        ROUND_CLOSED = "round_closed", _("Round closed")
        ROUND_SHARED = "round_shared", _("Round shared with advisers")
        ROUND_UNSHARED = "round_unshared", _("Sharing with advisers stopped")
        EXPORTED = "exported", _("Results exported")

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Whom it was about (an e-mail address), never respondents: they are not audited by name.
    subject = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject}"


class PlanRegister(models.Model):
    """Facts about the municipality's plans, recorded once per round by a coordinator (bank
    v2 on). Respondents are not asked them: a fact is not an opinion. How each fact scores,
    and what is not yet due, is decided by assessment/register.py."""

    class ActionPart(models.TextChoices):
        MERGED = "merged", _("The financial plan is the action part")
        LINKED = "linked", _("Linked to the financial plan, in a separate document")
        SEPARATE = "separate", _("A separate action part, not linked to the financial plan")
        NONE = "none", _("No action part")

    class Cooperation(models.TextChoices):
        SHARED_OFFICE = "shared_office", _("A shared planning office with other municipalities")
        OTHER = "other", _("Other planning cooperation (a network, shared tasks)")
        NONE = "none", _("No planning cooperation")

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="plan_register"
    )
    council_constituted = models.DateField(
        _("the council was constituted on"),
        null=True,
        blank=True,
        help_text=_("Leave empty to count from 31 October of the election year."),
    )
    strategy_adopted = models.DateField(_("planning strategy adopted on"), null=True, blank=True)
    strategy_missing = models.BooleanField(default=False)
    community_part = models.DateField(_("community part last adopted on"), null=True, blank=True)
    community_part_kept = models.BooleanField(default=False)
    community_part_missing = models.BooleanField(default=False)
    land_use_part = models.DateField(_("land-use part last adopted on"), null=True, blank=True)
    land_use_part_kept = models.BooleanField(default=False)
    land_use_part_missing = models.BooleanField(default=False)
    action_part = models.CharField(
        _("action part"), max_length=10, choices=ActionPart.choices, blank=True
    )
    plan_count = models.PositiveSmallIntegerField(
        _("thematic and sector plans in force"), null=True, blank=True
    )
    delegation_adopted = models.DateField(
        _("delegation regulation adopted on"), null=True, blank=True
    )
    delegation_missing = models.BooleanField(default=False)
    youth_council = models.BooleanField(_("youth council"), null=True, blank=True)
    planning_cooperation = models.CharField(
        _("planning cooperation"), max_length=15, choices=Cooperation.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("plan register")

    def __str__(self) -> str:
        return f"plan register of {self.assessment_id}"
