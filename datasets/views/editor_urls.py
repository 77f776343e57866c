"""Catalogue editors' pages: create, edit, resources, terms, import."""

urlpatterns = []
