"""The gateway's HTTP routes by audience and resource, as mixins of ``GatewayService`` (nameko's
@http entrypoints must be methods of the service class): each module holds the routes of one
resource and uses the service's dependencies (``self.auth``, the RPC proxies)."""
