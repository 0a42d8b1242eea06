"""The header's unread-message count (站内消息) on every signed-in page."""


def unread_messages(request):
    if request.path.startswith("/public/"):
        return {}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .services import unread_count

    return {"unread_messages": unread_count(user)}
