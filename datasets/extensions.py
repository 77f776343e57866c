"""Extension points of the catalogue's pages, filled by the apps after this one.

- dataset_page_sections: sections of a dataset's public page (`/datasets/<slug>/`),
  each an `events.extensions.Section` whose `context(dataset, request)` returns the
  template's context (the template reads it as `data`), or None to leave the section
  out. Later apps (submissions: "Used by") register from AppConfig.ready(), so this app
  never imports them.
- editor_pages: further pages for catalogue editors, each an `EditorPage` (a title, a
  URL name without arguments and the permission the page checks) linked from the
  catalogue's editor home, for those holding the permission (submissions: the use of
  each publisher's data by teams).
"""

from dataclasses import dataclass

from common.registry import Registry


@dataclass(frozen=True)
class EditorPage:
    title: str
    url_name: str
    permission: str


dataset_page_sections = Registry("dataset page sections")
editor_pages = Registry("catalogue editor pages")
