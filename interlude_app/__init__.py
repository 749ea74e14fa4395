"""Launch code: the ``interlude`` command, the service runner and the demo data. It sits above
the services and the gateway (it starts them); nothing below imports it."""
