using System.Text.Json;
using Gocker.Core.Formatting;

namespace Gocker.Core.Tests.Formatting;

public class GoTemplateTests
{
    private static TemplateFields Row() => new TemplateFields("*formatter.ContainerContext")
        .Set("ID", "0123456789ab")
        .Set("Names", "web")
        .Set("Ports", "0.0.0.0:8080->80/tcp")
        .Set("Status", "Up 5 seconds")
        .Method("Label", 1, a => a[0] == "tier" ? "front" : "");

    private static readonly JsonElement Doc = JsonDocument.Parse("""
        {
          "Id": "abcdef",
          "Name": "/web",
          "RestartCount": 2,
          "Args": ["-c", "echo hi"],
          "State": {"Status": "running", "Running": true, "Pid": 1234, "ExitCode": 0},
          "Config": {"Env": ["A=1", "B=2"], "Entrypoint": null, "Labels": {"b": "2", "a": "1"}},
          "Mounts": [{"Source": "/src", "Destination": "/dst"}, {"Source": "/x", "Destination": "/y"}],
          "NetworkSettings": {"Networks": {"bridge": {"IPAddress": "172.17.0.2"}}}
        }
        """).RootElement;

    private static string Exec(string template, ITemplateData data) => GoTemplate.Parse(template).Execute(data);

    private static string Exec(string template) => GoTemplate.Parse(template).Execute(Doc);

    [Theory]
    [InlineData("{{.ID}}", "0123456789ab")]
    [InlineData("{{ .ID }}", "0123456789ab")]
    [InlineData("id={{.ID}} name={{.Names}}", "id=0123456789ab name=web")]
    [InlineData("{{.Names | upper}}", "WEB")]
    [InlineData("{{upper .Names}} {{lower \"ABC\"}}", "WEB abc")]
    [InlineData("{{truncate .ID 4}}", "0123")]
    [InlineData("{{pad .Names 2 1}}|", "  web |")]
    [InlineData("{{.Label \"tier\"}}", "front")]
    [InlineData("{{json .Ports}}", "\"0.0.0.0:8080->80/tcp\"")]
    [InlineData("{{if eq .Names \"web\"}}yes{{else}}no{{end}}", "yes")]
    [InlineData("{{/* a comment */}}x", "x")]
    [InlineData("a  {{- .Names -}}  b", "awebb")]
    [InlineData("{{$n := .Names}}{{$n}}{{$n}}", "webweb")]
    [InlineData("{{range split .ID \"5\"}}[{{.}}]{{end}}", "[01234][6789ab]")]
    [InlineData("{{printf \"%s:%5s|%-4d|\" .Names .Names 7}}", "web:  web|7   |")]
    public void ExecutesAgainstFields(string template, string expected) => Assert.Equal(expected, Exec(template, Row()));

    [Fact]
    public void JsonOfARowHasSortedKeysAndGoHtmlEscaping() =>
        Assert.Equal(
            "{\"ID\":\"0123456789ab\",\"Names\":\"web\",\"Ports\":\"0.0.0.0:8080-\\u003e80/tcp\",\"Status\":\"Up 5 seconds\"}",
            Exec("{{json .}}", Row()));

    [Theory]
    [InlineData("{{.Id}}", "abcdef")]
    [InlineData("{{.State.Status}}", "running")]
    [InlineData("{{.State.Running}} {{.State.Pid}} {{.RestartCount}}", "true 1234 2")]
    [InlineData("{{json .State}}", "{\"Status\":\"running\",\"Running\":true,\"Pid\":1234,\"ExitCode\":0}")]
    [InlineData("{{json .Args}}", "[\"-c\",\"echo hi\"]")]
    [InlineData("{{.Config.Env}}", "[A=1 B=2]")]
    [InlineData("{{.Config.Labels}}", "map[a:1 b:2]")]
    [InlineData("{{.Config.Entrypoint}}", "<nil>")]
    [InlineData("{{join .Config.Env \",\"}}", "A=1,B=2")]
    [InlineData("{{len .Mounts}}", "2")]
    [InlineData("{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}", "/src:/dst /x:/y ")]
    [InlineData("{{range $i, $m := .Mounts}}{{$i}}={{$m.Source}};{{end}}", "0=/src;1=/x;")]
    [InlineData("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}},{{end}}", "a=1,b=2,")]
    [InlineData("{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", "172.17.0.2")]
    [InlineData("{{with .NetworkSettings.Networks.bridge}}{{.IPAddress}}{{end}}", "172.17.0.2")]
    [InlineData("{{index .Config.Labels \"b\"}}", "2")]
    [InlineData("{{index .Args 1}}", "echo hi")]
    [InlineData("{{if .State.Running}}up{{end}}{{if not .State.ExitCode}} ok{{end}}", "up ok")]
    [InlineData("{{if and .State.Running (eq .State.Pid 1234)}}both{{end}}", "both")]
    [InlineData("{{range .Args}}{{if eq . \"-c\"}}{{continue}}{{end}}{{.}}{{end}}", "echo hi")]
    [InlineData("{{range .Args}}{{.}}{{break}}{{end}}", "-c")]
    [InlineData("{{range .Config.Entrypoint}}x{{else}}none{{end}}", "none")]
    [InlineData("{{$.Name}} {{(index .Mounts 0).Source}}", "/web /src")]
    [InlineData("{{.Name}}\\t{{.Id}}", "/web\\tabcdef")] // no escape processing for inspect
    [InlineData("{{if eq .State.Status \"paused\"}}p{{else if .State.Running}}r{{else}}x{{end}}", "r")]
    [InlineData("{{with .Config.Entrypoint}}e{{else with .Args}}{{index . 0}}{{end}}", "-c")]
    [InlineData("{{\"}}\"}}{{.Id}}}", "}}abcdef}")]
    [InlineData("{{- .Id -}}\n", "abcdef")]
    [InlineData("{{.State.Pid | printf \"%d!\"}}", "1234!")]
    [InlineData("{{json .Mounts}}", "[{\"Source\":\"/src\",\"Destination\":\"/dst\"},{\"Source\":\"/x\",\"Destination\":\"/y\"}]")]
    public void ExecutesAgainstJson(string template, string expected) => Assert.Equal(expected, Exec(template));

