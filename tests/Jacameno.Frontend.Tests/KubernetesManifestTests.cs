using System.Diagnostics;
using Jacameno.Tests;
using YamlDotNet.RepresentationModel;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// deploy/kubernetes holds together: kinds at their API versions, selectors that select, probes and ports that exist,
/// references to config, secrets, services and accounts that are there, TLS on the ingress; and where kubectl is
/// installed, every overlay renders with `kubectl kustomize`.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Folder = Path.Combine(TestServices.RepositoryRoot(), "deploy", "kubernetes");

    private static readonly Dictionary<string, string> ApiVersions = new()
    {
        ["Deployment"] = "apps/v1", ["Service"] = "v1", ["ConfigMap"] = "v1", ["Secret"] = "v1", ["ServiceAccount"] = "v1",
        ["Role"] = "rbac.authorization.k8s.io/v1", ["RoleBinding"] = "rbac.authorization.k8s.io/v1", ["PodDisruptionBudget"] = "policy/v1",
        ["HorizontalPodAutoscaler"] = "autoscaling/v2", ["Ingress"] = "networking.k8s.io/v1",
    };

    [Fact]
    public void Manifests_AreConsistent()
    {
        var docs = Directory.EnumerateFiles(Folder, "*.yaml", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(Load).ToList();
        Assert.True(docs.Count >= 12, $"{docs.Count} objects");
        foreach (var doc in docs)
        {
            var kind = S(doc, "kind");
            Assert.True(ApiVersions.TryGetValue(kind, out var version), $"Unexpected kind {kind}");
            Assert.Equal(version, S(doc, "apiVersion"));
            Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", S(M(doc, "metadata"), "name"));
        }

        string[] Named(string kind) => [.. docs.Where(d => S(d, "kind") == kind).Select(d => S(M(d, "metadata"), "name"))];
        var deployments = docs.Where(d => S(d, "kind") == "Deployment").ToList();
        Assert.Contains("jacameno-silo", Named("Deployment"));
        Assert.Contains("jacameno-frontend", Named("Deployment"));
        foreach (var deployment in deployments)
        {
            var name = S(M(deployment, "metadata"), "name");
            var labels = Labels(M(M(M(deployment, "spec"), "template"), "metadata"));
            Assert.True(Subset(Labels(M(M(deployment, "spec"), "selector"), "matchLabels"), labels), $"{name}: the selector does not select its pods");
            var pod = M(M(M(deployment, "spec"), "template"), "spec");
            if (S(pod, "serviceAccountName") is { Length: > 0 } account)
            {
                Assert.Contains(account, Named("ServiceAccount"));
            }

            foreach (var container in Seq(pod, "containers").Cast<YamlMappingNode>())
            {
                Assert.Matches(@"^ghcr\.io/jacameno/(silo|frontend):", S(container, "image"));
                var ports = Seq(container, "ports").Cast<YamlMappingNode>().Select(p => S(p, "name")).ToList();
                var probe = M(M(container, "readinessProbe"), "httpGet");
                Assert.Contains(S(probe, "path"), new[] { "/health/ready", "/health/live" });
                Assert.Contains(S(probe, "port"), ports);
                foreach (var source in Seq(container, "envFrom").Cast<YamlMappingNode>())
                {
                    var (kind, reference) = source.Children.ContainsKey(new YamlScalarNode("configMapRef")) ? ("ConfigMap", "configMapRef") : ("Secret", "secretRef");
                    Assert.Contains(S(M(source, reference), "name"), Named(kind));
                }
            }
        }

        var podLabels = deployments.Select(d => Labels(M(M(M(d, "spec"), "template"), "metadata"))).ToList();
        foreach (var selector in docs.Where(d => S(d, "kind") == "Service").Select(d => Labels(M(d, "spec"), "selector"))
            .Concat(docs.Where(d => S(d, "kind") == "PodDisruptionBudget").Select(d => Labels(M(M(d, "spec"), "selector"), "matchLabels"))))
        {
            Assert.Contains(podLabels, labels => Subset(selector, labels));
        }

        foreach (var autoscaler in docs.Where(d => S(d, "kind") == "HorizontalPodAutoscaler"))
        {
            Assert.Contains(S(M(M(autoscaler, "spec"), "scaleTargetRef"), "name"), Named("Deployment"));
        }

        var ingress = Assert.Single(docs, d => S(d, "kind") == "Ingress");
        Assert.NotEmpty(Seq(M(ingress, "spec"), "tls"));
        Assert.Equal("cookie", S(M(M(ingress, "metadata"), "annotations"), "nginx.ingress.kubernetes.io/affinity"));
        var backend = M(M(M((YamlMappingNode)Seq(M((YamlMappingNode)Seq(M(ingress, "spec"), "rules")[0], "http"), "paths")[0], "backend"), "service"), "port");
        Assert.Equal("http", S(backend, "name"));
    }

    [Fact]
    public void Kustomizations_ListFilesThatExist_AndRenderWithKubectlWhereInstalled()
    {
        foreach (var kustomization in Directory.EnumerateFiles(Folder, "kustomization.yaml", SearchOption.AllDirectories))
        {
            var directory = Path.GetDirectoryName(kustomization)!;
            foreach (var resource in Seq(Load(kustomization).Single(), "resources").Cast<YamlScalarNode>().Select(r => r.Value!))
            {
                var path = Path.Combine(directory, resource);
                Assert.True(File.Exists(path) || File.Exists(Path.Combine(path, "kustomization.yaml")), $"{kustomization}: {resource} is not there");
            }
        }

        var kubectl = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists);
        if (kubectl is null)
        {
            return;
        }

        foreach (var overlay in Directory.EnumerateDirectories(Path.Combine(Folder, "overlays")))
        {
            using var render = Process.Start(new ProcessStartInfo(kubectl, ["kustomize", overlay]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = render.StandardOutput.ReadToEnd();
            var errors = render.StandardError.ReadToEnd();
            render.WaitForExit();
            Assert.True(render.ExitCode == 0, errors);
            Assert.Contains("kind: Ingress", output);
        }
    }

    private static List<YamlMappingNode> Load(string file)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(file)));
        return [.. yaml.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    private static YamlMappingNode M(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static YamlSequenceNode Seq(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (YamlSequenceNode)value : new YamlSequenceNode();

    private static string S(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value ?? "" : "";

    private static Dictionary<string, string> Labels(YamlMappingNode node, string key = "labels") =>
        M(node, key).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!);

    private static bool Subset(Dictionary<string, string> selector, Dictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(kv => labels.TryGetValue(kv.Key, out var value) && value == kv.Value);
}
