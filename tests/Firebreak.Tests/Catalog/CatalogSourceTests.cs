using Firebreak.Catalog;
using Firebreak.Tests.Support;

namespace Firebreak.Tests.Catalog;

public class CatalogSourceTests
{
    [Fact]
    public void A_clone_url_is_cloned_once_and_fetched_on_every_sync()
    {
        using var origin = new CatalogRepo();
        var data = Directory.CreateTempSubdirectory("firebreak-clone-").FullName;
        try
        {
            var url = new Uri(origin.Path).AbsoluteUri; // file:///…
            var first = CatalogSource.Load(new CatalogSourceOptions(url), data);
            first.Files.ShouldContainKey("services/shop/service.yaml");

            origin.Service("billing", "DATA", 2, ["db"]);
            var second = origin.Commit("add billing");
            var after = CatalogSource.Load(new CatalogSourceOptions(url), data);

            after.Version.ShouldBe(second);
            after.Version.ShouldNotBe(first.Version);
            after.Files.ShouldContainKey("services/billing/service.yaml");
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Fact]
    public void A_folder_inside_a_repository_is_read_from_its_committed_state()
    {
        using var repo = new CatalogRepo();
        var committed = CatalogSource.Load(new CatalogSourceOptions(repo.Path), Path.GetTempPath());
        repo.Write("services/shop/service.yaml", "uncommitted: true\n");
        var again = CatalogSource.Load(new CatalogSourceOptions(repo.Path), Path.GetTempPath());
        again.Version.ShouldBe(committed.Version);
        again.Files["services/shop/service.yaml"].ShouldNotContain("uncommitted");
    }
}
