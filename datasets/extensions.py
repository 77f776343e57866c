"""Extension points of the catalogue's pages, filled by the apps after this one.

- dataset_page_sections: sections of a dataset's public page (`/datasets/<slug>/`),
  each an `events.extensions.Section` whose `context(dataset, request)` returns the
  template's context (the template reads it as `data`), or None to leave the section
  out. Later apps (submissions: "Used by") register from AppConfig.ready(), so this app
  never imports them.
"""

from common.registry import Registry

dataset_page_sections = Registry("dataset page sections")
