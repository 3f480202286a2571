using System.Security.Claims;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using Jacameno.Frontend.GraphQL;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// A subscription's selection set runs once per event for the subscribers who asked the same thing, and for each
/// subscriber when they asked differently: a small schema whose field resolver counts its runs.
/// </summary>
public sealed class SharedEventExecutionTests
{
    private sealed class Tick(int n)
    {
        public int N { get; } = n;
    }

    private sealed class Source : IObservable<object?>
    {
        private readonly List<IObserver<object?>> observers = [];

        public IDisposable Subscribe(IObserver<object?> observer)
        {
            observers.Add(observer);
            return new Unsubscriber(() => observers.Remove(observer));
        }

        public void Push(object value) => observers.ToList().ForEach(o => o.OnNext(value));

        private sealed class Unsubscriber(Action dispose) : IDisposable
        {
            public void Dispose() => dispose();
        }
    }

    private sealed class Fixture
    {
        public int Runs;
        public Source Source { get; } = new();
        public Schema Schema { get; }

        public Fixture()
        {
            var tick = new ObjectGraphType<Tick> { Name = "Tick" };
            tick.Field<IntGraphType>("n").Resolve(c =>
            {
                Interlocked.Increment(ref Runs);
                return c.Source.N;
            });
            tick.Field<StringGraphType>("viewer").Resolve(c => c.User?.FindFirst("sub")?.Value);
            var query = new ObjectGraphType { Name = "Query" };
            query.Field<IntGraphType>("unused").Resolve(_ => 0);
            var subscription = new ObjectGraphType { Name = "Subscription" };
            subscription.Field("ticks", tick).ResolveStream(_ => Source);
            Schema = new Schema { Query = query, Subscription = subscription };
        }

        public async Task<List<string>> SubscribeAsync(ClaimsPrincipal user, string document, bool share = true)
        {
            var result = await new SharingExecuter().ExecuteAsync(o =>
            {
                o.Schema = Schema;
                o.Query = document;
                o.User = user;
                o.UserContext = share
                    ? new Dictionary<string, object?> { [SharedEventExecutionStrategy.ShareKeyEntry] = SharedEventExecutionStrategy.ShareKey(user, null, document, "") }
                    : [];
            });
            Assert.True(result.Errors is not { Count: > 0 }, new GraphQLSerializer().Serialize(result));
            var received = new List<string>();
            result.Streams!.Values.Single().Subscribe(new Collector(received, new GraphQLSerializer()));
            return received;
        }

        /// <summary>The executer the platform configures: subscriptions run by the sharing strategy.</summary>
        private sealed class SharingExecuter : DocumentExecuter
        {
            protected override IExecutionStrategy SelectExecutionStrategy(global::GraphQL.Execution.ExecutionContext context) =>
                context.Operation.Operation == GraphQLParser.AST.OperationType.Subscription ? new SharedEventExecutionStrategy() : base.SelectExecutionStrategy(context);
        }

        private sealed class Collector(List<string> into, GraphQLSerializer serializer) : IObserver<ExecutionResult>
        {
            public void OnNext(ExecutionResult value) => into.Add(serializer.Serialize(value));

            public void OnError(Exception error) => into.Add("error: " + error.Message);

            public void OnCompleted()
            {
            }
        }
    }

    private static ClaimsPrincipal User(string id, string session, string? scope = null) =>
        new(new ClaimsIdentity(
            [new Claim("sub", id), new Claim("sid", session), new Claim("jti", Guid.NewGuid().ToString("N")), .. scope is null ? Array.Empty<Claim>() : [new Claim("scope", scope)]],
            "test"));

    [Fact]
    public async Task SameDocumentAndRights_RunOncePerEvent_EachGetsTheResult()
    {
        var fixture = new Fixture();
        // Two sessions of one user: their tokens differ only in what names them.
        var a = await fixture.SubscribeAsync(User("u1", "s1"), "subscription { ticks { n viewer } }");
        var b = await fixture.SubscribeAsync(User("u1", "s2"), "subscription { ticks { n viewer } }");

        fixture.Source.Push(new Tick(7));
        fixture.Source.Push(new Tick(8));

        await WaitAsync(() => a.Count == 2 && b.Count == 2);
        Assert.Equal(2, fixture.Runs);
        Assert.Equal(a, b);
        Assert.Contains("\"n\":7", a[0]);
        Assert.Contains("\"viewer\":\"u1\"", a[0]);
    }

    [Fact]
    public async Task AnotherUser_OtherRights_OrAnotherDocument_RunForThemselves()
    {
        var fixture = new Fixture();
        var first = await fixture.SubscribeAsync(User("u1", "s1"), "subscription { ticks { n viewer } }");
        var stranger = await fixture.SubscribeAsync(User("u2", "s1"), "subscription { ticks { n viewer } }");
        var scoped = await fixture.SubscribeAsync(User("u1", "s1", "profile"), "subscription { ticks { n viewer } }");
        var other = await fixture.SubscribeAsync(User("u1", "s1"), "subscription { ticks { n } }");
        var unshared = await fixture.SubscribeAsync(User("u1", "s1"), "subscription { ticks { n viewer } }", share: false);

        fixture.Source.Push(new Tick(1));

        await WaitAsync(() => new[] { first, stranger, scoped, other, unshared }.All(r => r.Count == 1));
        Assert.Equal(5, fixture.Runs);
        Assert.Contains("\"viewer\":\"u2\"", stranger[0]);
        Assert.Contains("\"viewer\":\"u1\"", first[0]);
    }

    private static async Task WaitAsync(Func<bool> done)
    {
        for (var i = 0; i < 200 && !done(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(done(), "the subscribers did not all receive the events");
    }
}
