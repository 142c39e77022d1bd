"""A local stand-in for Kulti and the services around it (Twilio, Supabase, 100ms, Sentry).

The smoke suite never imports this package: it reaches it over HTTP only, exactly as it
reaches staging or production.
"""

__version__ = "1.0.0"
