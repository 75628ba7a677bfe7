"""Built-in plugins, registered exactly like third-party ones (see ``plugins.DEFAULT_PLUGINS``)."""
