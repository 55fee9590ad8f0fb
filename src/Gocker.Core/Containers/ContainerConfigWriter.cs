using System.Text.Json;
using Gocker.Core.Network;
using Gocker.Core.Security;
using Gocker.Core.Volumes;

namespace Gocker.Core.Containers;

/// <summary>Writes config.json by hand, as the serializer writes it (same properties, order, indentation
/// and escaping: a unit test compares the bytes with <see cref="ConfigJsonContext"/>'s output).
/// Why not the serializer: its first use builds the metadata of every type in the tree, reading their
/// custom attributes by reflection (JsonTypeInfo.Configure, PopulatePolymorphismMetadata), about 1 ms of
/// every `create` and `run` on a 2-core VM. The source generator's write-only mode cannot avoid that:
/// SecurityConfig.Seccomp's [JsonConverter] makes SecurityConfig fall back to metadata, and the root
/// type's metadata is built in any case. Reading stays with the serializer.</summary>
internal static class ContainerConfigWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true };

    public static void Write(Stream stream, ContainerConfig c)
    {
        using var w = new Utf8JsonWriter(stream, Options);
        Write(w, c);
    }

    /// <summary>The bytes of config.json, for one write of the file.</summary>
    public static ReadOnlyMemory<byte> Bytes(ContainerConfig c)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, Options))
            Write(w, c);
        return buffer.WrittenMemory;
    }

    private static void Write(Utf8JsonWriter w, ContainerConfig c)
    {
        w.WriteStartObject();
        w.WriteString("Id", c.Id);
        w.WriteString("Name", c.Name);
        w.WriteString("Image", c.Image);
        w.WriteString("ImageId", c.ImageId);
        Strings(w, "ImageLayers", c.ImageLayers);
        w.WriteString("ImageRootfs", c.ImageRootfs);
        Strings(w, "Args", c.Args);
        Strings(w, "Entrypoint", c.Entrypoint);
        Strings(w, "Cmd", c.Cmd);
        w.WriteString("StopSignal", c.StopSignal);
        Strings(w, "ExposedPorts", c.ExposedPorts);
        Strings(w, "Env", c.Env);
        w.WriteString("Hostname", c.Hostname);
        w.WriteString("User", c.User);
        w.WriteString("WorkingDir", c.WorkingDir);
        w.WriteBoolean("Tty", c.Tty);
        w.WriteBoolean("OpenStdin", c.OpenStdin);
        w.WriteBoolean("Init", c.Init);
        w.WriteBoolean("AutoRemove", c.AutoRemove);
        w.WriteNumber("LogMaxSize", c.LogMaxSize);
        w.WriteNumber("LogMaxFiles", c.LogMaxFiles);
        w.WriteNumber("CreatedAt", c.CreatedAt);
        w.WritePropertyName("Resources");
        Resources(w, c.Resources);
        w.WritePropertyName("Mounts");
        Mounts(w, c.Mounts);
        w.WriteBoolean("ReadonlyRootfs", c.ReadonlyRootfs);
        w.WritePropertyName("Network");
        Network(w, c.Network);
        w.WritePropertyName("Security");
        Security(w, c.Security);
        w.WriteEndObject();
    }

    private static void Resources(Utf8JsonWriter w, ResourceFlags? r)
    {
        if (r is null) { w.WriteNullValue(); return; }
        w.WriteStartObject();
        w.WriteString("Memory", r.Memory);
        w.WriteString("MemorySwap", r.MemorySwap);
        w.WriteString("MemoryReservation", r.MemoryReservation);
        w.WriteString("Cpus", r.Cpus);
        w.WriteString("CpuShares", r.CpuShares);
        w.WriteString("CpusetCpus", r.CpusetCpus);
        w.WriteString("CpusetMems", r.CpusetMems);
        w.WriteString("PidsLimit", r.PidsLimit);
        w.WriteBoolean("OomKillDisable", r.OomKillDisable);
        w.WriteEndObject();
    }

    private static void Mounts(Utf8JsonWriter w, List<MountSpec>? mounts)
    {
        if (mounts is null) { w.WriteNullValue(); return; }
        w.WriteStartArray();
        foreach (var m in mounts)
        {
            if (m is null) { w.WriteNullValue(); continue; }
            w.WriteStartObject();
            w.WriteString("Type", m.Type);
            w.WriteString("Source", m.Source);
            w.WriteString("Destination", m.Destination);
            w.WriteBoolean("ReadOnly", m.ReadOnly);
            w.WriteString("Origin", m.Origin);
            w.WriteString("Mode", m.Mode);
            w.WriteString("Spec", m.Spec);
            w.WriteBoolean("Anonymous", m.Anonymous);
            w.WriteBoolean("NoCopy", m.NoCopy);
            w.WriteBoolean("CreateSource", m.CreateSource);
            w.WritePropertyName("VolumeLabels");
            if (m.VolumeLabels is null)
                w.WriteNullValue();
            else
            {
                w.WriteStartObject();
                foreach (var (key, value) in m.VolumeLabels)
                    w.WriteString(key, value);
                w.WriteEndObject();
            }
            // An enum without a string converter is written as its number.
            w.WriteNumber("TmpfsFlags", (ulong)m.TmpfsFlags);
            w.WriteString("TmpfsData", m.TmpfsData);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Network(Utf8JsonWriter w, ContainerNetworkSettings? n)
    {
        if (n is null) { w.WriteNullValue(); return; }
        w.WriteStartObject();
        w.WriteString("Mode", n.Mode);
        w.WriteString("Ip", n.Ip);
        Strings(w, "Publish", n.Publish);
        Strings(w, "Expose", n.Expose);
        w.WriteBoolean("PublishAll", n.PublishAll);
        Strings(w, "AddHosts", n.AddHosts);
        Strings(w, "Dns", n.Dns);
        Strings(w, "DnsSearch", n.DnsSearch);
        Strings(w, "DnsOptions", n.DnsOptions);
        // Get-only properties: the serializer writes them too (and ignores them when reading).
        w.WriteBoolean("IsBridged", n.IsBridged);
        w.WriteBoolean("IsHost", n.IsHost);
        w.WriteEndObject();
    }

    private static void Security(Utf8JsonWriter w, SecurityConfig? s)
    {
        if (s is null) { w.WriteNullValue(); return; }
        w.WriteStartObject();
        w.WriteBoolean("Privileged", s.Privileged);
        Strings(w, "CapAdd", s.CapAdd);
        Strings(w, "CapDrop", s.CapDrop);
        w.WriteNumber("Capabilities", s.Capabilities);
        w.WriteBoolean("NoNewPrivileges", s.NoNewPrivileges);
        // [JsonConverter(typeof(JsonStringEnumConverter<SeccompMode>))]: the member's name (spelled out:
        // Enum.ToString reads the names from reflection metadata).
        w.WriteString("Seccomp", s.Seccomp switch
        {
            SeccompMode.Default => nameof(SeccompMode.Default),
            SeccompMode.Unconfined => nameof(SeccompMode.Unconfined),
            SeccompMode.Profile => nameof(SeccompMode.Profile),
            var other => other.ToString(),
        });
        w.WriteString("SeccompProfile", s.SeccompProfile);
        w.WriteBoolean("MaskSystemPaths", s.MaskSystemPaths);
        w.WritePropertyName("Ulimits");
        if (s.Ulimits is null)
            w.WriteNullValue();
        else
        {
            w.WriteStartArray();
            foreach (var u in s.Ulimits)
            {
                if (u is null) { w.WriteNullValue(); continue; }
                w.WriteStartObject();
                w.WriteString("Name", u.Name);
                w.WriteNumber("Soft", u.Soft);
                w.WriteNumber("Hard", u.Hard);
                w.WriteNumber("Resource", u.Resource);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        Strings(w, "SecurityOpt", s.SecurityOpt);
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, List<string>? values)
    {
        w.WritePropertyName(name);
        if (values is null) { w.WriteNullValue(); return; }
        w.WriteStartArray();
        foreach (var v in values)
            w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
