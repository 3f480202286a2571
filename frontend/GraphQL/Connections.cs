using GraphQL.Types;
using Jacameno.Storage.Catalog;

namespace Jacameno.Frontend.GraphQL;

/// <summary>
/// Every list of the schema as a Relay cursor connection over one catalog page: <c>edges { cursor node }</c> and
/// <c>pageInfo</c>, so Relay's and Apollo's pagination helpers work unchanged, and <c>nodes</c> for clients that need
/// no cursors. A connection is a one-line subclass that names it: <c>JobConnection</c>, <c>JobEdge</c>.
/// </summary>
public abstract class ConnectionGraphType<TNodeGraphType, TNode> : ObjectGraphType<CatalogPage<TNode>>
    where TNodeGraphType : IGraphType
{
    protected ConnectionGraphType(string nodeName)
    {
        Name = nodeName + "Connection";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TNodeGraphType>>>>("nodes").Resolve(c => c.Source.Items);
        // The edge type is named after the connection (not the node type), so it is made here rather than found by its CLR type.
        Field("edges", new NonNullGraphType(new ListGraphType(new NonNullGraphType(new EdgeGraphType(nodeName + "Edge")))))
            .Resolve(c => c.Source.Items.Select((node, i) => new Edge(c.Source.Cursors[i], node)).ToList());
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo").Resolve(c => PageInfo.Of(c.Source));
    }

    private sealed record Edge(string Cursor, TNode Node);

    private sealed class EdgeGraphType : ObjectGraphType<Edge>
    {
        public EdgeGraphType(string name)
        {
            Name = name;
            Field<NonNullGraphType<StringGraphType>>("cursor")
                .Description("Passed as `after`, continues the list right after this node.")
                .Resolve(c => c.Source.Cursor);
            Field<NonNullGraphType<TNodeGraphType>>("node").Resolve(c => c.Source.Node);
        }
    }
}

/// <summary>
/// Relay page info. Lists page forward only (<c>first</c> and <c>after</c>): <c>hasPreviousPage</c> is always false,
/// as the Relay specification allows when paging forward.
/// </summary>
public sealed record PageInfo(bool HasNextPage, string? StartCursor, string? EndCursor)
{
    /// <summary>
    /// The end cursor is the page's own next cursor where more follow (the last node's cursor, or past items left out
    /// since they were listed) and the last node's cursor at the end, null only for an empty page.
    /// </summary>
    public static PageInfo Of<T>(CatalogPage<T> page) =>
        new(page.NextCursor is not null, page.Cursors.Count > 0 ? page.Cursors[0] : null, page.NextCursor ?? (page.Cursors.Count > 0 ? page.Cursors[^1] : null));
}

public sealed class PageInfoGraphType : ObjectGraphType<PageInfo>
{
    public PageInfoGraphType()
    {
        Name = "PageInfo";
        Field(p => p.HasNextPage);
        Field<NonNullGraphType<BooleanGraphType>>("hasPreviousPage")
            .Description("Always false: lists page forward only, with first and after.")
            .Resolve(_ => false);
        Field(p => p.StartCursor, nullable: true);
        Field(p => p.EndCursor, nullable: true).Description("Passed as `after`, continues the list after this page.");
    }
}
