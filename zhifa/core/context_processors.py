"""Template context shared by every page."""

from .navigation import menu_for


def navigation(request):
    """The main menu for the logged-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_items": menu_for(user, request.path)}
