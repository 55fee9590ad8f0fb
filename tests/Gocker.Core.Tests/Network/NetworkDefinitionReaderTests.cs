using System.Text;
using System.Text.Json;
using Gocker.Core.Network;

namespace Gocker.Core.Tests.Network;

/// <summary>The hand-written reader against the serializer that writes the files.</summary>
public class NetworkDefinitionReaderTests
{
    private static NetworkDefinition Sample(string? range, Dictionary<string, string> labels) => new()
    {
        Name = "mynet",
        Id = new string('c', 64),
        Created = 1_764_000_000_123_456_789,
        Driver = "bridge",
        Subnet = "10.70.0.0/24",
        Gateway = "10.70.0.1",
        IPRange = range,
        Bridge = "gk-cccccccccccc",
        Labels = labels,
    };

    private static byte[] Serialized(NetworkDefinition n) =>
        JsonSerializer.SerializeToUtf8Bytes(n, NetworkJsonContext.Default.NetworkDefinition);

    private static void AssertSame(NetworkDefinition want, NetworkDefinition got)
    {
        Assert.Equal((want.Name, want.Id, want.Created, want.Driver, want.Subnet, want.Gateway, want.IPRange, want.Bridge),
            (got.Name, got.Id, got.Created, got.Driver, got.Subnet, got.Gateway, got.IPRange, got.Bridge));
        Assert.Equal(want.Labels.OrderBy(l => l.Key), got.Labels.OrderBy(l => l.Key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("10.70.0.128/25")]
    public void Reads_what_the_serializer_writes(string? range)
    {
        var n = Sample(range, new() { ["team"] = "a \"quoted\" \u00e9 label", ["empty"] = "" });
        AssertSame(n, NetworkDefinitionReader.Parse(Serialized(n)));
    }

    [Fact]
    public void Reads_as_the_serializer_reads_unknown_properties_escapes_and_repeats()
    {
        var json = """
            { "Future": {"a": [1, {"b": null}]}, "Name": "old", "Na\u006De": "mynet", "Id": "cc",
              "Subnet": "10.70.0.0/24", "Gateway": "10.70.0.1", "Bridge": "gk-x", "Labels": null, "IPRange": null }
            """u8.ToArray();
        var ours = NetworkDefinitionReader.Parse(json);
        var theirs = JsonSerializer.Deserialize(json, NetworkJsonContext.Default.NetworkDefinition)!;
        Assert.Equal((theirs.Name, theirs.Id, theirs.Created, theirs.Subnet, theirs.Gateway, theirs.IPRange, theirs.Bridge),
            (ours.Name, ours.Id, ours.Created, ours.Subnet, ours.Gateway, ours.IPRange, ours.Bridge));
        Assert.Equal("mynet", ours.Name);
        // Where the two differ, on files that the serializer never writes: an absent Driver is the
        // property's default (the generated deserializer leaves an init-only property it did not see
        // null), and null Labels are none.
        Assert.Equal("bridge", ours.Driver);
        Assert.Empty(ours.Labels);
    }

    [Theory]
    [InlineData("", "JSON token")]
    [InlineData("[]", "JSON object")]
    [InlineData("null", "JSON object")]
    [InlineData("""{"Id":"c","Subnet":"s","Gateway":"g","Bridge":"b"}""", "no Name")]
    [InlineData("""{"Name":"n","Subnet":"s","Gateway":"g","Bridge":"b"}""", "no Id")]
    [InlineData("""{"Name":"n","Id":"c","Gateway":"g","Bridge":"b"}""", "no Subnet")]
    [InlineData("""{"Name":"n","Id":"c","Subnet":"s","Bridge":"b"}""", "no Gateway")]
    [InlineData("""{"Name":"n","Id":"c","Subnet":"s","Gateway":"g"}""", "no Bridge")]
    [InlineData("""{"Name":null,"Id":"c","Subnet":"s","Gateway":"g","Bridge":"b"}""", "Name is not a string")]
    [InlineData("""{"Name":"n","Id":"c","Subnet":"s","Gateway":"g","Bridge":"b","Created":1.5}""", "Created")]
    [InlineData("""{"Name":"n","Id":"c","Subnet":"s","Gateway":"g","Bridge":"b","Labels":{"a":1}}""", "label a")]
    [InlineData("""{"Name":"n","Id":"c","Subnet":"s","Gateway":"g","Bridge":"b"} x""", "")]
    [InlineData("""{"Name":"n","Id":"c","Subnet":"s","Gateway":"g","Bridge":"b",}""", "")]
    [InlineData("{\"Name\":\"n\" /* comment */,\"Id\":\"c\",\"Subnet\":\"s\",\"Gateway\":\"g\",\"Bridge\":\"b\"}", "")]
    [InlineData("{\"Name\":\"n\",\"Id\":\"c\",\"Subnet\":\"s\",\"Gateway\":\"g\",\"Bridge\":\"b\" ", "")]
    public void Refuses_what_is_not_a_whole_definition(string json, string says)
    {
        var e = Assert.ThrowsAny<JsonException>(() => NetworkDefinitionReader.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(says, e.Message);
    }

    [Fact]
    public void Load_names_the_file_of_a_corrupt_definition()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gocker-netdef-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"Name\":");
        try
        {
            var e = Assert.Throws<GockerException>(() => NetworkDefinition.Load(path));
            Assert.StartsWith($"cannot read network definition {path}: ", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Throws<FileNotFoundException>(() => NetworkDefinition.Load(path)); // TryLoad's "no such network"
    }
}
