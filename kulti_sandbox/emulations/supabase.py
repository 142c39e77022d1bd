"""Supabase, as the sandbox's Kulti talks to it, mounted at /supabase:

* /supabase/auth/v1/...  GoTrue's admin user API (supabase_auth, gotrue_admin_delete) and its
                         phone OTP user API (supabase_auth_user)
* /supabase/rest/v1/...  PostgREST over the public tables (postgrest and its helpers)
* /supabase/realtime/v1/websocket  Realtime: broadcast, presence, Postgres Changes
                         (realtime_socket, realtime_channels, realtime_changes, realtime_wire)

The HTTP APIs sit behind the API gateway's key check (supabase_common). The modules follow the
real services' source and documented answers; each says where a behaviour comes from.
"""

from starlette.routing import Mount

from kulti_sandbox.emulations import (
    gotrue_admin_delete, postgrest, realtime_socket, supabase_auth, supabase_auth_user,
)

routes = [
    Mount("/auth/v1", routes=supabase_auth.routes + gotrue_admin_delete.routes + supabase_auth_user.routes),
    Mount("/rest/v1", routes=postgrest.routes),
    Mount("/realtime/v1", routes=realtime_socket.routes),
]
