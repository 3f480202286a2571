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
