using GraphQL;
using GraphQL.Types;
using Jacameno.Frontend.GraphQL;

namespace Jacameno.Frontend.Push;

public sealed class DeviceGraphType : ObjectGraphType<DeviceResponse>
{
    public DeviceGraphType()
    {
        Name = "Device";
        Field(d => d.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(d => d.Kind).Description("webPush, fcm or apns.");
        Field(d => d.Name);
        Field(d => d.Endpoint, nullable: true).Description("A browser's push endpoint.");
        Field(d => d.CreatedAt);
    }
}

public sealed class PushTopicSettingGraphType : ObjectGraphType<KeyValuePair<string, bool>>
{
    public PushTopicSettingGraphType()
    {
        Name = "PushTopicSetting";
        Field<NonNullGraphType<StringGraphType>>("topic").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<BooleanGraphType>>("enabled").Resolve(c => c.Source.Value);
    }
}

public sealed class PushTopicSettingInputGraphType : InputObjectGraphType<KeyValuePair<string, bool>>
{
    public PushTopicSettingInputGraphType()
    {
        Name = "PushTopicSettingInput";
        Field<NonNullGraphType<StringGraphType>>("topic").Description("follow, like, comment, repost, release, sale, jobFinished or projectInvitation.");
        Field<NonNullGraphType<BooleanGraphType>>("enabled");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new KeyValuePair<string, bool>((string)value["topic"]!, (bool)value["enabled"]!);
}

public sealed class PushQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<DeviceGraphType>>>>("devices")
            .Description("The caller's devices that receive pushes.")
            .ResolveAsync(async c => await c.Service<PushService>().ListAsync(c.UserId()));
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PushTopicSettingGraphType>>>>("pushPreferences")
            .Description("Which topics push to the caller's devices.")
            .ResolveAsync(async c => (await c.Service<PushService>().PreferencesAsync(c.UserId())).Topics.ToList());
        query.Field<StringGraphType>("vapidPublicKey")
            .Description("The key browsers subscribe with (PushManager.subscribe's applicationServerKey); null when Web Push is off.")
            .Resolve(c => c.Service<PushService>().Config().VapidPublicKey);
    }
}

public sealed class PushMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<DeviceGraphType>>("registerDevice")
            .Description("Registers a device for pushes: webPush with endpoint, p256dh and auth from the browser's PushSubscription, or fcm/apns with a token.")
            .Argument<NonNullGraphType<StringGraphType>>("kind")
            .Argument<StringGraphType>("name")
            .Argument<StringGraphType>("endpoint")
            .Argument<StringGraphType>("p256dh")
            .Argument<StringGraphType>("auth")
            .Argument<StringGraphType>("token")
            .ResolveAsync(async c => await c.Service<PushService>().RegisterAsync(c.User!, new RegisterDeviceRequest(
                c.GetArgument<string>("kind"), c.GetArgument<string?>("name"),
                c.HasArgument("endpoint") ? new WebPushSubscriptionRequest(c.GetArgument<string?>("endpoint"), new WebPushKeysRequest(c.GetArgument<string?>("p256dh"), c.GetArgument<string?>("auth"))) : null,
                c.GetArgument<string?>("token"))));
        mutation.Field<NonNullGraphType<BooleanGraphType>>("removeDevice")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                await c.Service<PushService>().RemoveAsync(c.UserId(), c.GuidArgument("id", "a device id"));
                return true;
            });
        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PushTopicSettingGraphType>>>>("setPushPreferences")
            .Description("Turns topics on or off; topics left out stay as they are.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<PushTopicSettingInputGraphType>>>>("topics")
            .ResolveAsync(async c =>
            {
                var topics = new Dictionary<string, bool>();
                foreach (var (topic, enabled) in c.GetArgument<List<KeyValuePair<string, bool>>>("topics"))
                {
                    topics[topic] = enabled;
                }

                return (await c.Service<PushService>().SetPreferencesAsync(c.UserId(), topics)).Topics.ToList();
            });
    }
}
