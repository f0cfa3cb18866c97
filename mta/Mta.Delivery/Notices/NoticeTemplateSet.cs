namespace Mta.Delivery.Notices;

/// <summary>One template per notice kind (Postfix's BOUNCE_TEMPLATES): the built-ins, or those of bounce_template_file.</summary>
public sealed record NoticeTemplateSet(NoticeTemplate Failure, NoticeTemplate Delay, NoticeTemplate Success)
{
    public static readonly NoticeTemplateSet BuiltIn = new(NoticeTemplate.Failure, NoticeTemplate.Delay, NoticeTemplate.Success);
}
