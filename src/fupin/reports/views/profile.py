"""Reports pages: profile."""

urlpatterns: list = []
