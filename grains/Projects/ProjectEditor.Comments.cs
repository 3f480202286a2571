namespace Jacameno.Projects;

// The comment ops of the editor (ProjectEditor.cs has the dispatch and the shared checks).
public sealed partial class ProjectEditor
{
    private CommentAdd AddComment(CommentAdd op, Guid userId, DateTimeOffset now)
    {
        var text = Text(op.Text, "text", allowEmpty: false);
        var id = NewId(op.CommentId, "commentId");
        if (op.ReplyTo is { } parentId)
        {
            var parent = comments.GetValueOrDefault(parentId) ?? throw new OpRejectedException("The comment to reply to no longer exists.");
            if (parent.Replies.Count >= ProjectLimits.MaxReplies)
            {
                throw new OpRejectedException($"A comment holds at most {ProjectLimits.MaxReplies} replies.");
            }

            var reply = new CommentReply { Id = id, AuthorId = userId, Text = text, CreatedAt = now };
            parent.Replies.Add(reply);
            replies[id] = (parent, reply);
            return op with { CommentId = id, Text = text };
        }

        if (Document.Comments.Count >= ProjectLimits.MaxComments)
        {
            throw new OpRejectedException($"A project holds at most {ProjectLimits.MaxComments} comments.");
        }

        if (op.Position is < 0 or > ProjectLimits.MaxSamples)
        {
            throw new OpRejectedException("position must be between 0 and 24 hours of samples.");
        }

        if (op.TrackId is { } trackId)
        {
            TrackOf(trackId);
        }

        var comment = new Comment { Id = id, AuthorId = userId, Position = op.Position, TrackId = op.TrackId, Text = text, CreatedAt = now };
        Document.Comments.Add(comment);
        comments[id] = comment;
        return op with { CommentId = id, Text = text };
    }

    private CommentEdit EditComment(CommentEdit op, Guid userId)
    {
        var text = Text(op.Text, "text", allowEmpty: false);
        var (author, setText) = comments.TryGetValue(op.CommentId, out var comment)
            ? (comment.AuthorId, (Action<string>)(t => comment.Text = t))
            : replies.TryGetValue(op.CommentId, out var reply)
                ? (reply.Reply.AuthorId, t => reply.Reply.Text = t)
                : throw new OpRejectedException("The comment no longer exists.");
        if (author != userId)
        {
            throw new OpRejectedException("Only its author can edit a comment.");
        }

        setText(text);
        return op with { Text = text };
    }

    private CommentResolve ResolveComment(CommentResolve op)
    {
        var comment = comments.GetValueOrDefault(op.CommentId) ?? throw new OpRejectedException("The comment no longer exists.");
        comment.Resolved = op.Resolved;
        return op;
    }

    private CommentRef DeleteComment(CommentRef op, Guid userId, ProjectRole role)
    {
        if (comments.TryGetValue(op.CommentId, out var comment))
        {
            Authorize(comment.AuthorId);
            Document.Comments.Remove(comment);
            comments.Remove(comment.Id);
            foreach (var reply in comment.Replies)
            {
                replies.Remove(reply.Id);
            }
        }
        else if (replies.TryGetValue(op.CommentId, out var reply))
        {
            Authorize(reply.Reply.AuthorId);
            reply.Parent.Replies.Remove(reply.Reply);
            replies.Remove(reply.Reply.Id);
        }
        else
        {
            throw new OpRejectedException("The comment no longer exists.");
        }

        return op;

        void Authorize(Guid author)
        {
            if (author != userId && role != ProjectRole.Owner)
            {
                throw new OpRejectedException("Only its author or the project owner can delete a comment.");
            }
        }
    }
}
