using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;

namespace Firebreak.Catalog;

/// <summary>Where the catalog lives: a git repository (local path or clone URL), optionally a folder inside it.</summary>
public sealed record CatalogSourceOptions(string Repository, string? Path = null, string? Branch = null);

/// <summary>
/// Reads the catalog's files from git, from a commit rather than a working tree, so every catalog version is
/// exactly one commit. A clone URL is cloned into the data directory once and fetched on every sync. A plain
/// folder that is not in a git repository is read as it is (version "dir:" + content hash), for trying things out.
/// </summary>
public static class CatalogSource
{
    public static (IReadOnlyDictionary<string, string> Files, string Version, string Describe) Load(CatalogSourceOptions options, string dataDir)
    {
        var isUrl = options.Repository.Contains("://", StringComparison.Ordinal) || options.Repository.StartsWith("git@", StringComparison.Ordinal);
        if (isUrl)
        {
            var clone = System.IO.Path.Combine(dataDir, "catalog-repo");
            if (!Repository.IsValid(clone)) Repository.Clone(options.Repository, clone, new CloneOptions { IsBare = true });
            using var remote = new Repository(clone);
            Commands.Fetch(remote, "origin", ["+refs/heads/*:refs/heads/*"], new FetchOptions(), null);
            return FromCommit(remote, options, options.Repository);
        }
        var local = System.IO.Path.GetFullPath(options.Repository);
        var gitDir = Repository.Discover(local);
        if (gitDir is null) return FromFolder(System.IO.Path.Combine(local, options.Path ?? ""));
        using var repo = new Repository(gitDir);
        var root = repo.Info.WorkingDirectory ?? local;
        // A path inside a repository (e.g. examples/catalog in Firebreak's own) reads that folder of HEAD.
        var inside = System.IO.Path.GetRelativePath(root, local).Replace('\\', '/');
        var folder = string.Join('/', new[] { inside == "." ? "" : inside, options.Path ?? "" }.Where(p => p.Length > 0));
        return FromCommit(repo, options with { Path = folder.Length == 0 ? null : folder }, local);
    }

    private static (IReadOnlyDictionary<string, string>, string, string) FromCommit(Repository repo, CatalogSourceOptions options, string describe)
    {
        var branch = options.Branch is { } name ? repo.Branches[name] ?? throw new InvalidOperationException($"No branch '{name}' in {describe}") : repo.Head;
        var commit = branch.Tip ?? throw new InvalidOperationException($"{describe} has no commits");
        Tree tree = commit.Tree;
        if (!string.IsNullOrEmpty(options.Path))
        {
            tree = commit[options.Path.Trim('/')]?.Target as Tree ?? throw new InvalidOperationException($"No folder '{options.Path}' in {describe} at {commit.Sha[..10]}");
        }
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(Tree t, string prefix)
        {
            foreach (var entry in t)
            {
                var path = prefix + entry.Name;
                if (entry.TargetType == TreeEntryTargetType.Tree) Walk((Tree)entry.Target, path + "/");
                else if (entry.TargetType == TreeEntryTargetType.Blob && IsCatalogFile(path)) files[path] = ((Blob)entry.Target).GetContentText();
            }
        }
        Walk(tree, "");
        return (files, commit.Sha, describe);
    }

    public static (IReadOnlyDictionary<string, string> Files, string Version, string Describe) FromFolder(string folder)
    {
        var full = System.IO.Path.GetFullPath(folder);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"No catalog folder at {full}");
        var files = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
            .Select(f => (Path: System.IO.Path.GetRelativePath(full, f).Replace('\\', '/'), Full: f))
            .Where(f => IsCatalogFile(f.Path) && !f.Path.StartsWith(".git/", StringComparison.Ordinal))
            .ToDictionary(f => f.Path, f => File.ReadAllText(f.Full), StringComparer.Ordinal);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "\0" + f.Value))));
        return (files, "dir:" + Convert.ToHexStringLower(hash)[..12], full);
    }

    private static bool IsCatalogFile(string path) =>
        path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal) || path.EndsWith(".md", StringComparison.Ordinal)
        || path.EndsWith(".liquid", StringComparison.Ordinal);
}
