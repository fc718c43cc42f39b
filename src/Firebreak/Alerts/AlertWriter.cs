using System.Data.Common;
using System.Threading.Channels;
using Firebreak.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Firebreak.Alerts;

public sealed record IntakeOptions
{
    public int MaxBodyBytes { get; init; } = 512 * 1024;
    /// <summary>Requests waiting for a commit before intake answers 429.</summary>
    public int QueueCapacity { get; init; } = 8192;
    /// <summary>Signals gathered into one transaction.</summary>
    public int MaxSignalsPerCommit { get; init; } = 4096;
}

/// <summary>One request's signals, answered when the transaction holding them has committed.</summary>
public sealed class PendingWrite(IReadOnlyList<AlertSignal> signals)
{
    public IReadOnlyList<AlertSignal> Signals { get; } = signals;
    public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Group commit. Request handlers enqueue their signals and wait; a single writer takes everything that
/// queued up while it was committing, writes it in one transaction and only then completes the requests.
/// One fsync serves many requests, so "2xx means on disk" stays cheap. A full queue is refused at once
/// (429), never silently dropped.
/// </summary>
public sealed class AlertQueue(IntakeOptions options)
{
    private readonly Channel<PendingWrite> _channel = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<PendingWrite> Reader => _channel.Reader;

    /// <summary>Null when the queue is full: the caller answers 429 with Retry-After.</summary>
    public PendingWrite? TryEnqueue(IReadOnlyList<AlertSignal> signals)
    {
        var write = new PendingWrite(signals);
        return _channel.Writer.TryWrite(write) ? write : null;
    }
}

public sealed partial class AlertWriter(AlertQueue queue, StorageTarget storage, IntakeOptions options, AlertTriageSignal triage,
    TimeProvider clock, ILogger<AlertWriter> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingWrite>();
        IAlertStore? store = null;
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                var count = 0;
                while (count < options.MaxSignalsPerCommit && queue.Reader.TryRead(out var write))
                {
                    batch.Add(write);
                    count += write.Signals.Count;
                }
                try
                {
                    store ??= await OpenAsync(stoppingToken);
                    var changed = await store.WriteAsync(batch, clock.GetUtcNow().UtcDateTime, stoppingToken);
                    foreach (var write in batch) write.Stored.TrySetResult();
                    // Duplicate deliveries change nothing, so they give triage nothing to do.
                    if (changed) triage.Wake();
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Nothing in this batch was acknowledged: each sender gets a 5xx and retries.
                    LogWriteFailed(log, e, count);
                    foreach (var write in batch) write.Stored.TrySetException(e);
                    if (store is not null) await store.DisposeAsync();
                    store = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            var stopping = new OperationCanceledException("Firebreak is shutting down.");
            foreach (var write in batch) write.Stored.TrySetException(stopping);
            while (queue.Reader.TryRead(out var write)) write.Stored.TrySetException(stopping);
            if (store is not null) await store.DisposeAsync();
        }
    }

    private async Task<IAlertStore> OpenAsync(CancellationToken ct) => storage.Provider == StorageProvider.Postgres
        ? await PostgresAlertStore.OpenAsync(storage.ConnectionString, ct)
        : await SqliteAlertStore.OpenAsync(storage.ConnectionString, ct);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store a batch of {Count} alerts; their senders were told to retry")]
    private static partial void LogWriteFailed(ILogger logger, Exception e, int count);
}

/// <summary>The hot-path SQL for one provider: the same statements, written once in <see cref="AlertSql"/>.</summary>
internal interface IAlertStore : IAsyncDisposable
{
    /// <summary>Commits the writes; true when any alert changed (a duplicate delivery changes nothing).</summary>
    Task<bool> WriteAsync(IReadOnlyList<PendingWrite> writes, DateTime now, CancellationToken ct);
}

