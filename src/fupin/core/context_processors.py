def shell(request):
    """What the layout needs on every page: the sidebar menu for this user."""
    from fupin.core.menu import menu_for

    return {"menu": menu_for(request)}