    [Theory]
    [InlineData("{{ .ID }", "template parsing error: template: :1: unexpected \"}\" in operand")]
    [InlineData("{{.ID}", "template parsing error: template: :1: bad character U+007D '}'")]
    [InlineData("{{.ID", "template parsing error: template: :1: unclosed action")]
    [InlineData("{{}}", "template parsing error: template: :1: missing value for command")]
    [InlineData("{{foo .ID}}", "template parsing error: template: :1: function \"foo\" not defined")]
    [InlineData("{{end}}", "template parsing error: template: :1: unexpected {{end}}")]
    [InlineData("{{if .ID}}x", "template parsing error: template: :1: unexpected EOF")]
    [InlineData("a\n{{.ID | \"x\"}}", "template parsing error: template: :2: non executable command in pipeline stage 2")]
    [InlineData("{{$x}}", "template parsing error: template: :1: undefined variable \"$x\"")]
    [InlineData("{{\"abc}}", "template parsing error: template: :1: unterminated quoted string")]
    public void ParseErrorsAreOneLineGockerExceptions(string template, string message)
    {
        var e = Assert.Throws<GockerException>(() => GoTemplate.Parse(template));
        Assert.Equal(message, e.Message);
        Assert.Equal(125, e.ExitCode);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void UnknownRowFieldIsAnExecutionError()
    {
        var e = Assert.Throws<GockerException>(() => Exec("{{.Foo}}", Row()));
        Assert.Equal(
            "template parsing error: template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.ContainerContext",
            e.Message);
        Assert.Equal(125, e.ExitCode);
    }

    [Theory]
    [InlineData("{{.State.Foo}}", "template parsing error: template: :1:8: executing \"\" at <.State.Foo>: map has no entry for key \"Foo\"")]
    [InlineData("x{{.Nope}}", "template parsing error: template: :1:3: executing \"\" at <.Nope>: map has no entry for key \"Nope\"")]
    [InlineData("{{.Config.Entrypoint.X}}", "template parsing error: template: :1:9: executing \"\" at <.Config.Entrypoint.X>: nil pointer evaluating interface {}.X")]
    [InlineData("{{truncate .Id}}", "template parsing error: template: :1:2: executing \"\" at <truncate>: wrong number of args for truncate: want 2 got 1")]
    [InlineData("{{upper .State}}", "template parsing error: template: :1:2: executing \"\" at <upper>: wrong type for value; expected string; got map[string]interface {}")]
    [InlineData("{{range .Id}}{{end}}", "template parsing error: template: :1:8: executing \"\" at <.Id>: range can't iterate over abcdef")]
    public void JsonExecutionErrors(string template, string message)
    {
        var e = Assert.Throws<GockerException>(() => Exec(template));
        Assert.Equal(message, e.Message);
        Assert.Equal(125, e.ExitCode);
    }

    [Fact]
    public void LongErrorContextIsTruncatedLikeGo()
    {
        var e = Assert.Throws<GockerException>(() => Exec("{{.NetworkSettings.Networks.host.IPAddress}}"));
        Assert.Equal(
            "template parsing error: template: :1:18: executing \"\" at <.NetworkSettings.Net...>: map has no entry for key \"host\"",
            e.Message);
    }

    [Fact]
    public void TemplateIsParsedOnceAndReused()
    {
        var t = GoTemplate.Parse("{{.Names}}");
        Assert.Equal("a", t.Execute(new TemplateFields().Set("Names", "a")));
        Assert.Equal("b", t.Execute(new TemplateFields().Set("Names", "b")));
    }

    [Theory]
    [InlineData("table {{.ID}}\\t{{.Names}}", "{{.ID}}\t{{.Names}}", true)]
    [InlineData("  {{.ID}}\\n ", "{{.ID}}\n", false)]
    [InlineData("json", "{{json .}}", false)]
    [InlineData("table", "", true)]
    public void PrepareFollowsDockerCli(string format, string text, bool isTable) =>
        Assert.Equal(new PreparedFormat(text, isTable), TemplateFormat.Prepare(format));
}
