using GraphQL.Types;

namespace Jacameno.Frontend.GraphQL;

/// <summary>The one GraphQL schema. Each feature adds its fields through its own <c>I…Fields</c> class.</summary>
public sealed class JacamenoSchema : Schema
{
    public JacamenoSchema(IServiceProvider services) : base(services)
    {
        Query = new QueryType(services.GetServices<IQueryFields>());
        Mutation = new MutationType(services.GetServices<IMutationFields>());
        Subscription = new SubscriptionType(services.GetServices<ISubscriptionFields>());
        RequireScopes(Query, mutation: false);
        RequireScopes(Mutation, mutation: true);
        RequireScopes(Subscription, mutation: false);
    }

    /// <summary>
    /// A scoped token (an app's or a script's) may select a root field only with its scope (<see cref="Apps.ScopeRules"/>);
    /// each refused field is a FORBIDDEN error of its own, as for REST. Checked on root fields only: nothing below a
    /// root field reaches further than the field itself.
    /// </summary>
    private static void RequireScopes(IObjectGraphType root, bool mutation)
    {
        foreach (var field in root.Fields)
        {
            var required = Apps.ScopeRules.ForGraphQL(field.Name, mutation);
            if (field.StreamResolver is { } stream)
            {
                // A subscription is checked when it starts, before any event flows.
                field.StreamResolver = new ScopedStreamResolver(stream, required);
                continue;
            }

            var inner = field.Resolver ?? throw new InvalidOperationException($"Root field {field.Name} has no resolver.");
            field.Resolver = new ScopedResolver(inner, required);
        }
    }

    private sealed class ScopedStreamResolver(global::GraphQL.Resolvers.ISourceStreamResolver inner, string? required) : global::GraphQL.Resolvers.ISourceStreamResolver
    {
        public ValueTask<IObservable<object?>> ResolveAsync(global::GraphQL.IResolveFieldContext context)
        {
            Apps.ScopeRules.Demand(context.User, required);
            return inner.ResolveAsync(context);
        }
    }

    private sealed class ScopedResolver(global::GraphQL.Resolvers.IFieldResolver inner, string? required) : global::GraphQL.Resolvers.IFieldResolver
    {
        public ValueTask<object?> ResolveAsync(global::GraphQL.IResolveFieldContext context)
        {
            Apps.ScopeRules.Demand(context.User, required);
            return inner.ResolveAsync(context);
        }
    }
}

/// <summary>A feature's fields on the root query type.</summary>
public interface IQueryFields
{
    void AddTo(ObjectGraphType query);
}

/// <summary>A feature's fields on the root mutation type.</summary>
public interface IMutationFields
{
    void AddTo(ObjectGraphType mutation);
}

/// <summary>A feature's fields on the root subscription type (served over WebSockets, <see cref="GraphQLWebSockets"/>).</summary>
public interface ISubscriptionFields
{
    void AddTo(ObjectGraphType subscription);
}

public sealed class QueryType : ObjectGraphType
{
    public QueryType(IEnumerable<IQueryFields> features)
    {
        Name = "Query";
        foreach (var feature in features)
        {
            feature.AddTo(this);
        }
    }
}

public sealed class MutationType : ObjectGraphType
{
    public MutationType(IEnumerable<IMutationFields> features)
    {
        Name = "Mutation";
        foreach (var feature in features)
        {
            feature.AddTo(this);
        }
    }
}

public sealed class SubscriptionType : ObjectGraphType
{
    public SubscriptionType(IEnumerable<ISubscriptionFields> features)
    {
        Name = "Subscription";
        foreach (var feature in features)
        {
            feature.AddTo(this);
        }
    }
}
