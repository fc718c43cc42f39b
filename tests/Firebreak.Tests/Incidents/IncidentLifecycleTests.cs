using Firebreak.Incidents;

namespace Firebreak.Tests.Incidents;

public class IncidentLifecycleTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 14, 0, 0, DateTimeKind.Utc);

    private static Incident New(IncidentStatus status = IncidentStatus.Triage) => new()
    {
        Number = 7, Title = "t", Severity = Severity.Sev2, Status = status, StartedAt = Now, DetectedAt = Now, DeclaredAt = Now,
    };

    [Theory]
    [InlineData(IncidentStatus.Triage, IncidentStatus.Investigating)]
    [InlineData(IncidentStatus.Triage, IncidentStatus.Mitigated)]
    [InlineData(IncidentStatus.Triage, IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Investigating, IncidentStatus.Mitigated)]
    [InlineData(IncidentStatus.Mitigated, IncidentStatus.Investigating)]
    [InlineData(IncidentStatus.Mitigated, IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Resolved, IncidentStatus.Closed)]
    public void Forward_transitions_are_allowed(IncidentStatus from, IncidentStatus to) =>
        IncidentLifecycle.StatusChange("INC-7", from, to).ShouldBeNull();

    [Theory]
    [InlineData(IncidentStatus.Triage)]
    [InlineData(IncidentStatus.Investigating)]
    [InlineData(IncidentStatus.Mitigated)]
    public void Closing_an_unresolved_incident_is_refused(IncidentStatus from)
    {
        var refusal = IncidentLifecycle.StatusChange("INC-7", from, IncidentStatus.Closed);
        refusal.ShouldNotBeNull();
        refusal.Status.ShouldBe(409);
        refusal.Detail.ShouldContain("resolve it first");
    }

    [Theory]
    [InlineData(IncidentStatus.Resolved, IncidentStatus.Investigating)]
    [InlineData(IncidentStatus.Closed, IncidentStatus.Investigating)]
    [InlineData(IncidentStatus.Closed, IncidentStatus.Resolved)]
    public void Going_back_from_resolved_needs_an_explicit_reopen(IncidentStatus from, IncidentStatus to) =>
        IncidentLifecycle.StatusChange("INC-7", from, to)!.Detail.ShouldContain("re-open");

    [Fact]
    public void Returning_to_triage_is_refused() =>
        IncidentLifecycle.StatusChange("INC-7", IncidentStatus.Investigating, IncidentStatus.Triage).ShouldNotBeNull();

    [Fact]
    public void Moving_to_the_current_status_is_refused() =>
        IncidentLifecycle.StatusChange("INC-7", IncidentStatus.Mitigated, IncidentStatus.Mitigated)!.Detail.ShouldContain("already");

    [Fact]
    public void Only_resolved_or_closed_incidents_can_be_reopened()
    {
        IncidentLifecycle.Reopen("INC-7", IncidentStatus.Resolved).ShouldBeNull();
        IncidentLifecycle.Reopen("INC-7", IncidentStatus.Closed).ShouldBeNull();
        IncidentLifecycle.Reopen("INC-7", IncidentStatus.Investigating).ShouldNotBeNull();
    }

    [Fact]
    public void Resolving_stamps_acknowledged_mitigated_and_resolved_times_once()
    {
        var incident = New();
        var earlier = Now.AddMinutes(-5);
        incident.MitigatedAt = earlier;
        IncidentLifecycle.ApplyStatus(incident, IncidentStatus.Resolved, Now);
        incident.Status.ShouldBe(IncidentStatus.Resolved);
        incident.AcknowledgedAt.ShouldBe(Now);
        incident.MitigatedAt.ShouldBe(earlier);
        incident.ResolvedAt.ShouldBe(Now);
    }

    [Fact]
    public void Reopening_clears_mitigation_resolution_and_closure()
    {
        var incident = New();
        IncidentLifecycle.ApplyStatus(incident, IncidentStatus.Resolved, Now);
        IncidentLifecycle.ApplyStatus(incident, IncidentStatus.Closed, Now.AddHours(1));
        IncidentLifecycle.ApplyReopen(incident);
        incident.Status.ShouldBe(IncidentStatus.Investigating);
        incident.MitigatedAt.ShouldBeNull();
        incident.ResolvedAt.ShouldBeNull();
        incident.ClosedAt.ShouldBeNull();
        incident.AcknowledgedAt.ShouldBe(Now);
    }

    [Fact]
    public void Severity_cannot_change_on_a_closed_incident_or_to_itself()
    {
        IncidentLifecycle.SeverityChange("INC-7", IncidentStatus.Closed, Severity.Sev2, Severity.Sev1).ShouldNotBeNull();
        IncidentLifecycle.SeverityChange("INC-7", IncidentStatus.Investigating, Severity.Sev2, Severity.Sev2).ShouldNotBeNull();
        IncidentLifecycle.SeverityChange("INC-7", IncidentStatus.Resolved, Severity.Sev2, Severity.Sev1).ShouldBeNull();
    }

    [Fact]
    public void The_same_person_cannot_be_given_the_same_role_twice()
    {
        var holders = new[] { (IncidentRole.Commander, 3) };
        IncidentLifecycle.AssignRole("INC-7", IncidentStatus.Investigating, IncidentRole.Commander, 3, holders, "ann").ShouldNotBeNull();
        IncidentLifecycle.AssignRole("INC-7", IncidentStatus.Investigating, IncidentRole.Commander, 4, holders, "bob").ShouldBeNull();
        IncidentLifecycle.RelieveRole("INC-7", IncidentStatus.Investigating, IncidentRole.Scribe, 3, holders, "ann").ShouldNotBeNull();
    }

    [Theory]
    [InlineData("2", Severity.Sev2)]
    [InlineData("SEV0", Severity.Sev0)]
    [InlineData("sev5", Severity.Sev5)]
    [InlineData("Sev-1", Severity.Sev1)]
    public void Severity_is_read_in_the_forms_people_type(string text, Severity expected)
    {
        Vocabulary.TryParseSeverity(text, out var severity).ShouldBeTrue();
        severity.ShouldBe(expected);
    }

    [Theory]
    [InlineData("6")]
    [InlineData("SEV9")]
    [InlineData("high")]
    [InlineData("")]
    public void Severity_outside_the_matrix_is_rejected(string text) =>
        Vocabulary.TryParseSeverity(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("INC-12", 12)]
    [InlineData("inc-3", 3)]
    [InlineData("44", 44)]
    public void Incident_ids_are_read_with_or_without_prefix(string text, int number)
    {
        Incident.TryParseId(text, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(number);
    }

    [Theory]
    [InlineData("INC-")]
    [InlineData("INC-0")]
    [InlineData("INC--1")]
    [InlineData("abc")]
    public void Malformed_incident_ids_are_not_ids(string text) => Incident.TryParseId(text, out _).ShouldBeFalse();
}