/// <summary>
/// The intake statements. Both providers speak this SQL (upsert with ON CONFLICT, IS DISTINCT FROM);
/// only the parameter placeholders differ. The WHERE on the update makes an exact duplicate delivery
/// (same alert, same episode, same state) touch nothing, so its row count is 0.
/// </summary>
internal static class AlertSql
{
    public static string Upsert(Func<int, string> p) => $"""
        INSERT INTO alerts (integration_id, dedup_key, status, tier, severity, summary, service, alert_name, group_key,
            labels, annotations, link, source, first_seen_at, last_seen_at, occurrence_at, occurrences, ends_at,
            acknowledged_at, resolved_at, silence_id, changed_at)
        VALUES ({p(0)}, {p(1)}, {p(2)}, {p(3)}, {p(4)}, {p(5)}, {p(6)}, {p(7)}, {p(8)}, {p(9)}, {p(10)}, {p(11)}, {p(12)},
            {p(13)}, {p(13)}, {p(14)}, 1, {p(15)}, NULL, {p(16)}, {p(17)}, {p(13)})
        ON CONFLICT (integration_id, dedup_key) DO UPDATE SET
            status = CASE WHEN excluded.status = 'resolved' THEN 'resolved'
                          WHEN excluded.occurrence_at > alerts.occurrence_at AND alerts.status = 'resolved' THEN 'firing'
                          ELSE alerts.status END,
            occurrences = alerts.occurrences + CASE WHEN excluded.occurrence_at > alerts.occurrence_at THEN 1 ELSE 0 END,
            occurrence_at = CASE WHEN excluded.occurrence_at > alerts.occurrence_at THEN excluded.occurrence_at ELSE alerts.occurrence_at END,
            resolved_at = CASE WHEN excluded.status = 'resolved' THEN excluded.resolved_at
                               WHEN excluded.occurrence_at > alerts.occurrence_at THEN NULL ELSE alerts.resolved_at END,
            acknowledged_at = CASE WHEN excluded.occurrence_at > alerts.occurrence_at AND alerts.status = 'resolved' THEN NULL
                                   ELSE alerts.acknowledged_at END,
            ends_at = excluded.ends_at, tier = excluded.tier, severity = excluded.severity, summary = excluded.summary,
            service = excluded.service, alert_name = excluded.alert_name, group_key = excluded.group_key,
            labels = excluded.labels, annotations = excluded.annotations, link = excluded.link,
            silence_id = excluded.silence_id, last_seen_at = excluded.last_seen_at, changed_at = excluded.changed_at
        WHERE excluded.occurrence_at > alerts.occurrence_at
           OR (excluded.occurrence_at = alerts.occurrence_at AND (
                  (excluded.status = 'resolved' AND alerts.status <> 'resolved')
               OR (excluded.status = 'firing' AND alerts.status <> 'resolved' AND excluded.ends_at IS DISTINCT FROM alerts.ends_at)))
        """;

    /// <summary>Acknowledge or resolve an open alert by key (PagerDuty, Opsgenie, generic); unknown keys change nothing.</summary>
    public static string Update(Func<int, string> p) => $"""
        UPDATE alerts SET
            status = CASE WHEN {p(0)} = 'resolved' THEN 'resolved' ELSE 'acknowledged' END,
            acknowledged_at = CASE WHEN {p(0)} = 'acknowledged' THEN {p(1)} ELSE acknowledged_at END,
            resolved_at = CASE WHEN {p(0)} = 'resolved' THEN {p(1)} ELSE resolved_at END,
            last_seen_at = {p(1)}, changed_at = {p(1)}
        WHERE integration_id = {p(2)} AND dedup_key = {p(3)} AND status <> 'resolved' AND ({p(0)} = 'resolved' OR status = 'firing')
        """;

    public static string TouchGroupOf(Func<int, string> p) => $"""
        UPDATE alert_groups SET needs_triage = TRUE, change_seq = change_seq + 1, last_change_at = {p(0)}
        WHERE group_key = (SELECT group_key FROM alerts WHERE integration_id = {p(1)} AND dedup_key = {p(2)})
        """;

    public static string UpsertGroup(Func<int, string> p) => $"""
        INSERT INTO alert_groups (group_key, title, service, first_seen_at, last_change_at, change_seq, needs_triage)
        VALUES ({p(0)}, {p(1)}, {p(2)}, {p(3)}, {p(3)}, 1, TRUE)
        ON CONFLICT (group_key) DO UPDATE SET
            last_change_at = excluded.last_change_at, change_seq = alert_groups.change_seq + 1, needs_triage = TRUE
        """;

    public static string StatusOf(SignalAction action) => action switch
    {
        SignalAction.Trigger => "firing",
        SignalAction.Acknowledge => "acknowledged",
        _ => "resolved",
    };

    public static string GroupTitle(AlertSignal s) =>
        AlertSignal.Truncate(s.AlertName is { Length: > 0 } name ? (s.Service is { Length: > 0 } svc ? $"{name} on {svc}" : name) : s.Summary, 1024);
}

