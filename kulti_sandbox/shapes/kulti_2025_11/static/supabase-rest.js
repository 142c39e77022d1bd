/*
 * The part of supabase-js's PostgREST client (postgrest-js 2.81) the dashboard uses: a GET of
 * /rest/v1/<table> built as postgrest-js builds it (select with whitespace outside quotes
 * removed, then the filters in call order, then order), sent with the anon key as apikey and the
 * signed-in user's access token (from kultiAuth's @supabase/ssr cookie) as Bearer, and
 * Accept-Profile: public. single asks for one object, as .single() does. update() is the profile
 * modal's write.
 */
(function () {
  "use strict";

  function config() { return JSON.parse(document.getElementById("kulti-config").textContent).supabase; }

  function cleanColumns(columns) {
    var quoted = false;
    return columns.split("").filter(function (c) {
      if (c === '"') quoted = !quoted;
      return quoted || !/\s/.test(c);
    }).join("");
  }

  async function select(table, columns, filters, options) {
    options = options || {};
    var c = config(), session = window.kultiAuth.session();
    var params = new URLSearchParams();
    params.set("select", cleanColumns(columns));
    (filters || []).forEach(function (f) { params.append(f[0], f[1]); });
    if (options.order) params.set("order", options.order);
    var headers = { "apikey": c.anonKey, "Authorization": "Bearer " + (session ? session.access_token : c.anonKey),
                    "Accept-Profile": "public" };
    if (options.single) headers["Accept"] = "application/vnd.pgrst.object+json";
    try {
      var res = await fetch(c.url + "/rest/v1/" + table + "?" + params.toString(), { headers: headers });
      var body = await res.text(), data = body ? JSON.parse(body) : null;
      return res.ok ? { data: data, error: null, status: res.status } : { data: null, error: data, status: res.status };
    } catch (err) {
      return { data: null, error: { message: String(err) }, status: 0 };
    }
  }

  /* update(): postgrest-js's .update(values) with eq filters: a PATCH with the JSON body and no
   * Prefer header, so PostgREST answers 204 (return=minimal) whether or not RLS let a row change. */
  async function update(table, values, filters) {
    var c = config(), session = window.kultiAuth.session();
    var params = new URLSearchParams();
    (filters || []).forEach(function (f) { params.append(f[0], f[1]); });
    var headers = { "apikey": c.anonKey, "Authorization": "Bearer " + (session ? session.access_token : c.anonKey),
                    "Content-Profile": "public", "Content-Type": "application/json" };
    try {
      var res = await fetch(c.url + "/rest/v1/" + table + "?" + params.toString(),
                            { method: "PATCH", headers: headers, body: JSON.stringify(values) });
      var body = await res.text(), data = body ? JSON.parse(body) : null;
      return res.ok ? { data: data, error: null, status: res.status } : { data: null, error: data, status: res.status };
    } catch (err) {
      return { data: null, error: { message: String(err) }, status: 0 };
    }
  }

  window.kultiRest = { select: select, update: update };
})();
