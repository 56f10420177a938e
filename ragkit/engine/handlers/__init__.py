"""Request handlers: blocking functions ``(engine, principal, request) -> response``.

One module per API area. Handlers validate what the wire models cannot (names
against the URL, update masks, limits that depend on stored state, roles), then
do their work in one store transaction, so every call is all-or-nothing.
"""
