"""Progress use cases over its own collections (the event store, clients, assignments, portal
tokens, reminders, audit): each call reads and appends events; the pure rules they apply are in
domain/."""
