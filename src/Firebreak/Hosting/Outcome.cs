using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Firebreak.Hosting;

/// <summary>
/// An expected refusal (unknown incident, invalid field, refused transition), returned as a value and
/// sent as an RFC 7807 problem document. Exceptions stay for the unexpected.
/// </summary>
public sealed record Refusal(int Status, string Title, string Detail, string? Field = null)
{
    public static Refusal NotFound(string detail) => new(StatusCodes.Status404NotFound, "Not found", detail);

    public static Refusal Invalid(string field, string detail) =>
        new(StatusCodes.Status422UnprocessableEntity, "Invalid request", detail, field);

    public static Refusal Conflict(string detail) =>
        new(StatusCodes.Status409Conflict, "Refused in the current state", detail);

    public static Refusal Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public ProblemHttpResult ToResult()
    {
        var problem = Field is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(new Dictionary<string, string[]> { [Field] = [Detail] });
        problem.Status = Status;
        problem.Title = Title;
        problem.Detail = Detail;
        return TypedResults.Problem(problem);
    }
}

public readonly record struct Outcome<T>(T? Value, Refusal? Refusal)
{
    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);

    public IResult ToResult(Func<T, IResult> onSuccess) =>
        Refusal is { } refusal ? refusal.ToResult() : onSuccess(Value!);
}
