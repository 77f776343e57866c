class Registry:
    """An ordered set of contributions that later apps add to an earlier app's page.

    The earlier app owns the registry and iterates it; a later app registers entries from
    its AppConfig.ready(), so imports only ever run forwards (docs/architecture.md).
    """

    def __init__(self, name):
        self.name = name
        self._entries = {}

    def register(self, key, entry=None, *, order=100):
        """Add `entry` under `key`; usable as a decorator when `entry` is omitted."""

        def add(value):
            if key in self._entries:
                raise ValueError(f"{self.name}: {key!r} is registered twice")
            self._entries[key] = (order, value)
            return value

        return add if entry is None else add(entry)

    def get(self, key):
        """The entry registered under `key` (KeyError if none)."""
        return self._entries[key][1]

    def items(self):
        """(key, entry) pairs, by order then key."""
        ordered = sorted(self._entries.items(), key=lambda kv: (kv[1][0], kv[0]))
        return [(key, value) for key, (_, value) in ordered]

    def __iter__(self):
        return iter(entry for _, entry in self.items())

    def __len__(self):
        return len(self._entries)
