/* The room page's script tag. A classic script, because nav.js re-runs page scripts on every
 * client-side move and a module would run only once per document; it loads the room module
 * (cached after the first time) and starts a fresh room each time. */
import("/_kulti/static/room-kulti.js").then(function (m) { m.startRoom(); });