internal sealed class SqliteAlertStore : IAlertStore
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _upsert, _update, _touchGroup, _upsertGroup;

    private SqliteAlertStore(SqliteConnection connection)
    {
        _connection = connection;
        static string P(int i) => "@p" + i;
        _upsert = Command(AlertSql.Upsert(P), 18);
        _update = Command(AlertSql.Update(P), 4);
        _touchGroup = Command(AlertSql.TouchGroupOf(P), 3);
        _upsertGroup = Command(AlertSql.UpsertGroup(P), 4);
    }

    private SqliteCommand Command(string sql, int parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++) command.Parameters.Add(new SqliteParameter("@p" + i, null));
        return command;
    }

    public static async Task<IAlertStore> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await using (var pragma = connection.CreateCommand())
        {
            // The writer's own connection: durable commits, and a page cache big enough for the alert indexes.
            pragma.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        return new SqliteAlertStore(connection);
    }

    public async Task<bool> WriteAsync(IReadOnlyList<PendingWrite> writes, DateTime now, CancellationToken ct)
    {
        var touched = false;
        await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(ct);
        foreach (var c in new[] { _upsert, _update, _touchGroup, _upsertGroup }) c.Transaction = transaction;
        var changedGroups = new Dictionary<string, AlertSignal>();
        foreach (var write in writes)
        {
            foreach (var s in write.Signals)
            {
                if (s.UpdateOnly)
                {
                    Set(_update, AlertSql.StatusOf(s.Action), now, s.IntegrationId, s.DedupKey);
                    if (_update.ExecuteNonQuery() > 0)
                    {
                        touched = true;
                        Set(_touchGroup, now, s.IntegrationId, s.DedupKey);
                        _touchGroup.ExecuteNonQuery();
                    }
                    continue;
                }
                Set(_upsert, s.IntegrationId, s.DedupKey, AlertSql.StatusOf(s.Action), s.Tier.ToString(), s.Severity, s.Summary,
                    s.Service, s.AlertName, s.GroupKey, s.LabelsJson, s.AnnotationsJson, s.Link, s.Source, now, s.OccurredAt,
                    s.EndsAt, s.Action == SignalAction.Resolve ? s.EndsAt ?? now : null, s.SilenceId);
                if (_upsert.ExecuteNonQuery() > 0) changedGroups.TryAdd(s.GroupKey, s);
            }
        }
        foreach (var (key, s) in changedGroups)
        {
            Set(_upsertGroup, key, AlertSql.GroupTitle(s), s.Service, now);
            _upsertGroup.ExecuteNonQuery();
        }
        await transaction.CommitAsync(ct);
        return touched || changedGroups.Count > 0;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in new[] { _upsert, _update, _touchGroup, _upsertGroup }) await c.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>PostgreSQL: the whole batch goes in one round trip (NpgsqlBatch) inside one transaction.</summary>
internal sealed class PostgresAlertStore(NpgsqlConnection connection) : IAlertStore
{
    private static string P(int i) => "$" + (i + 1);
    private static readonly string Upsert = AlertSql.Upsert(P), Update = AlertSql.Update(P), TouchGroup = AlertSql.TouchGroupOf(P), UpsertGroup = AlertSql.UpsertGroup(P);

    public static async Task<IAlertStore> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return new PostgresAlertStore(connection);
    }

    public async Task<bool> WriteAsync(IReadOnlyList<PendingWrite> writes, DateTime now, CancellationToken ct)
    {
        var touched = false;
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var alerts = new NpgsqlBatch(connection, transaction);
        var upserted = new List<AlertSignal?>();
        foreach (var write in writes)
        {
            foreach (var s in write.Signals)
            {
                if (s.UpdateOnly)
                {
                    alerts.BatchCommands.Add(Command(Update, Text(AlertSql.StatusOf(s.Action)), Time(now), Int(s.IntegrationId), Text(s.DedupKey)));
                    alerts.BatchCommands.Add(Command(TouchGroup, Time(now), Int(s.IntegrationId), Text(s.DedupKey)));
                    upserted.Add(null);
                    upserted.Add(null);
                    touched = true;
                    continue;
                }
                alerts.BatchCommands.Add(Command(Upsert,
                    Int(s.IntegrationId), Text(s.DedupKey), Text(AlertSql.StatusOf(s.Action)), Text(s.Tier.ToString()), Text(s.Severity),
                    Text(s.Summary), Text(s.Service), Text(s.AlertName), Text(s.GroupKey), Text(s.LabelsJson),
                    Text(s.AnnotationsJson), Text(s.Link), Text(s.Source), Time(now), Time(s.OccurredAt), Time(s.EndsAt),
                    Time(s.Action == SignalAction.Resolve ? s.EndsAt ?? now : null),
                    new NpgsqlParameter { Value = (object?)s.SilenceId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint }));
                upserted.Add(s);
            }
        }
        await alerts.ExecuteNonQueryAsync(ct);

        var changedGroups = new Dictionary<string, AlertSignal>();
        for (var i = 0; i < upserted.Count; i++)
        {
            if (upserted[i] is { } s && alerts.BatchCommands[i].RecordsAffected > 0) changedGroups.TryAdd(s.GroupKey, s);
        }
        if (changedGroups.Count > 0)
        {
            await using var groups = new NpgsqlBatch(connection, transaction);
            foreach (var (key, s) in changedGroups)
                groups.BatchCommands.Add(Command(UpsertGroup, Text(key), Text(AlertSql.GroupTitle(s)), Text(s.Service), Time(now)));
            await groups.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return touched || changedGroups.Count > 0;
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
    private static NpgsqlParameter Int(int value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Integer };
    private static NpgsqlParameter Time(DateTime? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}

/// <summary>Lets the writer tell the triage loop that something changed, without waiting for its next tick.</summary>
public sealed class AlertTriageSignal : Wakeup;

/// <summary>Wakes a background loop without waiting for its next tick.</summary>
public class Wakeup
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try { _wake.Release(); } catch (SemaphoreFullException) { }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);
}
