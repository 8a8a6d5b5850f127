from django.utils.functional import SimpleLazyObject

from fupin.core import menu, shell_info


def shell(request):
    """What the layout needs on every page: the menu, the tab bar and who is signed in where.

    Lazy, so a page that does not draw the layout (the admin, JSON error pages) pays nothing.
    """
    return {
        "menu": SimpleLazyObject(lambda: menu.menu_for(request)),
        "tabs": SimpleLazyObject(lambda: menu.tabs_for(request)),
        "shell": SimpleLazyObject(lambda: shell_info.for_request(request)),
    }
