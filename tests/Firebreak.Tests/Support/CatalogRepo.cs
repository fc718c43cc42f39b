using LibGit2Sharp;

namespace Firebreak.Tests.Support;

/// <summary>A real git repository in a temporary folder, holding a small catalog that tests change and commit.</summary>
public sealed class CatalogRepo : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("firebreak-catalog-").FullName;


    public CatalogRepo()
    {
        Repository.Init(Path);
        Write("people.yaml", "people:\n  - { handle: ana, name: Ana Lima }\n  - { handle: bo, name: Bo Berg }\n");
        Write("teams/WEB.yaml", "short_name: WEB\nname: Web team\nmembers: [ana]\nchannel: \"#web\"\nescalation: web-primary\n");
        Write("teams/DATA.yaml", "short_name: DATA\nname: Data team\nmembers: [bo]\nescalation: data-primary\n");
        Service("shop", "WEB", 1, ["cart", "db"]);
        Service("cart", "WEB", 2, ["db"]);
        Service("db", "DATA", 1, []);
        Service("reports", "DATA", 3, ["db"], runbook: false);
        Write("routing.yaml", "scenarios:\n  - scenario: databases\n    team: DATA\n    keywords: [postgres, replica]\n");
        Commit("initial catalog");
    }

    public void Service(string name, string owner, int tier, string[] dependsOn, bool runbook = true, string reviewed = "2026-11-01")
    {
        Write($"services/{name}/service.yaml",
            $"id: SVC-{name.ToUpperInvariant()}\nname: {name} service\nowner: {owner}\ntier: {tier}\ndepends_on: [{string.Join(", ", dependsOn)}]\n" +
            $"links:\n  dashboard: https://grafana/d/{name}\nlast_reviewed: {reviewed}\n");
        if (runbook)
        {
            Write($"services/{name}/runbook.md",
                $"# {name}\n\n## How to tell it is broken\n- errors\n\n## What to check\n1. recent deploys\n\n## Known fixes\n- Restart {name} pods\n\n## Escalation\nPage the owner.\n");
        }
    }

    public void Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    public string Commit(string message, DateTimeOffset? when = null)
    {
        using var repo = new Repository(Path);
        Commands.Stage(repo, "*");
        var author = new Signature("Catalog Test", "catalog@example.com", when ?? DateTimeOffset.UtcNow);
        return repo.Commit(message, author, author, new CommitOptions()).Sha;
    }

    public void Tag(string name)
    {
        using var repo = new Repository(Path);
        repo.ApplyTag(name);
    }

    public void Dispose()
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories)) File.SetAttributes(file, FileAttributes.Normal);
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException) { }
    }
}
